//===- CGPrint.cpp - Output records (printf family, exit, errors) ---------===//
//
// A print becomes a record with the format id and the raw arguments
// (include/stapc/Object/RecordFormat.h); stapc-run formats it with stap's
// printf semantics. Only sprintf, which must return a string, formats in
// BPF (CGFormat.cpp), from the same parse of the format.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "CGFormat.h"

#include "stapc/Object/RecordFormat.h"
#include "stapc/Runtime/Formatter.h"

using namespace stapc;
using namespace llvm;

namespace {
/// The argument kinds a stap format string consumes, in order. The parse is
/// the loader's own (Formatter.cpp), so printf, sprintf and the loader read
/// every format alike; only what the loader would print back literally is
/// refused here. %m and %M take an address, as in stap.
bool scanFormat(StringRef Fmt, SmallVectorImpl<TypeKind> &Kinds,
                std::string &Error) {
  runtime::Format F = runtime::Format::parse({Fmt.data(), Fmt.size()});
  for (const runtime::FormatPiece &P : F.pieces()) {
    if (P.Conversion == 0 || P.Conversion == '%')
      continue;
    if (P.Width == runtime::FromArgument)
      Kinds.push_back(TypeKind::Long);
    if (P.Precision == runtime::FromArgument)
      Kinds.push_back(TypeKind::Long);
    if (P.Conversion == 's') {
      Kinds.push_back(TypeKind::String);
      continue;
    }
    if (StringRef("diuxXobcpmM").contains(P.Conversion)) {
      Kinds.push_back(TypeKind::Long);
      continue;
    }
    if (P.Literal == "%")
      Error = "format string ends in the middle of a conversion";
    else
      Error = (Twine("unknown conversion '%") + Twine(P.Conversion) +
               "' in format")
                  .str();
    return false;
  }
  return true;
}

std::string escapePercent(StringRef S) {
  std::string Out;
  for (char C : S) {
    Out += C;
    if (C == '%')
      Out += '%';
  }
  return Out;
}
} // namespace

void ProbeEmitter::emitRecord(uint32_t Type, uint32_t Id,
                              ArrayRef<Value *> Args, ArrayRef<TypeKind> Types,
                              ArrayRef<Value *> Lengths) {
  unsigned MaxStr = CGM.getOptions().MaxStringLen;
  uint64_t Mask = CGM.getRecordMask();
  // A bare header (exit, most runtime errors) fits on the stack; records
  // with arguments are built in the scratch area.
  Value *Rec = Args.empty()
                   ? createScopedAlloca(ArrayType::get(B.getInt8Ty(), 8), "rec")
                   : B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Scratch,
                                                  CodeGenModule::RecordBase,
                                                  "rec");
  B.CreateStore(B.getInt32(Type), Rec);
  B.CreateStore(B.getInt32(Id), B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Rec, 4));
  Value *Off = B.getInt64(8);
  for (size_t I = 0; I < Args.size(); ++I) {
    // The mask lets the verifier bound offsets that depend on string lengths.
    Value *Slot = B.CreateGEP(B.getInt8Ty(), Rec, B.CreateAnd(Off, Mask));
    if (Types[I] != TypeKind::String) {
      B.CreateStore(Args[I], Slot);
      Off = B.CreateAdd(Off, B.getInt64(8));
      continue;
    }
    Value *Chars = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Slot, 4);
    Value *Len;
    if (I < Lengths.size() && Lengths[I]) {
      // Raw bytes (%m, %M): exactly Lengths[I], at most MAXSTRINGLEN.
      Len = B.CreateAnd(Lengths[I], B.getInt64(0xffff));
      Len = B.CreateSelect(B.CreateICmpUGT(Len, B.getInt64(MaxStr)),
                           B.getInt64(MaxStr), Len);
      B.createHelperCall(BPFHelper::ProbeReadKernel, B.getInt64Ty(),
                         {Chars, B.CreateTrunc(Len, B.getInt32Ty()), Args[I]},
                         "rd");
    } else {
      Value *N = B.createProbeReadKernelStr(Chars, MaxStr, Args[I]);
      // N counts the NUL; a failed read (N < 0) sends an empty string.
      Len = B.CreateSelect(B.CreateICmpSGT(N, B.getInt64(0)),
                           B.CreateSub(N, B.getInt64(1)), B.getInt64(0));
      Len = B.CreateAnd(Len, B.getInt64(0xffff));
    }
    B.CreateStore(B.CreateTrunc(Len, B.getInt32Ty()), Slot);
    Off = B.CreateAdd(Off, B.CreateAnd(B.CreateAdd(Len, B.getInt64(4 + 7)),
                                       B.getInt64(~uint64_t(7))));
  }
  sendRecord(Rec, B.CreateAnd(Off, Mask));
  endKey(Rec);
}

