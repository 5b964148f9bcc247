//===- ParseBench.cpp - Front-end throughput benchmark --------------------===//
//
// stapc-bench-parse [DIR] [-n N] [-I MACRODIR]...
//
// Reads every .stp file under DIR (default: the Debian systemtap tapsets)
// into memory, loads the .stpm macro libraries once, then preprocesses and
// parses all files N times in one process and reports the median time and
// lines per second. Only lexing, preprocessing and parsing are timed; file
// reading and macro-library loading are not.
//
//===----------------------------------------------------------------------===//
#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Parse/Parser.h"
#include "stapc/Parse/Preprocessor.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <string>
#include <vector>

using namespace stapc;
namespace cl = llvm::cl;

static cl::opt<std::string> Dir(cl::Positional, cl::desc("[directory]"),
                                cl::init("/usr/share/systemtap/tapset"));
static cl::opt<unsigned> Runs("n", cl::desc("Number of timed runs (median is reported)"),
                              cl::init(5));
static cl::list<std::string> MacroDirs("I", cl::Prefix,
                                       cl::desc("Load .stpm libraries from DIR (default: the scanned directory)"),
                                       cl::value_desc("DIR"));
static cl::opt<bool> ShowErrors("show-errors",
                                cl::desc("Print the diagnostics of files that fail to parse"));

/// Every file under Root whose name ends in Ext, sorted.
static std::vector<std::string> findFiles(StringRef Root, StringRef Ext) {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator I(Root, EC), E;
       I != E && !EC; I.increment(EC))
    if (llvm::sys::path::extension(I->path()) == Ext)
      Out.push_back(I->path());
  llvm::sort(Out);
  return Out;
}

namespace {
struct Input {
  std::string Path;
  unsigned BufferID;
};

/// One SourceMgr, macro table and diagnostic engine shared by all runs;
/// each run parses into a fresh ASTContext.
class Bench {
public:
  Bench()
      : Diags(SM, ShowErrors ? llvm::errs() : llvm::nulls()),
        PP(SM, Diags, MacroCtx, Opts) {
    Diags.setErrorLimit(0);
  }

  bool load(StringRef ScriptDir, ArrayRef<std::string> LibDirs);
  /// Parse every input once; returns seconds.
  double runOnce(unsigned &FilesWithErrors);

  size_t getNumFiles() const { return Inputs.size(); }
  size_t Lines = 0, Bytes = 0;

private:
  llvm::SourceMgr SM;
  DiagnosticEngine Diags;
  ASTContext MacroCtx; // strings the preprocessor keeps (macro bodies)
  PreprocessorOptions Opts; // the preprocessor keeps a reference
  Preprocessor PP;
  std::vector<Input> Inputs;
};
} // namespace

static bool addFile(llvm::SourceMgr &SM, const std::string &Path, unsigned &ID) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    llvm::errs() << "stapc-bench-parse: cannot read " << Path << ": "
                 << Buf.getError().message() << '\n';
    return false;
  }
  ID = SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc());
  return true;
}

bool Bench::load(StringRef ScriptDir, ArrayRef<std::string> LibDirs) {
  for (const std::string &D : LibDirs)
    for (const std::string &F : findFiles(D, ".stpm")) {
      unsigned ID;
      if (!addFile(SM, F, ID))
        return false;
      PP.loadLibraryMacros(ID);
    }
  for (const std::string &F : findFiles(ScriptDir, ".stp")) {
    unsigned ID;
    if (!addFile(SM, F, ID))
      return false;
    StringRef Text = SM.getMemoryBuffer(ID)->getBuffer();
    Lines += Text.count('\n');
    Bytes += Text.size();
    Inputs.push_back({F, ID});
  }
  return true;
}

double Bench::runOnce(unsigned &FilesWithErrors) {
  ASTContext Ctx;
  FilesWithErrors = 0;
  auto Start = std::chrono::steady_clock::now();
  for (const Input &In : Inputs) {
    unsigned ErrorsBefore = Diags.getNumErrors();
    PP.enterMainBuffer(In.BufferID);
    Ctx.Files.push_back(
        parseScript(PP, Ctx, Diags, In.Path, In.BufferID, /*IsTapset=*/true));
    if (Diags.getNumErrors() != ErrorsBefore)
      ++FilesWithErrors;
  }
  auto End = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(End - Start).count();
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv,
                              "stapc-bench-parse: front-end throughput\n");
  std::vector<std::string> LibDirs(MacroDirs.begin(), MacroDirs.end());
  if (LibDirs.empty())
    LibDirs.push_back(Dir);

  Bench B;
  if (!B.load(Dir, LibDirs))
    return 1;
  if (B.getNumFiles() == 0) {
    llvm::errs() << "stapc-bench-parse: no .stp files under " << Dir << '\n';
    return 1;
  }
  llvm::outs() << "files: " << B.getNumFiles() << "  lines: " << B.Lines
               << "  bytes: " << B.Bytes << '\n';

  std::vector<double> Times;
  unsigned FilesWithErrors = 0;
  for (unsigned I = 0; I < std::max(1u, unsigned(Runs)); ++I) {
    Times.push_back(B.runOnce(FilesWithErrors));
    llvm::outs() << "run " << I + 1 << ": "
                 << llvm::format("%.4f s", Times.back()) << '\n';
  }
  llvm::sort(Times);
  double Median = Times[Times.size() / 2];
  llvm::outs() << llvm::format("median: %.4f s  %.0f lines/s  %.1f MB/s\n",
                               Median, B.Lines / Median,
                               B.Bytes / Median / 1e6);
  llvm::outs() << "files with parse errors: " << FilesWithErrors << '\n';
  return 0;
}
