//===- CGExpr.cpp - Expressions -------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

using namespace stapc;
using namespace llvm;

Value *ProbeEmitter::emitCondition(Expr *E) {
  Value *V = emitExpr(E);
  return B.CreateICmpNE(V, B.getInt64(0), "cond");
}

Value *ProbeEmitter::emitExpr(Expr *E) {
  switch (E->getKind()) {
  case Node::Kind::IntegerLiteral:
    return B.getInt64(cast<IntegerLiteral>(E)->getValue());
  case Node::Kind::StringLiteral:
    return CGM.getStringConstant(cast<StringLiteral>(E)->getValue());
  case Node::Kind::SymbolRef: {
    const VarDecl *V = cast<SymbolRef>(E)->getDecl();
    if (V->getVarKind() == VarDecl::Global) {
      const GlobalStorage &S = CGM.getGlobal(V);
      if (V->Ty == TypeKind::String)
        return S.GV;
      return B.CreateLoad(B.getInt64Ty(), S.GV, V->getName());
    }
    Value *Slot = getLocal(V);
    if (V->Ty == TypeKind::String)
      return Slot;
    return B.CreateLoad(B.getInt64Ty(), Slot, V->getName());
  }
  case Node::Kind::ArrayIndex:
    return emitArrayRead(cast<ArrayIndex>(E));
  case Node::Kind::FunctionCall:
    return emitCall(cast<FunctionCall>(E));
  case Node::Kind::Unary: {
    auto *U = cast<UnaryExpr>(E);
    switch (U->getOp()) {
    case UnaryOp::Neg:
      return B.CreateNeg(emitExpr(U->getOperand()));
    case UnaryOp::Plus:
      return emitExpr(U->getOperand());
    case UnaryOp::LogicalNot:
      return B.CreateZExt(
          B.CreateICmpEQ(emitExpr(U->getOperand()), B.getInt64(0)),
          B.getInt64Ty());
    case UnaryOp::BitNot:
      return B.CreateNot(emitExpr(U->getOperand()));
    case UnaryOp::PreInc:
      return emitIncDec(U->getOperand(), true, false);
    case UnaryOp::PreDec:
      return emitIncDec(U->getOperand(), false, false);
    case UnaryOp::AddressOf:
      CGM.getDiags().error(E->getLoc(), "'&' is not supported yet");
      return B.getInt64(0);
    }
    break;
  }
  case Node::Kind::Postfix: {
    auto *P = cast<PostfixExpr>(E);
    return emitIncDec(P->getOperand(), P->getOp() == PostfixOp::PostInc, true);
  }
  case Node::Kind::Binary:
    return emitBinary(cast<BinaryExpr>(E));
  case Node::Kind::Assign:
    return emitAssign(cast<AssignExpr>(E));
  case Node::Kind::Ternary:
    return emitTernary(cast<TernaryExpr>(E));
  case Node::Kind::Defined:
    return B.getInt64(targetResolves(cast<DefinedExpr>(E)->getOperand()));
  case Node::Kind::In:
    return emitInExpr(cast<InExpr>(E));
  case Node::Kind::StatExtract:
    return emitStatExtract(cast<StatExtractExpr>(E));
  case Node::Kind::TargetSymbol:
  case Node::Kind::Cast:
  case Node::Kind::AtVar:
  case Node::Kind::Autocast:
    return emitTargetExpr(cast<TargetExpr>(E));
  default:
    break;
  }
  CGM.getDiags().error(E->getLoc(),
                       "this expression is not supported by this stapc build "
                       "yet");
  return E->getType() == TypeKind::String ? CGM.getStringConstant("")
                                          : B.getInt64(0);
}

Value *ProbeEmitter::emitTernary(TernaryExpr *E) {
  LLVMContext &C = B.getContext();
  if (std::optional<bool> Known = constantDefined(E->getCond())) {
    // @defined(x) ? x : y: the arm not taken may not resolve here.
    Value *V = emitExpr(*Known ? E->getThen() : E->getElse());
    if (E->getType() != TypeKind::String)
      return V;
    Value *Result = allocStringSlot();
    copyString(Result, V);
    return Result;
  }
  Value *Cond = emitCondition(E->getCond());
  bool IsString = E->getType() == TypeKind::String;
  Value *Result = IsString ? allocStringSlot()
                           : B.createEntryAlloca(B.getInt64Ty(), "ternary");
  auto *Then = BasicBlock::Create(C, "cond.true", Fn);
  auto *Else = BasicBlock::Create(C, "cond.false", Fn);
  auto *End = BasicBlock::Create(C, "cond.end", Fn);
  B.CreateCondBr(Cond, Then, Else);
  for (auto [BB, Arm] : {std::pair{Then, E->getThen()}, {Else, E->getElse()}}) {
    B.SetInsertPoint(BB);
    Value *V = emitExpr(Arm);
    if (IsString)
      copyString(Result, V);
    else
      B.CreateStore(V, Result);
    B.CreateBr(End);
  }
  B.SetInsertPoint(End);
  return IsString ? Result : B.CreateLoad(B.getInt64Ty(), Result);
}