void ProbeEmitter::sendRecord(Value *Rec, Value *Size) {
  Value *Err = B.createRingbufOutput(CGM.getRingBuffer(), Rec, Size);
  // A full ring buffer loses the record: count it so the loader can say so.
  LLVMContext &C = B.getContext();
  auto *Lost = BasicBlock::Create(C, "out.lost", Fn);
  auto *Done = BasicBlock::Create(C, "out.done", Fn);
  B.CreateCondBr(B.CreateICmpNE(Err, B.getInt64(0)), Lost, Done);
  B.SetInsertPoint(Lost);
  B.createCounterIncrement(CGM.getDroppedVar());
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
}

bool ProbeEmitter::emitFormatArgs(FunctionCall *E, StringRef Format,
                                  ArrayRef<Expr *> Args,
                                  SmallVectorImpl<Value *> &Values) {
  SmallVector<TypeKind, 8> Kinds;
  std::string Error;
  if (!scanFormat(Format, Kinds, Error)) {
    CGM.getDiags().error(E->getLoc(), Error);
    return false;
  }
  if (Kinds.size() != Args.size()) {
    CGM.getDiags().error(E->getLoc(),
                         "format expects " + Twine(Kinds.size()) +
                             " argument(s), " + Twine(Args.size()) + " given");
    return false;
  }
  for (size_t I = 0; I < Args.size(); ++I) {
    // %s prints a formatted-later value too: the loader makes its text.
    bool LaterText = Kinds[I] == TypeKind::String &&
                     isFormattedLater(Args[I]->getType());
    if (Args[I]->getType() != Kinds[I] && !LaterText) {
      CGM.getDiags().error(Args[I]->getLoc(),
                           "format conversion " + Twine(I + 1) + " takes a " +
                               spelling(Kinds[I]) + ", this is a " +
                               spelling(Args[I]->getType()));
      return false;
    }
    Values.push_back(emitExpr(Args[I]));
  }
  return true;
}

void ProbeEmitter::emitPrint(FunctionCall *E, StringRef Format,
                             ArrayRef<Expr *> Args) {
  SmallVector<Value *, 8> Values;
  if (!emitFormatArgs(E, Format, Args, Values))
    return;
  setLoc(E->getLoc());
  // The record carries what each conversion needs: %m and %M send the
  // bytes at their address (the loader cannot read kernel memory).
  SmallVector<TypeKind, 8> Types;
  SmallVector<Value *, 8> Lengths;
  SmallVector<CodeGenModule::FormatRender, 2> Renders;
  runtime::Format F = runtime::Format::parse({Format.data(), Format.size()});
  size_t Next = 0;
  for (const runtime::FormatPiece &P : F.pieces()) {
    if (P.Conversion == 0 || P.Conversion == '%')
      continue;
    auto TakeLong = [&] {
      Types.push_back(TypeKind::Long);
      Lengths.push_back(nullptr);
      return Values[Next++];
    };
    if (P.Width == runtime::FromArgument)
      TakeLong();
    Value *Prec = B.getInt64(P.Precision);
    if (P.Precision == runtime::FromArgument)
      Prec = emitStarPrecision(B, TakeLong());
    bool Memory = P.Conversion == 'm' || P.Conversion == 'M';
    TypeKind ArgType = Args[Next]->getType();
    if (P.Conversion == 's' && isFormattedLater(ArgType)) {
      Renders.push_back({unsigned(Types.size()), CGM.renderingOf(ArgType)});
      Types.push_back(TypeKind::Long);
      Lengths.push_back(nullptr);
      ++Next;
      continue;
    }
    Types.push_back(P.Conversion == 's' || Memory ? TypeKind::String
                                                  : TypeKind::Long);
    Lengths.push_back(nullptr);
    if (Memory) {
      Value *Tmp = allocStringSlot();
      Lengths.back() =
          emitMemoryRead(Tmp, Values[Next], Prec,
                         P.Flags & runtime::FlagSpecial, E->getLoc());
      Values[Next] = Tmp;
    }
    ++Next;
  }
  emitRecord(STAPC_REC_PRINTF, CGM.addFormat(Format, Renders), Values, Types,
             Lengths);
}

