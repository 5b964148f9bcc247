//===- CGRegexGroups.cpp - matched(n): group spans by extra DFA walks -----===//
//
// In a probe that reads matched(n) for n > 0, every successful `=~` also
// finds the groups the probe reads, following the plan lib/Regex builds
// (Submatch.cpp explains the rules): straight-line code over the whole
// match [Begin, End) whose questions are DFA walks, each a bpf_loop with
// the DFA's step callback, so the verifier checks each step once:
// - the end of a concatenation's element: a backward walk of the rest of
//   the concatenation sets a bitmap of the positions it can start at (in
//   this match's scratch memory, one bit per subject position), then a
//   forward walk of the element marks the last position in the bitmap it
//   can end at (no walk when the element or the rest has a fixed width);
// - an alternation's branch: forward walks until one ends exactly at the
//   stretch's end;
// - the last iteration of `x*` / `x+`: the bitmap of x*'s starts, then a
//   bpf_loop whose callback walks one iteration (a nested bpf_loop).
// A group's span is stored into its hidden local as (start - Begin) << 16
// | length, relative to the match text matched() copies from; -1 when the
// group did not take part.
//
// The steps test whether the state they start from accepts. Linux 6.1's
// verifier checks a bpf_loop callback once, with the context as the
// caller left it, and removes the branches it did not see taken: a walk's
// first state, a constant, would make "accepting" a dead branch for every
// later state too. So the first state goes to the context through this
// probe's scratch memory (volatile), where the verifier cannot know it.
//
//===----------------------------------------------------------------------===//
#include "CGRegex.h"
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

namespace {
class GroupEmitter {
public:
  GroupEmitter(ProbeEmitter &PE, RegexCode &Code, SubmatchCode &Sub,
               Value *Ctx, Value *Len, Value *Begin)
      : PE(PE), B(PE.B), Code(Code), Sub(Sub), Ctx(Ctx), Len(Len),
        Begin(Begin) {}

  void emit(const regex::SubmatchOp &Op, Value *I, Value *J);
  /// The bitmap: regexSubjectBytes(MAXSTRINGLEN) bits in scratch.
  unsigned Bits = 0, BitsBytes = 0;
  /// Scratch where start states lose what the verifier knows of them.
  unsigned Launder = 0;

private:
  ProbeEmitter &PE;
  BPFIRBuilder &B;
  RegexCode &Code;
  SubmatchCode &Sub;
  Value *Ctx, *Len, *Begin;

  Value *slot(RegexWalkSlot S) {
    return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, S);
  }
  void set(RegexWalkSlot S, Value *V) { B.CreateStore(V, slot(S)); }
  Value *get(RegexWalkSlot S) { return B.CreateLoad(B.getInt64Ty(), slot(S)); }
  BasicBlock *block(const Twine &Name) {
    return BasicBlock::Create(B.getContext(), Name, PE.Fn);
  }
  void loop(Function *Callback) {
    B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                       {B.getInt64(PE.CGM.getOptions().MaxStringLen),
                        Callback, Ctx, B.getInt64(0)},
                       "walk");
  }
  /// The start state of DFA D for a walk from Pos; `At` is the position
  /// where the unanchored start applies (0 forwards, Len backwards).
  Value *startState(const regex::DFA &D, Value *Pos, Value *At) {
    return B.CreateSelect(B.CreateICmpEQ(Pos, At), unknown(D.Start, 0),
                          unknown(D.StartInside, 1));
  }
  /// State, through scratch memory: a value the verifier does not know.
  Value *unknown(uint64_t State, unsigned Slot) {
    Value *P = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(),
                                            PE.scratchAt(Launder), Slot);
    B.CreateStore(B.getInt64(State), P, /*isVolatile=*/true);
    return B.CreateLoad(B.getInt64Ty(), P, /*isVolatile=*/true, "start");
  }
  Value *forward(int DFA, Value *From, Value *Limit, bool Filter);
  void reverse(int DFA, Value *From, Value *Lower);
};
} // namespace

/// The last position in [From, Limit] where DFA's match from From ends
/// (and, with Filter, whose bit is set), or -1.
Value *GroupEmitter::forward(int DFA, Value *From, Value *Limit,
                             bool Filter) {
  set(WalkState, startState(Sub.Plan.DFAs[DFA], From, B.getInt64(0)));
  set(WalkBase, From);
  set(WalkLimit, Limit);
  set(WalkMark, B.getInt64(-1));
  set(WalkFilter, B.getInt64(Filter));
  loop(getSubmatchStep(PE.CGM, Code, Sub, DFA, /*Reverse=*/false));
  return get(WalkMark);
}

