//===- Preprocessor.h - Conditionals, macros, positional args --*- C++ -*-===//
//
// Sits between the Lexer and the Parser and hands out fully preprocessed
// tokens:
//   - `%( cond %? then %: else %)` conditional compilation over kernel_v,
//     kernel_vr, arch, runtime, systemtap_v, systemtap_privilege,
//     guru_mode, CONFIG_*, $#/@# and literal comparisons, with && || !
//     and parentheses (@defined/@const are rejected there: they are
//     expressions for Sema, written as `@defined(x) ? a : b`);
//     untaken branches are skipped unexpanded (see lib/Parse/PreprocessorImpl.h);
//   - `@define name(params) %( body %)` macros and their `@name(args)` uses,
//     including library macros from tapset `.stpm` files;
//   - `$1`/`@1` command-line arguments (`$N` as the literal token, `@N` as a
//     string), `$#`/`@#`.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_PARSE_PREPROCESSOR_H
#define STAPC_PARSE_PREPROCESSOR_H

#include "stapc/Parse/Token.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace stapc {

class DiagnosticEngine;
class ASTContext;

/// What the `%( ... %)` conditions test. Defaults describe the target the
/// compiler builds for (the host unless --btf/options say otherwise).
struct PreprocessorOptions {
  std::string KernelVersion = "6.1.0";        // kernel_v
  std::string KernelRelease = "6.1.0";        // kernel_vr
  std::string Arch = "x86_64";                // arch
  std::string Runtime = "bpf";                // runtime
  std::string SystemtapVersion = "5.0";       // systemtap_v (stap 5.0 semantics)
  std::string Privilege = "stapdev";          // systemtap_privilege
  bool GuruMode = false;                      // guru_mode
  llvm::StringMap<std::string> KernelConfig;  // CONFIG_FOO -> "y"/"m"/value
  std::vector<std::string> Args;              // $1.. / @1..
};

class Preprocessor {
public:
  Preprocessor(llvm::SourceMgr &SM, DiagnosticEngine &Diags, ASTContext &Ctx,
               const PreprocessorOptions &Opts);
  ~Preprocessor();

  /// Start reading BufferID (a buffer of SM). Tokens come from it until Eof.
  void enterMainBuffer(unsigned BufferID);

  /// Read a `.stpm` macro library: its @define's become visible to every
  /// file preprocessed afterwards (library macros, as in stap).
  void loadLibraryMacros(unsigned BufferID);

  /// The next preprocessed token. Returns Eof at the end of the main buffer
  /// (and forever after).
  Token next();

private:
  class Impl;
  std::unique_ptr<Impl> P;
};

/// After reporting an error at Tok, call this to add one note per macro
/// expansion Tok came out of, innermost first:
///   note: in expansion of macro 'NAME'            (at the `@NAME` use)
///   note: in expansion of command line argument '$1'
/// Does nothing for tokens written directly in the file.
void noteExpansion(DiagnosticEngine &Diags, const Token &Tok);

} // namespace stapc

#endif
