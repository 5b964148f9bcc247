//===- CGSlice.cpp - Array slices: arr[*, k] in foreach, `in`, delete -----===//
//
// A slice fixes some key columns and leaves the others (`*`) free. The
// fixed values are evaluated once into scratch homes, so the callbacks that
// walk the map (bpf_for_each_map_elem) can compare each element's key
// against them.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

SmallVector<ProbeEmitter::Home, 4>
ProbeEmitter::emitSliceValues(const GlobalStorage &G, ArrayRef<Expr *> Slice) {
  SmallVector<Home, 4> Values;
  for (size_t I = 0; I < Slice.size(); ++I) {
    Values.push_back(Home());
    if (!Slice[I] || I >= G.Keys.size())
      continue;
    TypeKind T = G.Keys[I].Ty;
    Values.back() = allocHome(T, "slice");
    Value *V = emitExpr(Slice[I]);
    if (T == TypeKind::String)
      copyString(addressOf(Values.back()), V);
    else
      B.CreateStore(V, addressOf(Values.back()));
  }
  return Values;
}

Value *ProbeEmitter::emitSliceMatch(const GlobalStorage &G, Value *KeyPtr,
                                    ArrayRef<Expr *> Slice,
                                    ArrayRef<Home> Values) {
  Value *Match = B.getTrue();
  for (size_t I = 0; I < Slice.size() && I < G.Keys.size(); ++I) {
    if (!Slice[I])
      continue;
    Value *Col = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), KeyPtr,
                                              G.Keys[I].Offset);
    Value *Want = addressOf(Values[I]);
    Value *Same =
        G.Keys[I].Ty == TypeKind::String
            ? B.CreateICmpEQ(emitStringCompare(BinaryOp::EQ, Col, Want),
                             B.getInt64(1))
            : B.CreateICmpEQ(B.CreateLoad(B.getInt64Ty(), Col),
                             B.CreateLoad(B.getInt64Ty(), Want));
    Match = B.CreateAnd(Match, Same);
  }
  return Match;
}

/// Walk every element of G whose key matches Slice; Body is emitted in
/// the callback, with the element's key pointer, and returns whether to
/// stop the walk.
void ProbeEmitter::emitSliceWalk(
    const GlobalStorage &G, ArrayRef<Expr *> Slice, StringRef Name,
    function_ref<bool(Value *Map, Value *KeyPtr)> Body) {
  SmallVector<Home, 4> Values = emitSliceValues(G, Slice);
  Callback CB = enterCallback(
      Name, {{"map", true}, {"key", true}, {"value", true}, {"ctx", true}},
      /*FrameArg=*/-1);
  LLVMContext &C = B.getContext();
  auto *Hit = BasicBlock::Create(C, "slice.hit", Fn);
  auto *Miss = BasicBlock::Create(C, "slice.miss", Fn);
  B.CreateCondBr(emitSliceMatch(G, Fn->getArg(1), Slice, Values), Hit, Miss);
  B.SetInsertPoint(Miss);
  returnFromCallback(false);
  B.SetInsertPoint(Hit);
  returnFromCallback(Body(Fn->getArg(0), Fn->getArg(1)));
  leaveCallback(CB);
  B.createHelperCall(BPFHelper::ForEachMapElem, B.getInt64Ty(),
                     {G.GV, CB.Fn, ConstantPointerNull::get(B.getPtrTy()),
                      B.getInt64(0)},
                     Name);
  dispatchPendingJump(CB);
}

Value *ProbeEmitter::emitSliceIn(const GlobalStorage &G,
                                 ArrayRef<Expr *> Slice) {
  unsigned Found = allocScratch(8);
  B.CreateStore(B.getInt64(0), scratchAt(Found));
  emitSliceWalk(G, Slice, "in_slice", [&](Value *, Value *) {
    B.CreateStore(B.getInt64(1), scratchAt(Found));
    return true; // one match answers the question
  });
  return B.CreateLoad(B.getInt64Ty(), scratchAt(Found), "in.slice");
}

void ProbeEmitter::emitSliceDelete(const GlobalStorage &G,
                                   ArrayRef<Expr *> Slice) {
  emitSliceWalk(G, Slice, "delete_slice", [&](Value *Map, Value *Key) {
    B.createMapDelete(Map, Key);
    return false;
  });
}
