//===- CGRegexWalk.cpp - DFA tables and step callbacks --------------------===//
//
// A DFA becomes two .rodata arrays: the byte-class map (256 bytes) and the
// transition table, one row of NumClasses entries (u8, or u16 above 256
// states) per state. The walk is a bpf_loop whose callback does one step:
// load the state from the walk context (RegexWalkSlot), read one byte of
// the subject, look up its class and the next state, store it back. The
// verifier checks the step once, whatever MAXSTRINGLEN is.
//
// Bounds the verifier can see without trusting the table: the state is
// masked to a power of two and the table has rows up to that power (the
// padding rows are dead), plus 256 entries of slack since it cannot know
// that a class is below NumClasses; positions are masked to the subject
// copy, whose size is a power of two. The masks are applied to values just
// loaded from memory, so LLVM has nothing to fold them away with.
//
//===----------------------------------------------------------------------===//
#include "BPFIRBuilder.h"
#include "CGRegex.h"
#include "CodeGenModule.h"

#include "llvm/IR/Constants.h"
#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;

unsigned stapc::regexSubjectBytes(unsigned MaxStringLen) {
  return PowerOf2Ceil(MaxStringLen);
}

RegexCode &CodeGenModule::getRegex(StringRef Pattern) {
  std::unique_ptr<RegexCode> &Code = Regexes[Pattern];
  if (!Code) {
    Code = std::make_unique<RegexCode>();
    Code->Id = Regexes.size() - 1;
    regex::Error Err;
    bool Ok = regex::compileRegex(Pattern, Code->Compiled, Err);
    assert(Ok && "Sema checks that every pattern compiles");
    (void)Ok;
  }
  return *Code;
}

namespace {
class WalkerEmitter {
public:
  WalkerEmitter(CodeGenModule &CGM, const regex::DFA &D, StringRef Name)
      : CGM(CGM), D(D), Name(Name.str()), B(CGM.getLLVMContext()) {}

  Function *emit(RegexWalk Kind);

private:
  CodeGenModule &CGM;
  const regex::DFA &D;
  std::string Name;
  BPFIRBuilder B;
  GlobalVariable *Classes = nullptr, *Table = nullptr;
  Value *Ctx = nullptr;

  GlobalVariable *rodata(Constant *Init, const Twine &Suffix);
  void emitTables();
  Value *slot(RegexWalkSlot S) {
    return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, S);
  }
  Value *load(RegexWalkSlot S) { return B.CreateLoad(B.getInt64Ty(), slot(S)); }
  Value *stateMask() const {
    return ConstantInt::get(Type::getInt64Ty(CGM.getLLVMContext()),
                            PowerOf2Ceil(D.NumStates) - 1);
  }
  Value *posMask() const {
    return ConstantInt::get(Type::getInt64Ty(CGM.getLLVMContext()),
                            regexSubjectBytes(CGM.getOptions().MaxStringLen) -
                                1);
  }
  Value *readByte(Value *Pos);
  Value *step(Value *State, Value *Byte);
  void returnIf(Value *Cond, int64_t Ret);
  void markIfAccepting(Value *State, Value *Pos);
  Value *accepting(Value *State) {
    return B.CreateICmpUGE(State, B.getInt64(D.FirstAccepting));
  }
  Value *bitAddress(Value *Pos, Value *&Bit);
  Value *inBitmap(Value *Pos);
  void setBitIf(Value *Cond, Value *Pos);
  void emitSubForward(Value *State, Value *Index);
  void emitSubReverse(Value *State, Value *Index);
};
} // namespace

GlobalVariable *WalkerEmitter::rodata(Constant *Init, const Twine &Suffix) {
  auto *GV = new GlobalVariable(CGM.getModule(), Init->getType(), true,
                                GlobalValue::PrivateLinkage, Init,
                                Name + "_" + Suffix);
  GV->setAlignment(Align(8));
  GV->setSection(".rodata"); // one .rodata map, not a mergeable section
  return GV;
}

