//===- Diagnostic.h - Errors and warnings with source locations -*- C++ -*-===//
//
// Every layer reports problems through one DiagnosticEngine so that all
// messages share the clang format: `file:line:col: error: text`, the source
// line and a caret. Locations are llvm::SMLoc pointers into buffers owned by
// the engine's llvm::SourceMgr.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_BASIC_DIAGNOSTIC_H
#define STAPC_BASIC_DIAGNOSTIC_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <tuple>

#include <string>

namespace stapc {

using llvm::SMLoc;
using llvm::SMRange;

enum class Severity { Note, Warning, Error };

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(llvm::SourceMgr &SM,
                            llvm::raw_ostream &OS = llvm::errs())
      : SM(SM), OS(OS) {}

  llvm::SourceMgr &getSourceMgr() { return SM; }

  void error(SMLoc Loc, const llvm::Twine &Msg,
             llvm::ArrayRef<SMRange> Ranges = {});
  void warning(SMLoc Loc, const llvm::Twine &Msg,
               llvm::ArrayRef<SMRange> Ranges = {});
  void note(SMLoc Loc, const llvm::Twine &Msg,
            llvm::ArrayRef<SMRange> Ranges = {});
  /// An error with no source position (bad option, missing file...).
  void error(const llvm::Twine &Msg);

  unsigned getNumErrors() const { return NumErrors; }
  unsigned getNumWarnings() const { return NumWarnings; }
  bool hasErrors() const { return NumErrors != 0; }

  /// Stop printing after this many errors (0 = unlimited); the count still
  /// grows so callers can tell that something failed.
  void setErrorLimit(unsigned N) { ErrorLimit = N; }
  void setWarningsAsErrors(bool B) { WarningsAsErrors = B; }
  void setSuppressWarnings(bool B) { SuppressWarnings = B; }

  /// "file:line:col" for a location, for messages that travel elsewhere
  /// (runtime error records carry this text).
  std::string formatLocation(SMLoc Loc) const;

private:
  void emit(SMLoc Loc, llvm::SourceMgr::DiagKind Kind, const llvm::Twine &Msg,
            llvm::ArrayRef<SMRange> Ranges);

  llvm::SourceMgr &SM;
  llvm::raw_ostream &OS;
  unsigned NumErrors = 0;
  unsigned NumWarnings = 0;
  unsigned ErrorLimit = 50;
  bool WarningsAsErrors = false;
  bool SuppressWarnings = false;
  bool LimitReported = false;
  /// Located diagnostics already printed: the same code compiled twice
  /// (a function inlined at two calls, a probe's kprobe twin) reports each
  /// problem once.
  std::set<std::tuple<const char *, int, std::string>> Printed;
};

} // namespace stapc

#endif
