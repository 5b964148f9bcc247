//===- RoundTrip.cpp - Check that printing and parsing agree --------------===//
#include "stapc/Driver/RoundTrip.h"

#include "stapc/AST/ASTContext.h"
#include "stapc/AST/ASTEquality.h"
#include "stapc/AST/ASTPrinter.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Parse/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace stapc;

static std::string printToString(const ScriptFile &F) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printScript(OS, F);
  return S;
}

/// Report the first line where two printings differ, with its number.
static void reportTextDifference(StringRef First, StringRef Second,
                                 llvm::raw_ostream &Err) {
  unsigned Line = 1;
  while (!First.empty() || !Second.empty()) {
    auto [L1, Rest1] = First.split('\n');
    auto [L2, Rest2] = Second.split('\n');
    if (L1 != L2) {
      Err << "round-trip: printed text changed at line " << Line
          << "\n--- first printing:\n" << L1 << "\n+++ second printing:\n"
          << L2 << '\n';
      return;
    }
    First = Rest1;
    Second = Rest2;
    ++Line;
  }
}

bool stapc::checkRoundTrip(const ScriptFile &F, const PreprocessorOptions &Opts,
                           llvm::raw_ostream &Err) {
  std::string First = printToString(F);

  // A fresh world: the printed text must stand on its own. Macro libraries
  // are not loaded -- the printed text has every macro expanded already.
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM, Err);
  ASTContext Ctx;
  Preprocessor PP(SM, Diags, Ctx, Opts);
  StringRef Name = "<roundtrip>";
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(First, Name), llvm::SMLoc());
  PP.enterMainBuffer(ID);
  ScriptFile Reparsed = parseScript(PP, Ctx, Diags, Name, ID, F.IsTapset);
  if (Diags.hasErrors()) {
    Err << "round-trip: the printed form of '" << F.Name
        << "' does not parse (errors above refer to <roundtrip>)\n";
    return false;
  }

  std::string Why;
  if (!equalScripts(F, Reparsed, &Why)) {
    Err << "round-trip: re-parsing the printed form of '" << F.Name
        << "' gives a different tree; " << Why;
    return false;
  }

  std::string Second = printToString(Reparsed);
  if (First != Second) {
    Err << "round-trip: printing '" << F.Name << "' is not a fixed point\n";
    reportTextDifference(First, Second, Err);
    return false;
  }
  return true;
}
