//===- Compilation.h - The ordered pass list of the compiler ---*- C++ -*-===//
//
// One Compilation runs the passes in order, stopping where -p asks:
//   1 parse (script + tapset macro libraries)     -p1 prints the script
//   2 elaborate (tapset resolution, Sema)         -p2 prints the result
//   3 codegen to LLVM IR                          -p3 / -emit-llvm prints IR
//   4 BPF object                                  -p4 / -o writes it
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_DRIVER_COMPILATION_H
#define STAPC_DRIVER_COMPILATION_H

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Parse/Preprocessor.h"

#include "stapc/CodeGen/CodeGen.h"
#include "stapc/Sema/Program.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace stapc {

struct CompilerOptions {
  std::string ScriptFile;              // path, or empty with -e
  std::string ScriptText;              // -e text
  bool HaveScriptText = false;
  std::vector<std::string> TapsetDirs; // -I dirs, searched before the default
  bool NoDefaultTapsets = false;
  std::string DefaultTapsetDir;        // our tapset/ (set by the driver)
  PreprocessorOptions PP;
  unsigned LastPass = 5;               // -pN
  unsigned Verbose = 0;
  std::string BTFPath;                 // --btf FILE ("" = running kernel)
  std::string TargetExecutable;        // -c's program or -x's /proc/PID/exe
  CodeGenOptions CodeGen;
  llvm::raw_ostream *DiagStream = nullptr; // diagnostics; null = stderr
};

class BTFKernelTypes;
class UserBinaries;

class Compilation {
public:
  explicit Compilation(CompilerOptions Opts);

  ~Compilation();

  /// Pass 1: read and parse the user script and the macro libraries.
  bool parse();
  /// Pass 2: parse the tapsets, then resolve probes, names and types.
  bool elaborate();
  /// Pass 3: LLVM IR for the bpf target.
  bool generateIR();
  /// Pass 4: the BPF object (or assembly) written to OS.
  bool emit(llvm::raw_pwrite_stream &OS, OutputKind Kind);

  /// After elaborate(): the probe points the script's probes resolved to,
  /// as `stap -l` lists them (aliases by their own names), sorted and
  /// unique; with WithVariables, each followed by its variables as `stap
  /// -L` shows them (alias locals `name:type`, then `$arg:ctype`).
  std::vector<std::string> listProbePoints(bool WithVariables);
  llvm::Module *getModule() { return Module.get(); }
  const Program &getProgram() const { return Prog; }

  ASTContext &getContext() { return Ctx; }
  DiagnosticEngine &getDiags() { return Diags; }
  llvm::SourceMgr &getSourceMgr() { return SM; }
  const CompilerOptions &getOptions() const { return Opts; }
  /// The user's script (Files[0] after parse()).
  ScriptFile &getUserScript() { return Ctx.Files.front(); }

private:
  bool loadMacroLibraries(Preprocessor &PP);
  std::vector<std::string> tapsetDirs() const;
  /// Parse every tapset file (after the user script, which stays Files[0]).
  bool parseTapsets();
  bool parseImpl();

  /// Time one pass for -v.
  template <typename Fn> bool timed(const char *Name, Fn &&F);

  CompilerOptions Opts;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags;
  ASTContext Ctx;
  Program Prog;
  std::unique_ptr<BTFKernelTypes> Types;
  std::unique_ptr<UserBinaries> Binaries; // process(...) probes
  std::vector<unsigned> MacroBuffers;
  bool MacroBuffersLoaded = false;
  llvm::LLVMContext LLVMCtx;
  std::unique_ptr<llvm::Module> Module;
};

} // namespace stapc

#endif
