//===- CGArray.cpp - Global arrays as BPF hash maps -----------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

/// An entry-block alloca whose lifetime starts here and ends at endKey():
/// short-lived slots (keys, headers) can then share stack space, of which
/// BPF has 512 bytes.
AllocaInst *ProbeEmitter::createScopedAlloca(Type *Ty, const Twine &Name) {
  AllocaInst *A = B.createEntryAlloca(Ty, Name);
  B.CreateLifetimeStart(
      A, B.IRBuilder<>::getInt64(
             A->getAllocationSize(CGM.getModule().getDataLayout())
                 ->getFixedValue()));
  return A;
}

void ProbeEmitter::endKey(Value *Key) {
  if (auto *A = dyn_cast<AllocaInst>(Key))
    B.CreateLifetimeEnd(A, B.IRBuilder<>::getInt64(
        A->getAllocationSize(CGM.getModule().getDataLayout())->getFixedValue()));
}

/// Build the key of an access in memory the map helpers accept: the stack
/// for small all-long keys, else a scratch slot. String columns are zeroed
/// first because the kernel hashes every byte of the key.
Value *ProbeEmitter::buildKey(const GlobalStorage &S, ArrayRef<Expr *> Keys) {
  bool AllLong = llvm::all_of(S.Keys, [](const SlotLayout &K) {
    return K.Ty != TypeKind::String; // formatted-later keys are longs
  });
  Value *Buf;
  if (AllLong && S.KeySize <= 72) {
    Buf = B.createEntryAlloca(ArrayType::get(B.getInt8Ty(), S.KeySize), "key");
    // Keys live only around their map call: the markers let LLVM share one
    // stack slot between many accesses (BPF has 512 bytes of stack).
    B.CreateLifetimeStart(Buf, B.IRBuilder<>::getInt64(S.KeySize));
  } else {
    // Reserve enough consecutive slot bytes for the whole key.
    unsigned Slot = CodeGenModule::alignTo8(CGM.getOptions().MaxStringLen);
    Buf = allocStringSlot();
    for (unsigned Extra = Slot; Extra < S.KeySize; Extra += Slot)
      allocStringSlot();
    // Zeroed in volatile pieces of at most 512 bytes: BPF has no memset to
    // call, its backend expands one into stores only up to 1024 bytes, and
    // LLVM would merge plain adjacent memsets back into one large one (a
    // long and two string keys are 1032 bytes).
    for (unsigned Off = 0; Off < S.KeySize; Off += 512)
      B.CreateMemSet(B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Buf, Off),
                     B.getInt8(0), std::min(512u, S.KeySize - Off), MaybeAlign(8),
                     /*isVolatile=*/true);
  }
  for (size_t I = 0; I < S.Keys.size() && I < Keys.size(); ++I) {
    Value *V = emitExpr(Keys[I]);
    Value *P = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Buf,
                                            S.Keys[I].Offset);
    if (S.Keys[I].Ty == TypeKind::String)
      copyString(P, V);
    else
      B.CreateStore(V, P);
  }
  return Buf;
}

static const GlobalStorage *arrayOf(CodeGenModule &CGM, Expr *Base) {
  auto *Sym = dyn_cast<SymbolRef>(Base);
  if (!Sym || !Sym->getDecl())
    return nullptr;
  const GlobalStorage &S = CGM.getGlobal(Sym->getDecl());
  return S.IsArray ? &S : nullptr;
}

Value *ProbeEmitter::emitArrayRead(ArrayIndex *E) {
  if (isa<StatExtractExpr>(E->getBase()))
    return emitHistBucketRead(E);
  const GlobalStorage *S = arrayOf(CGM, E->getBase());
  if (!S) {
    CGM.getDiags().error(E->getLoc(), "indexing this value is not supported "
                                      "yet");
    return B.getInt64(0);
  }
  Value *Key = buildKey(*S, E->getIndices());
  setLoc(E->getLoc());
  Value *Elem = B.createMapLookup(S->GV, Key);
  endKey(Key);
  // A missing element reads as 0 or "" and is not created (stap semantics).
  if (S->Value.Ty == TypeKind::String) {
    Value *Empty = CGM.getStringConstant("");
    return B.CreateSelect(B.CreateIsNull(Elem), Empty, Elem);
  }
  LLVMContext &C = B.getContext();
  Value *Result = B.createEntryAlloca(B.getInt64Ty(), "elem.val");
  B.CreateStore(B.getInt64(0), Result);
  auto *Found = BasicBlock::Create(C, "elem.found", Fn);
  auto *Done = BasicBlock::Create(C, "elem.done", Fn);
  B.CreateCondBr(B.CreateIsNull(Elem), Done, Found);
  B.SetInsertPoint(Found);
  B.CreateStore(B.CreateLoad(B.getInt64Ty(), Elem), Result);
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  return B.CreateLoad(B.getInt64Ty(), Result);
}