void WalkerEmitter::emitTables() {
  LLVMContext &C = CGM.getLLVMContext();
  Classes = rodata(ConstantDataArray::get(C, ArrayRef<uint8_t>(D.ByteClass)),
                   "classes");
  size_t Rows = PowerOf2Ceil(D.NumStates);
  size_t Entries = Rows * D.NumClasses + 256;
  if (D.NumStates <= 256) {
    std::vector<uint8_t> T(Entries, 0);
    std::copy(D.Next.begin(), D.Next.end(), T.begin());
    Table = rodata(ConstantDataArray::get(C, T), "table");
  } else {
    std::vector<uint16_t> T(Entries, 0);
    std::copy(D.Next.begin(), D.Next.end(), T.begin());
    Table = rodata(ConstantDataArray::get(C, T), "table");
  }
}

Value *WalkerEmitter::readByte(Value *Pos) {
  Value *Subject = B.CreateLoad(B.getPtrTy(), slot(WalkSubject), "subject");
  Value *P = B.CreateGEP(B.getInt8Ty(), Subject, B.CreateAnd(Pos, posMask()));
  return B.CreateZExt(B.CreateLoad(B.getInt8Ty(), P, "byte"), B.getInt64Ty());
}

/// The next state: Table[State * NumClasses + Classes[Byte]].
Value *WalkerEmitter::step(Value *State, Value *Byte) {
  Value *Class = B.CreateZExt(
      B.CreateLoad(B.getInt8Ty(), B.CreateGEP(B.getInt8Ty(), Classes, Byte),
                   "class"),
      B.getInt64Ty());
  Value *Index =
      B.CreateAdd(B.CreateMul(State, B.getInt64(D.NumClasses)), Class);
  Type *EltTy = D.NumStates <= 256 ? B.getInt8Ty() : B.getInt16Ty();
  Value *Next = B.CreateLoad(EltTy, B.CreateGEP(EltTy, Table, Index), "next");
  Next = B.CreateZExt(Next, B.getInt64Ty());
  B.CreateStore(Next, slot(WalkState));
  return Next;
}

/// Leave the callback with Ret (1: stop the loop) when Cond holds.
void WalkerEmitter::returnIf(Value *Cond, int64_t Ret) {
  Function *Fn = B.GetInsertBlock()->getParent();
  auto *Out = BasicBlock::Create(B.getContext(), "walk.ret", Fn);
  auto *Cont = BasicBlock::Create(B.getContext(), "walk.cont", Fn);
  B.CreateCondBr(Cond, Out, Cont);
  B.SetInsertPoint(Out);
  B.CreateRet(B.getInt64(Ret));
  B.SetInsertPoint(Cont);
}

void WalkerEmitter::markIfAccepting(Value *State, Value *Pos) {
  Function *Fn = B.GetInsertBlock()->getParent();
  auto *Mark = BasicBlock::Create(B.getContext(), "walk.mark", Fn);
  auto *Cont = BasicBlock::Create(B.getContext(), "walk.next", Fn);
  B.CreateCondBr(accepting(State), Mark, Cont);
  B.SetInsertPoint(Mark);
  B.CreateStore(Pos, slot(WalkMark));
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
}

/// The byte of the position bitmap that holds Pos, and Pos's bit in it.
Value *WalkerEmitter::bitAddress(Value *Pos, Value *&Bit) {
  Value *Bits = B.CreateLoad(B.getPtrTy(), slot(WalkBits), "bits");
  Value *P = B.CreateAnd(Pos, posMask());
  Bit = B.CreateTrunc(B.CreateShl(B.getInt64(1), B.CreateAnd(P, 7)),
                      B.getInt8Ty());
  return B.CreateGEP(B.getInt8Ty(), Bits, B.CreateLShr(P, 3));
}