Value *ProbeEmitter::emitLogical(BinaryExpr *E) {
  LLVMContext &C = B.getContext();
  bool IsAnd = E->getOp() == BinaryOp::LogicalAnd;
  // @defined($x) && $x->y: the right side is not emitted when the left
  // decides (it may not resolve in this probe).
  if (std::optional<bool> Known = constantDefined(E->getLHS())) {
    if (*Known != IsAnd)
      return B.getInt64(*Known ? 1 : 0);
    return B.CreateZExt(emitCondition(E->getRHS()), B.getInt64Ty());
  }
  Value *Result = B.createEntryAlloca(B.getInt64Ty(), IsAnd ? "and" : "or");
  Value *L = emitCondition(E->getLHS());
  B.CreateStore(B.CreateZExt(L, B.getInt64Ty()), Result);
  auto *RHS = BasicBlock::Create(C, IsAnd ? "and.rhs" : "or.rhs", Fn);
  auto *End = BasicBlock::Create(C, IsAnd ? "and.end" : "or.end", Fn);
  if (IsAnd)
    B.CreateCondBr(L, RHS, End);
  else
    B.CreateCondBr(L, End, RHS);
  B.SetInsertPoint(RHS);
  Value *R = emitCondition(E->getRHS());
  B.CreateStore(B.CreateZExt(R, B.getInt64Ty()), Result);
  B.CreateBr(End);
  B.SetInsertPoint(End);
  return B.CreateLoad(B.getInt64Ty(), Result);
}

/// Signed division and remainder. BPF before cpu v4 has only unsigned
/// division, so divide magnitudes and fix the signs (C semantics: the
/// quotient truncates toward zero, the remainder has the dividend's sign).
static std::pair<Value *, Value *> signedDivRem(BPFIRBuilder &B, Value *L,
                                                Value *R) {
  Value *LNeg = B.CreateICmpSLT(L, B.getInt64(0));
  Value *RNeg = B.CreateICmpSLT(R, B.getInt64(0));
  Value *LAbs = B.CreateSelect(LNeg, B.CreateNeg(L), L);
  Value *RAbs = B.CreateSelect(RNeg, B.CreateNeg(R), R);
  Value *Q = B.CreateUDiv(LAbs, RAbs);
  Value *Rem = B.CreateURem(LAbs, RAbs);
  Value *Quot = B.CreateSelect(B.CreateXor(LNeg, RNeg), B.CreateNeg(Q), Q);
  Value *Remainder = B.CreateSelect(LNeg, B.CreateNeg(Rem), Rem);
  return {Quot, Remainder};
}

Value *ProbeEmitter::emitLongOp(BinaryOp Op, Value *L, Value *R, SMLoc Loc) {
  switch (Op) {
  case BinaryOp::Add: return B.CreateAdd(L, R);
  case BinaryOp::Sub: return B.CreateSub(L, R);
  case BinaryOp::Mul: return B.CreateMul(L, R);
  case BinaryOp::Div:
  case BinaryOp::Rem: {
    exitIf(B.CreateICmpEQ(R, B.getInt64(0)), Loc, "division by 0");
    auto [Q, Rem] = signedDivRem(B, L, R);
    return Op == BinaryOp::Div ? Q : Rem;
  }
  // Shift counts wrap at 64 as on the hardware (C leaves them undefined).
  case BinaryOp::Shl: return B.CreateShl(L, B.CreateAnd(R, 63));
  case BinaryOp::Shr: return B.CreateAShr(L, B.CreateAnd(R, 63));
  case BinaryOp::BitAnd: return B.CreateAnd(L, R);
  case BinaryOp::BitOr: return B.CreateOr(L, R);
  case BinaryOp::BitXor: return B.CreateXor(L, R);
  case BinaryOp::LT: return B.CreateZExt(B.CreateICmpSLT(L, R), B.getInt64Ty());
  case BinaryOp::GT: return B.CreateZExt(B.CreateICmpSGT(L, R), B.getInt64Ty());
  case BinaryOp::LE: return B.CreateZExt(B.CreateICmpSLE(L, R), B.getInt64Ty());
  case BinaryOp::GE: return B.CreateZExt(B.CreateICmpSGE(L, R), B.getInt64Ty());
  case BinaryOp::EQ: return B.CreateZExt(B.CreateICmpEQ(L, R), B.getInt64Ty());
  case BinaryOp::NE: return B.CreateZExt(B.CreateICmpNE(L, R), B.getInt64Ty());
  default:
    break;
  }
  llvm_unreachable("not a long operator");
}

