//===- SemaImpl.h - Shared state of the elaboration passes -----*- C++ -*-===//
#ifndef STAPC_LIB_SEMA_SEMAIMPL_H
#define STAPC_LIB_SEMA_SEMAIMPL_H

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Sema/Sema.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <vector>

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
  bool expandPoint(ProbeDecl *D, const ProbePoint &P, BlockStmt *Body,
                   unsigned AliasDepth);
  bool expandUnconditionedPoint(ProbeDecl *D, const ProbePoint &P,
                                BlockStmt *Body, unsigned AliasDepth);
  bool expandAliases(ProbeDecl *D, const ProbePoint &P, BlockStmt *Body,
                     unsigned AliasDepth, bool &Matched);
  // ProbeSyscall.cpp: syscall.NAME[.return], nd_syscall.*, syscall_any
  bool resolveSyscall(const ProbePoint &P, ProbeInstance Base);
  // ProbeProcess.cpp: process("PATH").begin/.end
  bool resolveProcessPath(const ProbePoint &P, ProbeDecl *D, BlockStmt *Body,
                          unsigned AliasDepth);
  // ProbeProcfs.cpp: procfs("name").read/.write
  bool resolveProcfs(const ProbePoint &P, ProbeInstance Base);
  void checkProcfsFiles();
  // ProbeUser.cpp: process(...).function/.mark
  static bool isUserProbePoint(const ProbePoint &P);
  bool resolveUserProbe(const ProbePoint &P, const ProbeInstance &Base);
  /// Mark the tapset file that declared D as used: its probes run too.
  void useDeclFrom(const Decl *D);
  /// Resolve the bodies of probe instances from Prog.Probes[First...].
  void resolveProbeBodies(size_t First);

  // ProbeConditions.cpp
  /// The body of a probe instance with `if (cond)` points: a copy of P.Body
  /// that first tests the conditions (globals only) and skips everything.
  BlockStmt *conditionedBody(const ProbeInstance &P);

  // EntryValues.cpp
  /// Rewrite @entry(expr) in the user's .return probes into an entry probe
  /// that saves the values and a return body that reads them.
  void rewriteEntryValues();

  // Resolve.cpp
  void collectDeclarations();
  void resolveBody(Node *Body, BodyScope &S);
  FunctionDecl *findFunction(StringRef Name, size_t Arity);

  // TypeCheck.cpp
  bool inferTypes();
  void checkResolved();

  // ForeachCheck.cpp
  void checkForeach();

  // Histograms.cpp
  void checkHistograms();

  // GlobalUse.cpp
  /// Fills Prog.UnreadGlobals (needs resolved names).
  void findUnreadGlobals();

  // RegexCheck.cpp
  void checkRegexes();
  VarDecl *makeHiddenLocal(BlockStmt *Body, StringRef Name, TypeKind T);

  ASTContext &Ctx;
  DiagnosticEngine &Diags;
  const SemaOptions &Opts;
  Program &Prog;

  llvm::StringMap<GlobalDecl *> Globals;
  llvm::StringMap<std::vector<FunctionDecl *>> Functions;
  /// Parameters of each function, as VarDecls (index = parameter position).
  llvm::DenseMap<FunctionDecl *, std::vector<VarDecl *>> Params;
  llvm::DenseSet<FunctionDecl *> UsedFunctions;
  std::vector<ProbeAliasDecl *> Aliases;
  /// Index in Ctx.Files of the file each declaration comes from.
  llvm::DenseMap<const Decl *, unsigned> FileOf;
  /// Tapset files whose declarations the program uses (their probes are
  /// part of the program, as in stap), and those already added.
  llvm::DenseSet<unsigned> UsedFiles, AddedFiles;
  /// Combined alias+user bodies, so instances of one alias share one body.
  llvm::DenseMap<std::pair<const ProbeAliasDecl *, BlockStmt *>, BlockStmt *>
      AliasBodies;
  /// Source positions that already have a type error.
  llvm::DenseSet<const char *> TypeErrorLocs;
  /// Bodies guarded by probe-point conditions, by original body and
  /// conditions (instances of one conditioned point share one body).
  std::map<std::pair<BlockStmt *, std::vector<Expr *>>, BlockStmt *>
      ConditionedBodies;
  llvm::DenseSet<const Expr *> CheckedConditions;
  /// Locals of each distinct probe body.
  llvm::DenseMap<BlockStmt *, std::vector<VarDecl *>> LocalsOfBody;
  std::vector<FunctionDecl *> Worklist;
};

} // namespace stapc

#endif
