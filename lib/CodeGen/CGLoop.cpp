//===- CGLoop.cpp - while and for loops, MAXACTION ------------------------===//
//
// A loop runs as a bpf_loop callback (see CGCallback.cpp): the verifier
// checks the body once, whatever the trip count, on every kernel since
// 5.17. Each iteration charges the statements of its body to the probe's
// MAXACTION budget (stap's limit on statements per probe hit); running out
// is a runtime error, so bpf_loop's own bound is never what stops a loop.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

/// bpf_loop refuses more iterations than this (BPF_MAX_LOOPS).
static constexpr uint64_t MaxBPFLoops = 1u << 23;

/// Statements one iteration of a loop body executes at most, not counting
/// the bodies of loops nested in it (their iterations charge themselves).
static unsigned countStatements(Stmt *S) {
  if (!S)
    return 0;
  switch (S->getKind()) {
  case Node::Kind::Null:
    return 0;
  case Node::Kind::Block: {
    unsigned N = 0;
    for (Stmt *C : cast<BlockStmt>(S)->getBody())
      N += countStatements(C);
    return N;
  }
  case Node::Kind::If: {
    auto *I = cast<IfStmt>(S);
    return 1 + countStatements(I->getThen()) + countStatements(I->getElse());
  }
  case Node::Kind::Try: {
    auto *T = cast<TryStmt>(S);
    return 1 + countStatements(T->getTryBlock()) +
           countStatements(T->getCatchBlock());
  }
  default:
    return 1;
  }
}

/// The probe's MAXACTION budget: stap allows more in begin/end/error probes
/// (MAXACTION_INTERRUPTIBLE), which run in process context, as procfs
/// probes do (in the loader's, when a file is read or written).
static uint64_t actionBudget(const ProbeInstance &P,
                             const CodeGenOptions &Opts) {
  bool Interruptible = P.Kind == ProbeKind::Begin ||
                       P.Kind == ProbeKind::End || P.Kind == ProbeKind::Error ||
                       P.Kind == ProbeKind::Procfs;
  return Interruptible ? Opts.MaxActionInterruptible : Opts.MaxAction;
}

uint64_t ProbeEmitter::loopBound() const {
  return std::min<uint64_t>(actionBudget(Probe, CGM.getOptions()) + 1,
                            MaxBPFLoops);
}

void ProbeEmitter::emitActionCount(Stmt *Body, SMLoc Loc) {
  Value *Slot = scratchAt(ActionsOffset);
  Value *N = B.CreateAdd(B.CreateLoad(B.getInt64Ty(), Slot, "actions"),
                         B.getInt64(1 + countStatements(Body)));
  B.CreateStore(N, Slot);
  // Not catchable: the probe has run too long, whatever the script says.
  std::vector<TryHandler> Saved;
  Saved.swap(Tries);
  exitIf(B.CreateICmpUGT(N, B.getInt64(actionBudget(Probe, CGM.getOptions()))),
         Loc, "MAXACTION exceeded");
  Tries.swap(Saved);
}

void ProbeEmitter::emitWhile(Expr *Cond, Stmt *Body, Expr *Incr, SMLoc Loc) {
  Value *Frame = createFrame();
  Callback CB =
      enterCallback("loop", {{"index", false}, {"frame", true}}, /*Frame=*/1);
  LLVMContext &C = B.getContext();
  auto *BodyBB = BasicBlock::Create(C, "loop.body", Fn);
  auto *Step = BasicBlock::Create(C, "loop.step", Fn);
  auto *Stop = BasicBlock::Create(C, "loop.stop", Fn);
  setLoc(Loc);
  if (Cond)
    B.CreateCondBr(emitCondition(Cond), BodyBB, Stop);
  else
    B.CreateBr(BodyBB);
  B.SetInsertPoint(BodyBB);
  emitActionCount(Body, Loc);
  Loops.push_back({Stop, Step});
  emitStmt(Body);
  Loops.pop_back();
  B.CreateBr(Step);
  B.SetInsertPoint(Step);
  if (Incr)
    emitExpr(Incr);
  returnFromCallback(false);
  B.SetInsertPoint(Stop);
  returnFromCallback(true);
  leaveCallback(CB);

  setLoc(Loc);
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt64(loopBound()), CB.Fn, Frame, B.getInt64(0)},
                     "loop");
  dispatchPendingJump(CB);
}