Value *ProbeEmitter::emitBinary(BinaryExpr *E) {
  BinaryOp Op = E->getOp();
  if (Op == BinaryOp::LogicalAnd || Op == BinaryOp::LogicalOr)
    return emitLogical(E);
  if (Op == BinaryOp::RegexMatch || Op == BinaryOp::RegexNoMatch)
    return emitRegexMatch(E);
  Value *L = emitExpr(E->getLHS());
  Value *R = emitExpr(E->getRHS());
  setLoc(E->getOpLoc().isValid() ? E->getOpLoc() : E->getLoc());
  if (Op == BinaryOp::Concat)
    return emitConcat(L, R);
  if (E->getLHS()->getType() == TypeKind::String)
    return emitStringCompare(Op, L, R);
  return emitLongOp(Op, L, R, E->getOpLoc().isValid() ? E->getOpLoc()
                                                     : E->getLoc());
}

static BinaryOp compoundOp(AssignOp Op) {
  switch (Op) {
  case AssignOp::AddAssign: return BinaryOp::Add;
  case AssignOp::SubAssign: return BinaryOp::Sub;
  case AssignOp::MulAssign: return BinaryOp::Mul;
  case AssignOp::DivAssign: return BinaryOp::Div;
  case AssignOp::RemAssign: return BinaryOp::Rem;
  case AssignOp::ShlAssign: return BinaryOp::Shl;
  case AssignOp::ShrAssign: return BinaryOp::Shr;
  case AssignOp::AndAssign: return BinaryOp::BitAnd;
  case AssignOp::XorAssign: return BinaryOp::BitXor;
  case AssignOp::OrAssign: return BinaryOp::BitOr;
  default: llvm_unreachable("not a compound assignment");
  }
}

Value *ProbeEmitter::emitAssign(AssignExpr *E) {
  switch (E->getOp()) {
  case AssignOp::Assign: {
    Value *V = emitExpr(E->getRHS());
    setLoc(E->getLoc());
    storeTo(E->getLHS(), V);
    return V;
  }
  case AssignOp::ConcatAssign: {
    Value *L = emitExpr(E->getLHS());
    Value *R = emitExpr(E->getRHS());
    Value *V = emitConcat(L, R);
    storeTo(E->getLHS(), V);
    return V;
  }
  case AssignOp::Aggregate:
    return emitStatUpdate(E);
  default: {
    Value *R = emitExpr(E->getRHS());
    return updateLong(E->getLHS(), compoundOp(E->getOp()), R, E->getOpLoc())
        .second;
  }
  }
}

Value *ProbeEmitter::emitIncDec(Expr *Operand, bool Inc, bool Postfix) {
  auto [Old, New] = updateLong(Operand, Inc ? BinaryOp::Add : BinaryOp::Sub,
                               B.getInt64(1), Operand->getLoc());
  return Postfix ? Old : New;
}

/// Where a long lvalue lives, or null for array elements (which need the
/// map helpers).
static bool isGlobalVar(Expr *E) {
  auto *S = dyn_cast<SymbolRef>(E);
  return S && S->getDecl() && S->getDecl()->getVarKind() == VarDecl::Global;
}

std::pair<Value *, Value *>
ProbeEmitter::updateLong(Expr *Target, BinaryOp Op, Value *Operand, SMLoc Loc) {
  Value *Ptr = nullptr;
  bool Shared = false; // other CPUs may update it concurrently
  if (auto *S = dyn_cast<SymbolRef>(Target)) {
    Shared = isGlobalVar(Target);
    Ptr = Shared ? CGM.getGlobal(S->getDecl()).GV : getLocal(S->getDecl());
  } else if (auto *A = dyn_cast<ArrayIndex>(Target)) {
    Ptr = emitArrayElementPtr(A, /*Create=*/true);
    Shared = true;
  } else {
    CGM.getDiags().error(Target->getLoc(), "this cannot be assigned to");
    return {B.getInt64(0), B.getInt64(0)};
  }
  // Counters in shared storage use atomic add/sub so that concurrent hits on
  // other CPUs are not lost; other operators are plain read-modify-write.
  if (Shared && (Op == BinaryOp::Add || Op == BinaryOp::Sub)) {
    Value *Delta = Op == BinaryOp::Add ? Operand : B.CreateNeg(Operand);
    Value *Old = B.CreateAtomicRMW(AtomicRMWInst::Add, Ptr, Delta,
                                   MaybeAlign(8), AtomicOrdering::Monotonic);
    return {Old, B.CreateAdd(Old, Delta)};
  }
  Value *Old = B.CreateLoad(B.getInt64Ty(), Ptr);
  Value *New = emitLongOp(Op, Old, Operand, Loc);
  B.CreateStore(New, Ptr);
  return {Old, New};
}