/// i1: the walk is not filtered, or Pos is in the bitmap.
Value *WalkerEmitter::inBitmap(Value *Pos) {
  Value *Bit;
  Value *Byte = B.CreateLoad(B.getInt8Ty(), bitAddress(Pos, Bit));
  Value *Set = B.CreateICmpNE(B.CreateAnd(Byte, Bit), B.getInt8(0));
  Value *Unfiltered = B.CreateICmpEQ(load(WalkFilter), B.getInt64(0));
  return B.CreateOr(Unfiltered, Set);
}

void WalkerEmitter::setBitIf(Value *Cond, Value *Pos) {
  Function *Fn = B.GetInsertBlock()->getParent();
  auto *Set = BasicBlock::Create(B.getContext(), "walk.bit", Fn);
  auto *Cont = BasicBlock::Create(B.getContext(), "walk.next", Fn);
  B.CreateCondBr(Cond, Set, Cont);
  B.SetInsertPoint(Set);
  Value *Bit;
  Value *P = bitAddress(Pos, Bit);
  B.CreateStore(B.CreateOr(B.CreateLoad(B.getInt8Ty(), P), Bit), P);
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
}

/// A forward walk of an anchored DFA from WalkBase to WalkLimit: at each
/// position, first mark it if the state so far accepts (the end marker's
/// transition decides at the string's end), then read its byte.
void WalkerEmitter::emitSubForward(Value *State, Value *Index) {
  Function *Fn = B.GetInsertBlock()->getParent();
  Value *Pos = B.CreateAdd(load(WalkBase), Index, "pos");
  Value *Byte = readByte(Pos);
  auto *AtNul = BasicBlock::Create(B.getContext(), "walk.end", Fn);
  auto *Inside = BasicBlock::Create(B.getContext(), "walk.byte", Fn);
  B.CreateCondBr(B.CreateICmpEQ(Byte, B.getInt64(0)), AtNul, Inside);

  B.SetInsertPoint(AtNul);
  Value *Final = step(State, B.getInt64(0));
  auto *Mark = BasicBlock::Create(B.getContext(), "walk.mark", Fn);
  auto *Stop = BasicBlock::Create(B.getContext(), "walk.stop", Fn);
  B.CreateCondBr(B.CreateAnd(accepting(Final), inBitmap(Pos)), Mark, Stop);
  B.SetInsertPoint(Mark);
  B.CreateStore(Pos, slot(WalkMark));
  B.CreateBr(Stop);
  B.SetInsertPoint(Stop);
  B.CreateRet(B.getInt64(1));

  B.SetInsertPoint(Inside);
  auto *MarkHere = BasicBlock::Create(B.getContext(), "walk.mark", Fn);
  auto *Cont = BasicBlock::Create(B.getContext(), "walk.next", Fn);
  B.CreateCondBr(B.CreateAnd(accepting(State), inBitmap(Pos)), MarkHere,
                 Cont);
  B.SetInsertPoint(MarkHere);
  B.CreateStore(Pos, slot(WalkMark));
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
  returnIf(B.CreateICmpSGE(Pos, load(WalkLimit)), 1);
  step(State, Byte);
  B.CreateRet(B.getInt64(0));
}

/// A backward walk of an anchored reverse DFA from WalkBase down to
/// WalkLimit: the bit of each position where the state so far accepts is
/// set (at position 0, after the end marker's transition).
void WalkerEmitter::emitSubReverse(Value *State, Value *Index) {
  Function *Fn = B.GetInsertBlock()->getParent();
  Value *Pos = B.CreateSub(load(WalkBase), Index, "pos");
  auto *AtStart = BasicBlock::Create(B.getContext(), "walk.first", Fn);
  auto *Inside = BasicBlock::Create(B.getContext(), "walk.byte", Fn);
  B.CreateCondBr(B.CreateICmpSLE(Pos, B.getInt64(0)), AtStart, Inside);

  B.SetInsertPoint(AtStart);
  setBitIf(accepting(step(State, B.getInt64(0))), B.getInt64(0));
  B.CreateRet(B.getInt64(1));

  B.SetInsertPoint(Inside);
  setBitIf(accepting(State), Pos);
  returnIf(B.CreateICmpSLE(Pos, load(WalkLimit)), 1);
  step(State, readByte(B.CreateSub(Pos, B.getInt64(1))));
  B.CreateRet(B.getInt64(0));
}

