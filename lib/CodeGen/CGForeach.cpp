//===- CGForeach.cpp - foreach over arrays --------------------------------===//
//
// Unsorted: bpf_for_each_map_elem runs the body as its callback, on the
// map's own key and value (stap forbids changing the array meanwhile).
//
// Sorted: the elements are first copied into a per-CPU array map owned by
// this foreach (one element per array entry: two u32 index columns, then
// the key and value bytes), the index columns are merge-sorted (bottom-up:
// a bpf_loop over passes, each a bpf_loop over output positions, so every
// comparison is verified once), and a bpf_loop walks the sorted index,
// running the body on each element.
//
// Either way the body is one callback (CGCallback.cpp): its locals are in
// scratch, the iteration count lives in scratch too, and `limit`, slices,
// `break` and `continue` become early returns from the callback.
//
//===----------------------------------------------------------------------===//
#include "ForeachState.h"
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;


Value *ProbeEmitter::foreachField(unsigned Base, unsigned F) {
  return scratchAt(Base + 8 * F);
}

Value *ProbeEmitter::loadField(unsigned Base, unsigned F) {
  return B.CreateLoad(B.getInt64Ty(), foreachField(Base, F));
}

void ProbeEmitter::storeField(unsigned Base, unsigned F, Value *V) {
  B.CreateStore(V, foreachField(Base, F));
}

/// Branch to Stop or Go on Cond, continuing in Go.
static void stopIf(BPFIRBuilder &B, Function *Fn, Value *Cond, bool Stop) {
  LLVMContext &C = B.getContext();
  auto *Leave = BasicBlock::Create(C, "foreach.leave", Fn);
  auto *Go = BasicBlock::Create(C, "foreach.go", Fn);
  B.CreateCondBr(Cond, Leave, Go);
  B.SetInsertPoint(Leave);
  B.CreateRet(B.getInt64(Stop ? 1 : 0));
  B.SetInsertPoint(Go);
}

/// One element inside the body callback: check the slice and the limit,
/// bind the loop variables, run the body.
void ProbeEmitter::emitForeachElement(ForeachStmt *S, const GlobalStorage &G,
                                      Value *KeyPtr, Value *ValPtr,
                                      unsigned State,
                                      ArrayRef<Home> SliceValues) {
  // A slice: elements whose fixed columns differ are skipped, and do not
  // count against the limit.
  if (!S->Slice.empty())
    stopIf(B, Fn, B.CreateNot(emitSliceMatch(G, KeyPtr, S->Slice, SliceValues)),
           /*Stop=*/false);
  Value *Left = loadField(State, Limit);
  stopIf(B, Fn, B.CreateICmpSLE(Left, B.getInt64(0)), /*Stop=*/true);
  storeField(State, Limit, B.CreateSub(Left, B.getInt64(1)));
  emitActionCount(S->Body, S->getLoc());

  for (size_t I = 0; I < S->Keys.size() && I < G.Keys.size(); ++I) {
    Value *Col = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), KeyPtr,
                                              G.Keys[I].Offset);
    Value *Var = getLocal(S->Keys[I]->getDecl());
    if (G.Keys[I].Ty == TypeKind::String)
      copyString(Var, Col);
    else
      B.CreateStore(B.CreateLoad(B.getInt64Ty(), Col), Var);
  }
  if (S->ValueVar && !G.IsStats) {
    Value *Var = getLocal(S->ValueVar->getDecl());
    if (G.Value.Ty == TypeKind::String)
      copyString(Var, ValPtr);
    else
      B.CreateStore(B.CreateLoad(B.getInt64Ty(), ValPtr), Var);
  }

  LLVMContext &C = B.getContext();
  auto *Next = BasicBlock::Create(C, "foreach.next", Fn);
  auto *Stop = BasicBlock::Create(C, "foreach.break", Fn);
  Loops.push_back({Stop, Next});
  emitStmt(S->Body);
  Loops.pop_back();
  B.CreateBr(Next);
  B.SetInsertPoint(Stop);
  returnFromCallback(true);
  B.SetInsertPoint(Next);
  returnFromCallback(false);
}

/// The array a foreach walks, or null after a diagnostic.
const GlobalStorage *ProbeEmitter::foreachArray(ForeachStmt *S) {
  auto *Sym = dyn_cast_or_null<SymbolRef>(S->Array);
  if (!Sym)
    return nullptr; // Sema reported it
  const GlobalStorage &G = CGM.getGlobal(Sym->getDecl());
  if (!G.IsArray)
    return nullptr; // Sema reported it
  return &G;
}

void ProbeEmitter::emitForeach(ForeachStmt *S) {
  if (isa_and_nonnull<StatExtractExpr>(S->Array))
    return emitHistForeach(S); // CGForeachHist.cpp
  const GlobalStorage *G = foreachArray(S);
  if (!G)
    return;
  setLoc(S->getLoc());
  unsigned State = allocScratch(8 * NumFields);
  // `limit` and slice values are evaluated once, before the first element.
  Value *Lim = S->Limit ? emitExpr(S->Limit) : B.getInt64(INT64_MAX);
  storeField(State, Limit, Lim);
  SmallVector<Home, 4> SliceValues = emitSliceValues(*G, S->Slice);
  if (S->SortDir == 0)
    emitUnsortedForeach(S, *G, State, SliceValues);
  else
    emitSortedForeach(S, *G, State, SliceValues);
}

void ProbeEmitter::emitUnsortedForeach(ForeachStmt *S, const GlobalStorage &G,
                                       unsigned State,
                                       ArrayRef<Home> SliceValues) {
  Value *Frame = createFrame();
  Callback CB = enterCallback(
      "foreach", {{"map", true}, {"key", true}, {"value", true}, {"frame", true}},
      /*FrameArg=*/3);
  emitForeachElement(S, G, Fn->getArg(1), Fn->getArg(2), State, SliceValues);
  leaveCallback(CB);
  setLoc(S->getLoc());
  B.createHelperCall(BPFHelper::ForEachMapElem, B.getInt64Ty(),
                     {G.GV, CB.Fn, Frame, B.getInt64(0)}, "foreach");
  dispatchPendingJump(CB);
}