void ProbeEmitter::storeTo(Expr *Target, Value *V) {
  bool IsString = Target->getType() == TypeKind::String;
  if (auto *S = dyn_cast<SymbolRef>(Target)) {
    const VarDecl *D = S->getDecl();
    Value *Ptr = D->getVarKind() == VarDecl::Global ? CGM.getGlobal(D).GV
                                                    : getLocal(D);
    if (IsString)
      copyString(Ptr, V);
    else
      B.CreateStore(V, Ptr);
    return;
  }
  if (auto *A = dyn_cast<ArrayIndex>(Target)) {
    if (!IsString) {
      emitArrayAssignLong(A, V);
      return;
    }
    Value *Ptr = emitArrayElementPtr(A, /*Create=*/true);
    if (IsString)
      copyString(Ptr, V);
    else
      B.CreateStore(V, Ptr);
    return;
  }
  CGM.getDiags().error(Target->getLoc(),
                       "only variables and array elements can be assigned to "
                       "(target variables need guru mode, -g)");
}

void ProbeEmitter::exitIf(Value *Cond, SMLoc Loc, StringRef Message) {
  LLVMContext &C = B.getContext();
  auto *Fail = BasicBlock::Create(C, "rt.error", Fn);
  auto *Ok = BasicBlock::Create(C, "rt.ok", Fn);
  B.CreateCondBr(Cond, Fail, Ok);
  B.SetInsertPoint(Fail);
  emitRuntimeError(Loc, Message);
  B.SetInsertPoint(Ok);
}

void ProbeEmitter::emitRuntimeError(SMLoc Loc, StringRef Message,
                                    ArrayRef<Value *> Args,
                                    ArrayRef<TypeKind> Types) {
  if (!Tries.empty()) {
    // Caught: hand the message to the catch variable and go on there.
    const TryHandler &H = Tries.back();
    if (H.Message) {
      bool Verbatim =
          Message == "%s" && Args.size() == 1 && Types[0] == TypeKind::String;
      storeTo(H.Message, Verbatim ? Args[0] : CGM.getStringConstant(Message));
    }
    B.CreateBr(H.Catch);
    return;
  }
  countUncaughtError();
  unsigned Id = CGM.addError(Loc, Message);
  emitRecord(STAPC_REC_ERROR, Id, Args, Types);
  B.CreateBr(ExitBB);
}

/// stap stops a session at the error after MAXERRORS. The loader learns of
/// errors only when it reads their records, and until then other hits (or
/// this CPU's next events) would report more: so the error that reaches the
/// limit sets stapc_exiting itself, and one racing past it on another CPU
/// leaves without a record. Probes the loader runs (begin, end, error)
/// report every error; their count still lets the loader decide when
/// records were lost.
void ProbeEmitter::countUncaughtError() {
  Value *Before = B.CreateAtomicRMW(AtomicRMWInst::Add, CGM.getErrorsVar(),
                                    B.getInt64(1), MaybeAlign(8),
                                    AtomicOrdering::Monotonic);
  if (!isEventProbe())
    return;
  LLVMContext &C = B.getContext();
  uint64_t Max = CGM.getOptions().MaxErrors;
  auto *Late = BasicBlock::Create(C, "error.late", Fn);
  auto *Report = BasicBlock::Create(C, "error.report", Fn);
  B.CreateCondBr(B.CreateICmpUGT(Before, B.getInt64(Max)), Late, Report);
  B.SetInsertPoint(Late);
  B.CreateBr(ExitBB);
  B.SetInsertPoint(Report);
  auto *Last = BasicBlock::Create(C, "error.last", Fn);
  auto *Send = BasicBlock::Create(C, "error.send", Fn);
  B.CreateCondBr(B.CreateICmpEQ(Before, B.getInt64(Max)), Last, Send);
  B.SetInsertPoint(Last);
  B.CreateStore(B.getInt32(1), CGM.getExitingVar(), true);
  B.CreateBr(Send);
  B.SetInsertPoint(Send);
}