/// The bitmap of positions in [Lower, From] where a match of DFA (a
/// reverse DFA) ending at From can start.
void GroupEmitter::reverse(int DFA, Value *From, Value *Lower) {
  PE.zeroFill(PE.scratchAt(Bits), BitsBytes);
  set(WalkState, startState(Sub.Plan.DFAs[DFA], From, Len));
  set(WalkBase, From);
  set(WalkLimit, Lower);
  loop(getSubmatchStep(PE.CGM, Code, Sub, DFA, /*Reverse=*/true));
}

void GroupEmitter::emit(const regex::SubmatchOp &Op, Value *I, Value *J) {
  using regex::SubmatchOp;
  switch (Op.K) {
  case SubmatchOp::Group: {
    Value *Span = B.CreateOr(B.CreateShl(B.CreateSub(I, Begin), 16),
                             B.CreateSub(J, I), "group.span");
    B.CreateStore(Span,
                  PE.getLocal(PE.Probe.MatchGroups[Op.GroupIndex]));
    if (Op.Parts[0].Op)
      emit(*Op.Parts[0].Op, I, J);
    return;
  }
  case SubmatchOp::Concat:
    for (const SubmatchOp::Part &P : Op.Parts) {
      Value *E;
      if (P.Last)
        E = J;
      else if (P.Width >= 0)
        E = B.CreateAdd(I, B.getInt64(P.Width));
      else if (P.RestWidth >= 0)
        E = B.CreateSub(J, B.getInt64(P.RestWidth));
      else {
        reverse(P.Rev, J, I);
        E = forward(P.Fwd, I, J, /*Filter=*/true);
      }
      if (P.Op)
        emit(*P.Op, I, E);
      I = E;
    }
    return;
  case SubmatchOp::Alt: {
    // The first branch that matches [I, J) exactly is the one taken.
    BasicBlock *Done = block("alt.done");
    for (const SubmatchOp::Part &P : Op.Parts) {
      BasicBlock *Taken = block("alt.taken"), *Next = block("alt.next");
      if (P.Fwd < 0)
        B.CreateBr(Taken);
      else
        B.CreateCondBr(
            B.CreateICmpEQ(forward(P.Fwd, I, J, /*Filter=*/false), J), Taken,
            Next);
      B.SetInsertPoint(Taken);
      if (P.Op)
        emit(*P.Op, I, J);
      B.CreateBr(Done);
      B.SetInsertPoint(Next);
    }
    B.CreateBr(Done);
    B.SetInsertPoint(Done);
    return;
  }
  case SubmatchOp::Optional:
  case SubmatchOp::Star: {
    // An empty stretch: x (which cannot match empty) is not there.
    BasicBlock *Some = block("rep.some"), *Done = block("rep.done");
    B.CreateCondBr(B.CreateICmpSLT(I, J), Some, Done);
    B.SetInsertPoint(Some);
    const SubmatchOp::Part &P = Op.Parts[0];
    Value *Last = I;
    if (Op.K == SubmatchOp::Star) {
      reverse(P.Rev, J, I);
      const regex::DFA &Body = Sub.Plan.DFAs[P.Fwd];
      set(WalkStart, unknown(Body.Start, 0));
      set(WalkStartInside, unknown(Body.StartInside, 1));
      set(WalkIter, I);
      set(WalkLimit, J);
      loop(getSubmatchIteration(PE.CGM, Code, Sub, Op));
      Last = get(WalkIter);
    }
    emit(*P.Op, Last, J);
    B.CreateBr(Done);
    B.SetInsertPoint(Done);
    return;
  }
  }
}

void stapc::emitGroupSpans(ProbeEmitter &PE, RegexCode &Code, Value *Ctx,
                           Value *Len, Value *Begin, Value *End) {
  const ProbeInstance &P = PE.Probe;
  std::vector<unsigned> Groups;
  for (unsigned G = 1; G < P.MatchGroups.size(); ++G)
    if (P.MatchGroups[G] && G <= Code.Compiled.P->getNumGroups())
      Groups.push_back(G);
  if (Groups.empty())
    return;
  BPFIRBuilder &B = PE.B;
  for (unsigned G : Groups)
    B.CreateStore(B.getInt64(-1), PE.getLocal(P.MatchGroups[G]));
  SubmatchCode &Sub = getSubmatch(Code, Groups);
  if (!Sub.Plan.Root)
    return;
  GroupEmitter GE(PE, Code, Sub, Ctx, Len, Begin);
  if (!Sub.Plan.DFAs.empty()) {
    // Bit p is byte p / 8, bit p % 8 (CGRegexWalk.cpp), p masked below
    // regexSubjectBytes.
    GE.BitsBytes = regexSubjectBytes(PE.CGM.getOptions().MaxStringLen) / 8;
    GE.Bits = PE.allocScratch(GE.BitsBytes);
    GE.Launder = PE.allocScratch(16);
    B.CreateStore(PE.scratchAt(GE.Bits, "bits"),
                  B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, WalkBits));
  }
  GE.emit(*Sub.Plan.Root, Begin, End);
}
