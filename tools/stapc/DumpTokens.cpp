//===- DumpTokens.cpp - The hidden `stapc --dump-tokens` test aid ---------===//
//
// Prints the preprocessed token stream of a script, one token per line:
//   KIND LINE:COL "TEXT" [space] [int=N] [macro=NAME]
// Tokens outside the script's buffer (macro bodies from .stpm libraries,
// command-line arguments) print their buffer's base name before LINE:COL.
// This is how test/Lexer and test/Preprocessor look at the preprocessor
// without depending on the parser.
//
// `stapc --preprocess-each FILE...` preprocesses many files in one process
// (the corpus test) and prints only diagnostics and a summary.
//
//===----------------------------------------------------------------------===//
#include "DumpTokens.h"

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Parse/Preprocessor.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace stapc;

static void loadMacroDir(llvm::SourceMgr &SM, Preprocessor &PP,
                         llvm::StringRef Dir) {
  std::error_code EC;
  std::vector<std::string> Files;
  for (llvm::sys::fs::recursive_directory_iterator I(Dir, EC), E;
       I != E && !EC; I.increment(EC))
    if (llvm::sys::path::extension(I->path()) == ".stpm")
      Files.push_back(I->path());
  llvm::sort(Files);
  for (const std::string &F : Files)
    if (auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/true))
      PP.loadLibraryMacros(SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc()));
}

static void printToken(llvm::raw_ostream &OS, llvm::SourceMgr &SM,
                       unsigned MainID, const Token &T) {
  OS << tokenKindName(T.Kind) << ' ';
  if (T.Loc.isValid()) {
    unsigned ID = SM.FindBufferContainingLoc(T.Loc);
    if (ID && ID != MainID)
      OS << llvm::sys::path::filename(
                SM.getMemoryBuffer(ID)->getBufferIdentifier())
         << ':';
    auto [Line, Col] = SM.getLineAndColumn(T.Loc, ID);
    OS << Line << ':' << Col;
  }
  OS << " \"";
  llvm::printEscapedString(T.Text, OS);
  OS << '"';
  if (T.LeadingSpace)
    OS << " space";
  if (T.is(TokenKind::Integer))
    OS << " int=" << T.IntValue;
  if (T.Expansion)
    OS << " macro=" << T.Expansion->MacroName;
  OS << '\n';
  OS.flush(); // keep the order with diagnostics on stderr in `2>&1` tests
}

/// Reads File into SM; reports and returns 0 if it cannot.
static unsigned addFile(llvm::SourceMgr &SM, DiagnosticEngine &Diags,
                        const std::string &File) {
  auto Buf = File == "-" ? llvm::MemoryBuffer::getSTDIN()
                         : llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buf) {
    Diags.error("cannot open script '" + File + "': " + Buf.getError().message());
    return 0;
  }
  return SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc());
}

int stapc::preprocessEach(const std::vector<std::string> &Files,
                          const std::vector<std::string> &MacroDirs,
                          const PreprocessorOptions &Opts) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  Diags.setErrorLimit(0);
  ASTContext Ctx;
  PreprocessorOptions EachOpts = Opts;
  // Scripts of a corpus use $1..$N; give them placeholders.
  EachOpts.Args.assign(16, "1");
  Preprocessor PP(SM, Diags, Ctx, EachOpts);
  for (const std::string &D : MacroDirs)
    loadMacroDir(SM, PP, D);
  unsigned NumFailed = 0;
  for (const std::string &F : Files) {
    unsigned Before = Diags.getNumErrors();
    if (unsigned ID = addFile(SM, Diags, F)) {
      PP.enterMainBuffer(ID);
      while (PP.next().isNot(TokenKind::Eof))
        ;
    }
    NumFailed += Diags.getNumErrors() != Before;
  }
  llvm::outs() << "preprocessed " << Files.size() << " files, " << NumFailed
               << " with errors\n";
  return Diags.hasErrors() ? 1 : 0;
}

int stapc::dumpTokens(const std::string &File,
                      const std::vector<std::string> &MacroDirs,
                      const PreprocessorOptions &Opts) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  ASTContext Ctx;
  Preprocessor PP(SM, Diags, Ctx, Opts);
  for (const std::string &D : MacroDirs)
    loadMacroDir(SM, PP, D);
  unsigned MainID = addFile(SM, Diags, File);
  if (!MainID)
    return 1;
  PP.enterMainBuffer(MainID);
  for (;;) {
    Token T = PP.next();
    printToken(llvm::outs(), SM, MainID, T);
    if (T.is(TokenKind::Eof))
      break;
  }
  return Diags.hasErrors() ? 1 : 0;
}