Function *WalkerEmitter::emit(RegexWalk Kind) {
  emitTables();
  Function *Fn =
      CGM.createCallback(Name + "_step", {{"index", false}, {"ctx", true}});
  B.SetInsertPoint(&Fn->getEntryBlock());
  B.SetCurrentDebugLocation(
      DILocation::get(B.getContext(), 0, 0, Fn->getSubprogram()));
  Value *Index = Fn->getArg(0);
  Ctx = Fn->getArg(1);
  Value *State = B.CreateAnd(load(WalkState), stateMask(), "state");
  switch (Kind) {
  case RegexWalk::Search:
    // Dead or accepting: the answer is known.
    returnIf(B.CreateOr(B.CreateICmpEQ(State, B.getInt64(regex::DFA::Dead)),
                        B.CreateICmpUGE(State, B.getInt64(D.FirstAccepting))),
             1);
    step(State, readByte(Index));
    B.CreateRet(B.getInt64(0));
    break;
  case RegexWalk::Reverse: {
    // Bytes Len-1 down to 0, then the end marker (the virtual byte before
    // the first); every accepting state marks a possible match start.
    returnIf(B.CreateICmpEQ(State, B.getInt64(regex::DFA::Dead)), 1);
    Value *Len = load(WalkBase);
    returnIf(B.CreateICmpUGT(Index, Len), 1);
    Value *AtMarker = B.CreateICmpEQ(Index, Len);
    Value *Pos = B.CreateSub(B.CreateSub(Len, B.getInt64(1)), Index);
    Value *Byte = B.CreateSelect(AtMarker, B.getInt64(0), readByte(Pos));
    Value *Next = step(State, Byte);
    markIfAccepting(Next, B.CreateSelect(AtMarker, B.getInt64(0), Pos));
    B.CreateRet(B.getInt64(0));
    break;
  }
  case RegexWalk::Forward: {
    // From the start position up to the NUL; every accepting state marks
    // a possible match end.
    returnIf(B.CreateICmpEQ(State, B.getInt64(regex::DFA::Dead)), 1);
    Value *Pos = B.CreateAdd(load(WalkBase), Index);
    Value *Byte = readByte(Pos);
    Value *AtNul = B.CreateICmpEQ(Byte, B.getInt64(0));
    Value *Next = step(State, Byte);
    markIfAccepting(
        Next, B.CreateSelect(AtNul, Pos, B.CreateAdd(Pos, B.getInt64(1))));
    B.CreateRet(B.CreateZExt(AtNul, B.getInt64Ty()));
    break;
  }
  case RegexWalk::SubForward:
  case RegexWalk::SubReverse:
    returnIf(B.CreateICmpEQ(State, B.getInt64(regex::DFA::Dead)), 1);
    if (Kind == RegexWalk::SubForward)
      emitSubForward(State, Index);
    else
      emitSubReverse(State, Index);
    break;
  }
  return Fn;
}

const RegexWalker &stapc::getRegexWalker(CodeGenModule &CGM, RegexCode &Code,
                                         RegexWalk Kind) {
  RegexWalker &W = Kind == RegexWalk::Search    ? Code.Search
                   : Kind == RegexWalk::Reverse ? Code.Reverse
                                                : Code.Forward;
  if (W.Step)
    return W;
  const regex::CompiledRegex &R = Code.Compiled;
  W.D = Kind == RegexWalk::Search    ? &R.Search
        : Kind == RegexWalk::Reverse ? &R.Reverse
                                     : &R.Forward;
  static const char *Names[] = {"search", "reverse", "forward"};
  std::string Name =
      ("stapc_regex_" + Twine(Code.Id) + "_" + Names[unsigned(Kind)]).str();
  W.Step = WalkerEmitter(CGM, *W.D, Name).emit(Kind);
  return W;
}

