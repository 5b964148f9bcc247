//===- CGRegex.cpp - `=~`, `!~` and the matched() family
//-------------------===//
//
// The subject is first copied into a scratch buffer (so the walk may read
// any position below a power-of-two mask whatever the original buffer was),
// then walked by bpf_loop with a DFA's step callback (CGRegexWalk.cpp):
// - "is there a match": the unanchored search DFA, which stops as soon as
//   the answer is known;
// - in probes that call matched()/matched_str()/ngroups(), POSIX's
//   leftmost-longest match instead: a backward walk of the reversed,
//   unanchored pattern marks every position where a match starts (the last
//   mark is the leftmost), then a forward walk of the anchored pattern from
//   there marks every position where it ends (the last mark is the
//   longest). The text is copied into the probe's hidden MatchText local.
//
//===----------------------------------------------------------------------===//
#include "CGRegex.h"
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

/// Run Kind's walk over the subject already in Ctx, from State with the
/// given base and initial mark.
static void runWalk(ProbeEmitter &PE, RegexCode &Code, RegexWalk Kind,
                    Value *Ctx, Value *State, Value *Base, Value *Mark) {
  BPFIRBuilder &B = PE.B;
  const RegexWalker &W = getRegexWalker(PE.CGM, Code, Kind);
  auto Slot = [&](RegexWalkSlot S) {
    return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, S);
  };
  B.CreateStore(State, Slot(WalkState));
  B.CreateStore(Base, Slot(WalkBase));
  B.CreateStore(Mark, Slot(WalkMark));
  // One step per byte and one for the end marker: the subject has at most
  // MAXSTRINGLEN - 1 bytes.
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt64(PE.CGM.getOptions().MaxStringLen), W.Step, Ctx,
                      B.getInt64(0)},
                     "walk");
}

/// The mark a walk starts with: Pos when its start state already accepts
/// (an empty match), else -1.
static Value *initialMark(BPFIRBuilder &B, const regex::DFA &D, Value *Start,
                          Value *Pos) {
  Value *Accepts = B.CreateICmpUGE(Start, B.getInt64(D.FirstAccepting));
  return B.CreateSelect(Accepts, Pos, B.getInt64(-1));
}

Value *ProbeEmitter::emitRegexMatch(BinaryExpr *E) {
  Value *Subject = emitExpr(E->getLHS());
  setLoc(E->getOpLoc().isValid() ? E->getOpLoc() : E->getLoc());
  RegexCode &Code =
      CGM.getRegex(cast<stapc::StringLiteral>(E->getRHS())->getValue());
  unsigned N = CGM.getOptions().MaxStringLen;
  Value *Copy = scratchAt(allocScratch(regexSubjectBytes(N)), "subject");
  Value *Read = B.createProbeReadKernelStr(Copy, N, Subject);
  Value *&Ctx = RegexWalkCtx[Fn];
  if (!Ctx)
    Ctx = B.createEntryAlloca(ArrayType::get(B.getInt64Ty(), NumWalkSlots),
                              "walk");
  B.CreateStore(Copy, Ctx); // WalkSubject

  Value *Matched;
  if (Probe.MatchStatus) {
    Value *Len =
        B.CreateSelect(B.CreateICmpSGT(Read, B.getInt64(0)),
                       B.CreateSub(Read, B.getInt64(1)), B.getInt64(0), "len");
    recordMatch(Code, Ctx, Copy, Len, Matched);
  } else {
    const regex::DFA &D = Code.Compiled.Search;
    runWalk(*this, Code, RegexWalk::Search, Ctx, B.getInt64(D.Start),
            B.getInt64(0), B.getInt64(-1));
    Value *State = B.CreateLoad(
        B.getInt64Ty(),
        B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, WalkState));
    Matched = B.CreateICmpUGE(State, B.getInt64(D.FirstAccepting));
  }
  if (E->getOp() == BinaryOp::RegexNoMatch)
    Matched = B.CreateNot(Matched);
  return B.CreateZExt(Matched, B.getInt64Ty());
}