/// print, println, printd, printdln, printf, log: all become one record
/// with a format built here.
void ProbeEmitter::emitPrintFamily(FunctionCall *E, BuiltinID ID) {
  ArrayRef<Expr *> Args = E->getArgs();
  auto Conv = [](Expr *A) { return printsAsText(A->getType()) ? "%s" : "%d"; };
  std::string Fmt;
  switch (ID) {
  case BuiltinID::Printf: {
    auto *Lit = Args.empty() ? nullptr : dyn_cast<StringLiteral>(Args[0]);
    if (!Lit) {
      CGM.getDiags().error(E->getLoc(), "printf needs a literal format string");
      return;
    }
    return emitPrint(E, Lit->getValue(), Args.drop_front());
  }
  case BuiltinID::Print:
  case BuiltinID::Println:
    // A histogram is printed on its own (Sema checked) as a chart.
    if (auto *H = Args.size() == 1 ? dyn_cast<StatExtractExpr>(Args[0])
                                   : nullptr;
        H && (H->getStatKind() == StatKind::HistLog ||
              H->getStatKind() == StatKind::HistLinear)) {
      emitHistPrint(H);
      if (ID == BuiltinID::Println)
        emitPrint(E, "\n", {});
      return;
    }
    for (Expr *A : Args)
      Fmt += Conv(A);
    if (ID == BuiltinID::Println)
      Fmt += "\n";
    return emitPrint(E, Fmt, Args);
  case BuiltinID::Printd:
  case BuiltinID::Printdln: {
    auto *Delim = Args.empty() ? nullptr : dyn_cast<StringLiteral>(Args[0]);
    if (!Delim) {
      CGM.getDiags().error(E->getLoc(), E->getName() +
                                            " needs a literal delimiter");
      return;
    }
    for (size_t I = 1; I < Args.size(); ++I) {
      if (I > 1)
        Fmt += escapePercent(Delim->getValue());
      Fmt += Conv(Args[I]);
    }
    if (ID == BuiltinID::Printdln)
      Fmt += "\n";
    return emitPrint(E, Fmt, Args.drop_front());
  }
  case BuiltinID::Log:
    return emitPrint(E, "%s\n", Args);
  default:
    llvm_unreachable("not a print builtin");
  }
}

/// sprintf/sprint/sprintln: compiled into straight-line BPF that formats
/// into a string slot exactly as the loader formats printf (CGFormat.cpp).
Value *ProbeEmitter::emitSprintFamily(FunctionCall *E, BuiltinID ID) {
  ArrayRef<Expr *> Args = E->getArgs();
  std::string Fmt;
  if (ID == BuiltinID::Sprintf) {
    auto *Lit = Args.empty() ? nullptr : dyn_cast<StringLiteral>(Args[0]);
    if (!Lit) {
      CGM.getDiags().error(E->getLoc(), "sprintf needs a literal format string");
      return CGM.getStringConstant("");
    }
    Fmt = Lit->getValue().str();
    Args = Args.drop_front();
  } else {
    for (Expr *A : Args)
      Fmt += printsAsText(A->getType()) ? "%s" : "%d";
    if (ID == BuiltinID::Sprintln)
      Fmt += "\n";
  }
  for (Expr *A : Args)
    if (isFormattedLater(A->getType())) {
      CGM.getDiags().error(
          A->getLoc(), E->getName() + " cannot format a " +
                           spelling(A->getType()) +
                           ": its text is made by stapc-run when it is "
                           "printed, not in the probe; print it with printf "
                           "instead, or keep it as an array key or value");
      return CGM.getStringConstant("");
    }
  SmallVector<Value *, 8> Values;
  if (!emitFormatArgs(E, Fmt, Args, Values))
    return CGM.getStringConstant("");
  setLoc(E->getLoc());
  return emitFormat(Fmt, Values, E->getLoc());
}