SubmatchCode &stapc::getSubmatch(RegexCode &Code,
                                 const std::vector<unsigned> &Groups) {
  std::unique_ptr<SubmatchCode> &Sub = Code.Submatches[Groups];
  if (!Sub) {
    Sub = std::make_unique<SubmatchCode>();
    Sub->Id = Code.Submatches.size() - 1;
    regex::Error Err;
    bool Ok = regex::buildSubmatchPlan(*Code.Compiled.P, Groups, Sub->Plan,
                                       Err);
    assert(Ok && "Sema checks that the plans of matched() build");
    (void)Ok;
    Sub->Steps.assign(Sub->Plan.DFAs.size(), nullptr);
  }
  return *Sub;
}

Function *stapc::getSubmatchStep(CodeGenModule &CGM, RegexCode &Code,
                                 SubmatchCode &Sub, int I, bool Reverse) {
  Function *&F = Sub.Steps[I];
  if (!F) {
    std::string Name = ("stapc_regex_" + Twine(Code.Id) + "_g" +
                        Twine(Sub.Id) + "_" + Twine(I) +
                        (Reverse ? "_rev" : "_fwd"))
                           .str();
    F = WalkerEmitter(CGM, Sub.Plan.DFAs[I], Name)
            .emit(Reverse ? RegexWalk::SubReverse : RegexWalk::SubForward);
  }
  return F;
}

Function *stapc::getSubmatchIteration(CodeGenModule &CGM, RegexCode &Code,
                                      SubmatchCode &Sub,
                                      const regex::SubmatchOp &Star) {
  Function *&F = Sub.Iterations[&Star];
  if (F)
    return F;
  const regex::SubmatchOp::Part &P = Star.Parts[0];
  Function *Step = getSubmatchStep(CGM, Code, Sub, P.Fwd, /*Reverse=*/false);
  F = CGM.createCallback(
      (Step->getName().drop_back(sizeof("_step") - 1) + "_iteration").str(),
      {{"index", false}, {"ctx", true}});
  BPFIRBuilder B(CGM.getLLVMContext());
  B.SetInsertPoint(&F->getEntryBlock());
  B.SetCurrentDebugLocation(
      DILocation::get(B.getContext(), 0, 0, F->getSubprogram()));
  Value *Ctx = F->getArg(1);
  auto Slot = [&](RegexWalkSlot S) {
    return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, S);
  };
  // The start states come from the context (see emitGroupSpans: values
  // the verifier must not know).
  Value *Q = B.CreateLoad(B.getInt64Ty(), Slot(WalkIter), "iter");
  B.CreateStore(
      B.CreateSelect(B.CreateICmpEQ(Q, B.getInt64(0)),
                     B.CreateLoad(B.getInt64Ty(), Slot(WalkStart)),
                     B.CreateLoad(B.getInt64Ty(), Slot(WalkStartInside))),
      Slot(WalkState));
  B.CreateStore(Q, Slot(WalkBase));
  B.CreateStore(B.getInt64(-1), Slot(WalkMark));
  B.CreateStore(B.getInt64(1), Slot(WalkFilter));
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt64(CGM.getOptions().MaxStringLen), Step, Ctx,
                      B.getInt64(0)},
                     "walk");
  // The iteration ends at the next mark; the last one at the limit.
  Value *End = B.CreateLoad(B.getInt64Ty(), Slot(WalkMark), "iter.end");
  Value *Last =
      B.CreateOr(B.CreateICmpSLE(End, Q),
                 B.CreateICmpSGE(End, B.CreateLoad(B.getInt64Ty(),
                                                   Slot(WalkLimit))));
  auto *Done = BasicBlock::Create(B.getContext(), "iter.last", F);
  auto *More = BasicBlock::Create(B.getContext(), "iter.more", F);
  B.CreateCondBr(Last, Done, More);
  B.SetInsertPoint(Done);
  B.CreateRet(B.getInt64(1));
  B.SetInsertPoint(More);
  B.CreateStore(End, Slot(WalkIter));
  B.CreateRet(B.getInt64(0));
  return F;
}
