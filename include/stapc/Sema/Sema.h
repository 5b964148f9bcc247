//===- Sema.h - Elaboration: resolution and type inference -----*- C++ -*-===//
#ifndef STAPC_SEMA_SEMA_H
#define STAPC_SEMA_SEMA_H

#include "stapc/Sema/Program.h"

#include <string>

namespace stapc {

class ASTContext;
class DiagnosticEngine;
class KernelTypes;
class UserBinaries;

struct SemaOptions {
  /// Kernel types for tracepoint arguments and @cast (may be null: then
  /// probes that need BTF report an error).
  KernelTypes *Types = nullptr;
  /// User binaries for process(...) probes (null: they report an error).
  UserBinaries *Binaries = nullptr;
  /// The executable of `process.function(...)` (no path): -c/-x's target.
  std::string TargetExecutable;
};

/// Elaborate the parsed files in Ctx (Files[0] is the user script, the rest
/// are tapsets) into Prog. Returns false after reporting errors.
bool elaborate(ASTContext &Ctx, DiagnosticEngine &Diags,
               const SemaOptions &Opts, Program &Prog);

} // namespace stapc

#endif