/// The leftmost-longest match of the subject Copy (Len bytes): Matched
/// (i1) says whether there is one; its text and the status go to the
/// probe's hidden locals.
void ProbeEmitter::recordMatch(RegexCode &Code, Value *Ctx, Value *Copy,
                               Value *Len, Value *&Matched) {
  const regex::DFA &Rev = Code.Compiled.Reverse;
  const regex::DFA &Fwd = Code.Compiled.Forward;
  Value *Mark = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Ctx, WalkMark);
  Value *RevStart = B.getInt64(Rev.Start);
  runWalk(*this, Code, RegexWalk::Reverse, Ctx, RevStart, Len,
          initialMark(B, Rev, RevStart, Len));
  Value *Begin = B.CreateLoad(B.getInt64Ty(), Mark, "match.begin");
  Matched = B.CreateICmpSGE(Begin, B.getInt64(0));
  Value *Status = getLocal(Probe.MatchStatus);
  B.CreateStore(B.getInt64(0), Status);
  auto *Found = BasicBlock::Create(B.getContext(), "regex.found", Fn);
  auto *Done = BasicBlock::Create(B.getContext(), "regex.done", Fn);
  B.CreateCondBr(Matched, Found, Done);

  B.SetInsertPoint(Found);
  // `^` can only hold when the match starts at the first byte.
  Value *FwdStart =
      B.CreateSelect(B.CreateICmpEQ(Begin, B.getInt64(0)),
                     B.getInt64(Fwd.Start), B.getInt64(Fwd.StartInside));
  runWalk(*this, Code, RegexWalk::Forward, Ctx, FwdStart, Begin,
          initialMark(B, Fwd, FwdStart, Begin));
  Value *End = B.CreateLoad(B.getInt64Ty(), Mark, "match.end");
  unsigned N = CGM.getOptions().MaxStringLen;
  Value *Chars = B.CreateSub(End, Begin);
  Chars = B.CreateSelect(B.CreateICmpUGT(Chars, B.getInt64(N - 1)),
                         B.getInt64(N - 1), Chars);
  Value *From =
      B.CreateGEP(B.getInt8Ty(), Copy,
                  B.CreateAnd(Begin, B.getInt64(regexSubjectBytes(N) - 1)));
  // The match holds no NUL, so this copies Chars bytes and the NUL.
  B.createHelperCall(
      BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
      {getLocal(Probe.MatchText),
       B.CreateTrunc(B.CreateAdd(Chars, B.getInt64(1)), B.getInt32Ty()), From},
      "matched");
  emitGroupSpans(*this, Code, Ctx, Len, Begin, End); // CGRegexGroups.cpp
  B.CreateStore(B.getInt64(Code.Compiled.P->getNumGroups() + 1), Status);
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
}

Value *ProbeEmitter::emitMatchResult(FunctionCall *E, BuiltinID ID) {
  assert(Probe.MatchStatus && "Sema adds the match locals to such probes");
  Value *Status =
      B.CreateLoad(B.getInt64Ty(), getLocal(Probe.MatchStatus), "match.status");
  exitIf(B.CreateICmpEQ(Status, B.getInt64(0)), E->getLoc(),
         ("'" + E->getName() +
          "' needs a successful regular expression match, but the last '=~' "
          "of this probe failed or none ran")
             .str());
  if (ID == BuiltinID::Ngroups)
    return B.CreateSub(Status, B.getInt64(1));
  // A copy: a later `=~` in the same expression must not change this value.
  Value *Slot = allocStringSlot();
  int64_t N = 0;
  if (ID == BuiltinID::Matched)
    N = cast<IntegerLiteral>(E->getArgs()[0])->getValue(); // Sema checked
  if (N == 0) {
    copyString(Slot, getLocal(Probe.MatchText));
    return Slot;
  }
  // Group N of the last match: its span in the match text (CGRegexGroups.cpp),
  // "" when it did not take part, as in stap.
  exitIf(B.CreateICmpSLE(Status, B.getInt64(N)), E->getLoc(),
         ("matched(" + Twine(N) +
          "): the regular expression of the last successful '=~' has fewer "
          "than " +
          Twine(N) + " parenthesised subexpressions")
             .str());
  // The span goes through scratch memory (the result slot, volatile; at
  // least 8 bytes): the verifier then does not follow the copy's offset
  // and size back to the group local and mark it precise, so the paths of
  // several matched(n) (group set or not, clamped or not) prune after each
  // copy instead of multiplying.
  B.CreateStore(
      B.CreateLoad(B.getInt64Ty(), getLocal(Probe.MatchGroups[N])), Slot,
      /*isVolatile=*/true);
  Value *Span =
      B.CreateLoad(B.getInt64Ty(), Slot, /*isVolatile=*/true, "group.span");
  Value *Unset = B.CreateICmpSLT(Span, B.getInt64(0));
  unsigned Max = CGM.getOptions().MaxStringLen;
  Value *Start = B.CreateSelect(
      Unset, B.getInt64(0),
      B.CreateAnd(B.CreateLShr(Span, 16),
                  B.getInt64(regexSubjectBytes(Max) - 1)));
  Value *Chars = B.CreateSelect(Unset, B.getInt64(0),
                                B.CreateAnd(Span, B.getInt64(0xffff)));
  Chars = B.CreateSelect(B.CreateICmpUGT(Chars, B.getInt64(Max - 1)),
                         B.getInt64(Max - 1), Chars);
  Value *From =
      B.CreateGEP(B.getInt8Ty(), getLocal(Probe.MatchText), Start);
  // The group holds no NUL: this copies Chars bytes and the NUL.
  B.createHelperCall(
      BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
      {Slot, B.CreateTrunc(B.CreateAdd(Chars, B.getInt64(1)), B.getInt32Ty()),
       From},
      "group");
  return Slot;
}
