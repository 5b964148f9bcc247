//===- Sema.cpp - Elaboration driver --------------------------------------===//
#include "SemaImpl.h"

using namespace stapc;

void SemaImpl::resolveProbeBodies(size_t First) {
  // Instances that share a body (several points, wildcards) share its
  // locals; the body is resolved once.
  for (size_t I = First; I < Prog.Probes.size(); ++I) {
    ProbeInstance &P = Prog.Probes[I];
    if (!P.Conditions.empty())
      P.Body = conditionedBody(P);
    auto [It, Inserted] = LocalsOfBody.try_emplace(P.Body);
    if (Inserted) {
      BodyScope S;
      S.LocalList = &It->second;
      S.Probe = &P;
      resolveBody(P.Body, S);
    }
  }
}

bool SemaImpl::run() {
  rewriteEntryValues();
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
  resolveProbeBodies(0);

  // Functions reachable from the probes, transitively; a tapset file whose
  // function, global or alias is used brings its own probes along (tapsets
  // initialise their globals in `probe begin`), which may use more.
  for (;;) {
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
    bool AddedAny = false;
    std::vector<unsigned> Pending;
    for (unsigned FileIdx : UsedFiles)
      if (!AddedFiles.count(FileIdx))
        Pending.push_back(FileIdx);
    llvm::sort(Pending);
    for (unsigned FileIdx : Pending) {
      AddedFiles.insert(FileIdx);
      size_t First = Prog.Probes.size();
      resolveProbes(Ctx.Files[FileIdx]);
      resolveProbeBodies(First);
      AddedAny = true;
    }
    if (!AddedAny && Worklist.empty())
      break;
  }
  for (ProbeInstance &P : Prog.Probes)
    P.Locals = LocalsOfBody[P.Body];
  checkProcfsFiles();
  if (Diags.hasErrors())
    return false;

  if (!inferTypes())
    return false;
  checkResolved();
  checkForeach();
  checkRegexes();
  if (!Diags.hasErrors())
    checkHistograms();
  if (Diags.hasErrors())
    return false;
  findUnreadGlobals();
  return true;
}

bool stapc::elaborate(ASTContext &Ctx, DiagnosticEngine &Diags,
                      const SemaOptions &Opts, Program &Prog) {
  return SemaImpl(Ctx, Diags, Opts, Prog).run();
}
