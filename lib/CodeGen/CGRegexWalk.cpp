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
  B.CreateCondBr(B.CreateICmpUGE(State, B.getInt64(D.FirstAccepting)), Mark,
                 Cont);
  B.SetInsertPoint(Mark);
  B.CreateStore(Pos, slot(WalkMark));
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
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
