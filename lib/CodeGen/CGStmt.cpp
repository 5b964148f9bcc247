//===- CGStmt.cpp - Statements --------------------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

void ProbeEmitter::emitBlock(BlockStmt *S) {
  for (Stmt *C : S->getBody())
    emitStmt(C);
}

void ProbeEmitter::emitStmt(Stmt *S) {
  if (!S)
    return;
  setLoc(S->getLoc());
  LLVMContext &C = B.getContext();
  switch (S->getKind()) {
  case Node::Kind::Block:
    return emitBlock(cast<BlockStmt>(S));
  case Node::Kind::Null:
    return;
  case Node::Kind::ExprStmt:
    emitExpr(cast<ExprStmt>(S)->getExpr());
    return;
  case Node::Kind::If:
    return emitIf(cast<IfStmt>(S));
  case Node::Kind::While: {
    auto *W = cast<WhileStmt>(S);
    return emitWhile(W->getCond(), W->getBody(), nullptr, W->getLoc());
  }
  case Node::Kind::For: {
    auto *F = cast<ForStmt>(S);
    if (F->getInit())
      emitExpr(F->getInit());
    return emitWhile(F->getCond(), F->getBody(), F->getIncr(), F->getLoc());
  }
  case Node::Kind::Break:
  case Node::Kind::Continue: {
    size_t Floor = Frames.empty() ? 0 : Frames.back().LoopDepth;
    if (Loops.size() <= Floor) {
      CGM.getDiags().error(S->getLoc(), "'break'/'continue' outside a loop");
      return;
    }
    B.CreateBr(isa<BreakStmt>(S) ? Loops.back().Break : Loops.back().Continue);
    startDeadBlock();
    return;
  }
  case Node::Kind::Next:
    B.CreateBr(ExitBB);
    startDeadBlock();
    return;
  case Node::Kind::Return:
    return emitReturn(cast<ReturnStmt>(S));
  case Node::Kind::Delete:
    return emitDelete(cast<DeleteStmt>(S));
  case Node::Kind::Foreach:
    return emitForeach(cast<ForeachStmt>(S));
  case Node::Kind::Try:
    return emitTry(cast<TryStmt>(S));
  default:
    break;
  }
  (void)C;
  llvm_unreachable("not a statement");
}

void ProbeEmitter::emitIf(IfStmt *S) {
  LLVMContext &C = B.getContext();
  if (std::optional<bool> Known = constantDefined(S->getCond())) {
    // if (@defined($x)) ...: only the branch taken is emitted.
    if (Stmt *Taken = *Known ? S->getThen() : S->getElse())
      emitStmt(Taken);
    return;
  }
  Value *Cond = emitCondition(S->getCond());
  auto *Then = BasicBlock::Create(C, "if.then", Fn);
  auto *Else = BasicBlock::Create(C, "if.else", Fn);
  auto *End = BasicBlock::Create(C, "if.end", Fn);
  B.CreateCondBr(Cond, Then, Else);
  B.SetInsertPoint(Then);
  emitStmt(S->getThen());
  B.CreateBr(End);
  B.SetInsertPoint(Else);
  emitStmt(S->getElse());
  B.CreateBr(End);
  B.SetInsertPoint(End);
}

void ProbeEmitter::emitReturn(ReturnStmt *R) {
  if (Frames.empty()) {
    CGM.getDiags().error(R->getLoc(), "'return' outside a function");
    return;
  }
  // Copy the frame: evaluating the value may inline more calls, which
  // grows Frames and invalidates references into it.
  InlineFrame F = Frames.back();
  if (R->getValue()) {
    Value *V = emitExpr(R->getValue());
    if (F.Result.valid() && R->getValue()->getType() == TypeKind::String)
      copyString(addressOf(F.Result), V);
    else if (F.Result.valid())
      B.CreateStore(V, addressOf(F.Result));
  }
  B.CreateBr(F.Return);
  startDeadBlock();
}

/// try { ... } catch (msg) { ... }: errors raised while the try block runs,
/// also inside functions it calls (they are inlined), continue in the
/// catch block with the message instead of ending the probe.
void ProbeEmitter::emitTry(TryStmt *S) {
  LLVMContext &C = B.getContext();
  auto *Catch = BasicBlock::Create(C, "catch", Fn);
  auto *End = BasicBlock::Create(C, "try.end", Fn);
  Tries.push_back({Catch, S->getCatchVar()});
  emitBlock(S->getTryBlock());
  Tries.pop_back();
  B.CreateBr(End);
  B.SetInsertPoint(Catch);
  emitBlock(S->getCatchBlock());
  B.CreateBr(End);
  B.SetInsertPoint(End);
}
