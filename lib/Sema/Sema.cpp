//===- Sema.cpp - Elaboration driver --------------------------------------===//
#include "SemaImpl.h"

using namespace stapc;

bool SemaImpl::run() {
  collectDeclarations();
  if (Ctx.Files.empty())
    return false;
  resolveProbes(Ctx.Files.front());
  if (Diags.hasErrors())
    return false;
  if (Prog.Probes.empty()) {
    Diags.error("semantic error: no probes found");
    return false;
  }

  // Resolve each probe body once; instances that share a body share its
  // locals.
  llvm::DenseMap<ProbeDecl *, std::vector<VarDecl *>> LocalsOf;
  for (ProbeInstance &P : Prog.Probes) {
    auto [It, Inserted] = LocalsOf.try_emplace(P.Decl);
    if (Inserted) {
      BodyScope S;
      S.LocalList = &It->second;
      S.Probe = &P;
      resolveBody(P.Body, S);
    }
  }
  for (ProbeInstance &P : Prog.Probes)
    P.Locals = LocalsOf[P.Decl];

  // Functions reachable from the probes, transitively.
  while (!Worklist.empty()) {
    FunctionDecl *F = Worklist.back();
    Worklist.pop_back();
    Prog.Functions.push_back(F);
    Prog.FunctionLocals.emplace_back();
    Prog.FunctionParams.push_back(Params[F]);
    if (F->IsEmbedded) {
      Diags.error(F->EmbeddedLoc,
                  "function '" + F->getName() +
                      "' is written in embedded C, which BPF cannot run; "
                      "write it in the script language instead");
      continue;
    }
    BodyScope S;
    S.Function = F;
    S.LocalList = &Prog.FunctionLocals.back();
    for (VarDecl *V : Params[F])
      S.Locals[V->getName()] = V;
    resolveBody(F->Body, S);
  }
  if (Diags.hasErrors())
    return false;

  if (!inferTypes())
    return false;
  checkResolved();
  return !Diags.hasErrors();
}

bool stapc::elaborate(ASTContext &Ctx, DiagnosticEngine &Diags,
                      const SemaOptions &Opts, Program &Prog) {
  return SemaImpl(Ctx, Diags, Opts, Prog).run();
}