/// The element's address, inserting a zero element first when Create is
/// set. A full array is a runtime error, as in stap.
Value *ProbeEmitter::emitArrayElementPtr(ArrayIndex *E, bool Create) {
  const GlobalStorage *S = arrayOf(CGM, E->getBase());
  if (!S) {
    CGM.getDiags().error(E->getLoc(), "only global arrays can be assigned to");
    return CGM.getStringConstant("");
  }
  LLVMContext &C = B.getContext();
  Value *Key = buildKey(*S, E->getIndices());
  setLoc(E->getLoc());
  Value *Slot = B.createEntryAlloca(B.getPtrTy(), "elem.ptr");
  B.CreateStore(B.createMapLookup(S->GV, Key), Slot);
  if (!Create) {
    endKey(Key);
    return B.CreateLoad(B.getPtrTy(), Slot);
  }
  auto *Insert = BasicBlock::Create(C, "elem.insert", Fn);
  auto *Have = BasicBlock::Create(C, "elem.have", Fn);
  B.CreateCondBr(B.CreateIsNull(B.CreateLoad(B.getPtrTy(), Slot)), Insert,
                 Have);

  B.SetInsertPoint(Insert);
  // BPF_NOEXIST: if another CPU inserted it meanwhile, -EEXIST is fine.
  Value *Zero = CGM.getStringConstant(
      std::string(S->Value.Size > 1 ? S->Value.Size - 1 : 0, '\0'));
  Value *Err = B.createMapUpdate(S->GV, Key, Zero, BPF_NOEXIST);
  const int64_t ErrExist = 17; // EEXIST
  Value *Failed = B.CreateAnd(B.CreateICmpNE(Err, B.getInt64(0)),
                              B.CreateICmpNE(Err, B.getInt64(-ErrExist)));
  StringRef Name = cast<SymbolRef>(E->getBase())->getName();
  exitIf(Failed, E->getLoc(),
         ("Array overflow, check size limit of '" + Name + "'").str());
  Value *Again = B.createMapLookup(S->GV, Key);
  B.CreateStore(Again, Slot);
  exitIf(B.CreateIsNull(Again), E->getLoc(),
         ("cannot read back element of '" + Name + "'").str());
  B.CreateBr(Have);

  B.SetInsertPoint(Have);
  endKey(Key);
  return B.CreateLoad(B.getPtrTy(), Slot);
}

/// `arr[k] = v` for a long: one map update (BPF_ANY) where a read-modify
/// write needs a lookup, an insert and a second lookup. A full array fails
/// the update with -E2BIG (existing keys are replaced even then).
void ProbeEmitter::emitArrayAssignLong(ArrayIndex *E, Value *V) {
  const GlobalStorage *S = arrayOf(CGM, E->getBase());
  if (!S) {
    CGM.getDiags().error(E->getLoc(), "only global arrays can be assigned to");
    return;
  }
  Value *Key = buildKey(*S, E->getIndices());
  setLoc(E->getLoc());
  AllocaInst *Elem = createScopedAlloca(B.getInt64Ty(), "elem.value");
  B.CreateStore(V, Elem);
  Value *Err = B.createMapUpdate(S->GV, Key, Elem, BPF_ANY);
  endKey(Elem);
  endKey(Key);
  StringRef Name = cast<SymbolRef>(E->getBase())->getName();
  exitIf(B.CreateICmpNE(Err, B.getInt64(0)), E->getLoc(),
         ("Array overflow, check size limit of '" + Name + "'").str());
}

Value *ProbeEmitter::emitInExpr(InExpr *E) {
  const GlobalStorage *S = arrayOf(CGM, E->getArray());
  if (!S)
    return B.getInt64(0);
  if (llvm::any_of(E->getKeys(), [](Expr *K) { return !K; }))
    return emitSliceIn(*S, E->getKeys());
  Value *Key = buildKey(*S, E->getKeys());
  Value *Elem = B.createMapLookup(S->GV, Key);
  endKey(Key);
  return B.CreateZExt(B.CreateIsNotNull(Elem), B.getInt64Ty());
}

void ProbeEmitter::emitDelete(DeleteStmt *S) {
  Expr *T = S->getTarget();
  if (auto *A = dyn_cast<ArrayIndex>(T)) {
    const GlobalStorage *G = arrayOf(CGM, A->getBase());
    if (!G)
      return;
    if (llvm::any_of(A->getIndices(), [](Expr *K) { return !K; }))
      return emitSliceDelete(*G, A->getIndices());
    Value *Key = buildKey(*G, A->getIndices());
    B.createMapDelete(G->GV, Key);
    endKey(Key);
    return;
  }
  if (auto *Sym = dyn_cast<SymbolRef>(T)) {
    const VarDecl *V = Sym->getDecl();
    if (V && V->getVarKind() == VarDecl::Global && CGM.getGlobal(V).IsArray) {
      // Every element goes, through the kernel's map iterator.
      B.createHelperCall(BPFHelper::ForEachMapElem, B.getInt64Ty(),
                         {CGM.getGlobal(V).GV, CGM.getDeleteElementCallback(),
                          ConstantPointerNull::get(B.getPtrTy()),
                          B.getInt64(0)},
                         "clear");
      return;
    }
    if (V && V->Ty == TypeKind::Stats)
      return emitStatClear(CGM.getGlobal(V), S->getLoc());
    if (V && V->Arity == 0) {
      // Deleting a scalar resets it.
      if (V->Ty == TypeKind::String)
        storeTo(T, CGM.getStringConstant(""));
      else
        storeTo(T, B.getInt64(0));
      return;
    }
  }
  CGM.getDiags().error(S->getLoc(), "only array elements, arrays and "
                                    "variables can be deleted");
}
