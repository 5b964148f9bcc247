//===- SemaImpl.h - Shared state of the elaboration passes -----*- C++ -*-===//
#ifndef STAPC_LIB_SEMA_SEMAIMPL_H
#define STAPC_LIB_SEMA_SEMAIMPL_H

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Sema/Sema.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

namespace stapc {

/// The scope a body is elaborated in: a probe instance or a function.
struct BodyScope {
  llvm::StringMap<VarDecl *> Locals;
  std::vector<VarDecl *> *LocalList = nullptr;
  ProbeInstance *Probe = nullptr;  // null inside functions
  FunctionDecl *Function = nullptr;
};

class SemaImpl {
public:
  SemaImpl(ASTContext &Ctx, DiagnosticEngine &Diags, const SemaOptions &Opts,
           Program &Prog)
      : Ctx(Ctx), Diags(Diags), Opts(Opts), Prog(Prog) {}

  bool run();

  // ProbeResolution.cpp
  void resolveProbes(ScriptFile &F);
  bool expandPoint(ProbeDecl *D, const ProbePoint &P);

  // Resolve.cpp
  void collectDeclarations();
  void resolveBody(Node *Body, BodyScope &S);
  FunctionDecl *findFunction(StringRef Name, size_t Arity);

  // TypeCheck.cpp
  bool inferTypes();
  void checkResolved();

  ASTContext &Ctx;
  DiagnosticEngine &Diags;
  const SemaOptions &Opts;
  Program &Prog;

  llvm::StringMap<GlobalDecl *> Globals;
  llvm::StringMap<std::vector<FunctionDecl *>> Functions;
  /// Parameters of each function, as VarDecls (index = parameter position).
  llvm::DenseMap<FunctionDecl *, std::vector<VarDecl *>> Params;
  llvm::DenseSet<FunctionDecl *> UsedFunctions;
  std::vector<FunctionDecl *> Worklist;
};

} // namespace stapc

#endif
