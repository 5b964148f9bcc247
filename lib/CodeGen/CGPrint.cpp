//===- CGPrint.cpp - Output records (printf family, exit, errors) ---------===//
//
// BPF never formats text: a print becomes a record with the format id and
// the raw arguments (include/stapc/Object/RecordFormat.h); stapc-run
// formats it with stap's printf semantics.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

#include "llvm/ADT/StringExtras.h"

using namespace stapc;
using namespace llvm;

namespace {
/// The argument kinds a stap format string consumes, in order.
bool scanFormat(StringRef Fmt, SmallVectorImpl<TypeKind> &Kinds,
                std::string &Error) {
  for (size_t I = 0; I < Fmt.size(); ++I) {
    if (Fmt[I] != '%')
      continue;
    if (++I >= Fmt.size()) {
      Error = "format string ends in the middle of a conversion";
      return false;
    }
    if (Fmt[I] == '%')
      continue;
    while (I < Fmt.size() && StringRef("-+ #0").contains(Fmt[I]))
      ++I;
    if (I < Fmt.size() && Fmt[I] == '*') {
      Kinds.push_back(TypeKind::Long);
      ++I;
    }
    while (I < Fmt.size() && isDigit(Fmt[I]))
      ++I;
    if (I < Fmt.size() && Fmt[I] == '.') {
      ++I;
      if (I < Fmt.size() && Fmt[I] == '*') {
        Kinds.push_back(TypeKind::Long);
        ++I;
      }
      while (I < Fmt.size() && isDigit(Fmt[I]))
        ++I;
    }
    while (I < Fmt.size() && StringRef("lLh").contains(Fmt[I]))
      ++I;
    if (I >= Fmt.size()) {
      Error = "format string ends in the middle of a conversion";
      return false;
    }
    char Conv = Fmt[I];
    if (StringRef("sMm").contains(Conv))
      Kinds.push_back(TypeKind::String);
    else if (StringRef("diuxXobcp").contains(Conv))
      Kinds.push_back(TypeKind::Long);
    else {
      Error = (Twine("unknown conversion '%") + Twine(Conv) + "' in format")
                  .str();
      return false;
    }
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
                              ArrayRef<Value *> Args, ArrayRef<TypeKind> Types) {
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
    Value *N = B.createProbeReadKernelStr(Chars, MaxStr, Args[I]);
    // N counts the NUL; a failed read (N < 0) sends an empty string.
    Value *Len = B.CreateSelect(B.CreateICmpSGT(N, B.getInt64(0)),
                                B.CreateSub(N, B.getInt64(1)), B.getInt64(0));
    Len = B.CreateAnd(Len, B.getInt64(0xffff));
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

void ProbeEmitter::emitPrint(FunctionCall *E, StringRef Format,
                             ArrayRef<Expr *> Args) {
  SmallVector<TypeKind, 8> Kinds;
  std::string Error;
  if (!scanFormat(Format, Kinds, Error)) {
    CGM.getDiags().error(E->getLoc(), Error);
    return;
  }
  if (Kinds.size() != Args.size()) {
    CGM.getDiags().error(E->getLoc(),
                         "format expects " + Twine(Kinds.size()) +
                             " argument(s), " + Twine(Args.size()) + " given");
    return;
  }
  SmallVector<Value *, 8> Values;
  SmallVector<TypeKind, 8> Types;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Args[I]->getType() != Kinds[I]) {
      CGM.getDiags().error(Args[I]->getLoc(),
                           "format conversion " + Twine(I + 1) + " takes a " +
                               spelling(Kinds[I]) + ", this is a " +
                               spelling(Args[I]->getType()));
      return;
    }
    Values.push_back(emitExpr(Args[I]));
    Types.push_back(Kinds[I]);
  }
  setLoc(E->getLoc());
  emitRecord(STAPC_REC_PRINTF, CGM.addFormat(Format), Values, Types);
}

/// print, println, printd, printdln, printf, log: all become one record
/// with a format built here.
void ProbeEmitter::emitPrintFamily(FunctionCall *E, BuiltinID ID) {
  ArrayRef<Expr *> Args = E->getArgs();
  auto Conv = [](Expr *A) { return A->getType() == TypeKind::String ? "%s" : "%d"; };
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

namespace {
/// Rewrite a stap format for the kernel's bpf_snprintf, whose values are
/// all passed as u64: integer conversions get the `ll` modifier and `%p`
/// prints like stap's (0x...). Conversions the kernel cannot do are left
/// for the caller to report.
bool toKernelFormat(StringRef Fmt, std::string &Out, std::string &Error) {
  for (size_t I = 0; I < Fmt.size(); ++I) {
    char C = Fmt[I];
    Out += C;
    if (C != '%')
      continue;
    if (I + 1 < Fmt.size() && Fmt[I + 1] == '%') {
      Out += '%';
      ++I;
      continue;
    }
    ++I;
    size_t Start = I;
    while (I < Fmt.size() && StringRef("-+ 0").contains(Fmt[I]))
      ++I;
    while (I < Fmt.size() && isDigit(Fmt[I]))
      ++I;
    // The kernel's bpf_snprintf takes flags and widths, not precisions.
    if (I < Fmt.size() && (Fmt[I] == '*' || Fmt[I] == '#' || Fmt[I] == '.')) {
      Error = "sprintf does not support precisions, '*' widths or the '#' "
              "flag yet (printf does)";
      return false;
    }
    std::string Spec = Fmt.slice(Start, I).str();
    while (I < Fmt.size() && StringRef("lLh").contains(Fmt[I]))
      ++I;
    if (I >= Fmt.size())
      return true; // scanFormat already reported it
    char Conv = Fmt[I];
    switch (Conv) {
    case 'd': case 'i': case 'u': case 'x': case 'X':
      Out += Spec + "ll" + Conv;
      break;
    case 'c': case 's':
      Out += Spec + Conv;
      break;
    case 'p':
      Out.pop_back();
      Out += "0x%" + Spec + "llx";
      break;
    default:
      Error = (Twine("sprintf does not support '%") + Twine(Conv) +
               "' yet (printf does)")
                  .str();
      return false;
    }
  }
  return true;
}
} // namespace

/// sprintf/sprint/sprintln: formatted in the kernel by bpf_snprintf (Linux
/// 5.13+) into a string slot, truncated to MAXSTRINGLEN.
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
      Fmt += A->getType() == TypeKind::String ? "%s" : "%d";
    if (ID == BuiltinID::Sprintln)
      Fmt += "\n";
  }
  SmallVector<TypeKind, 8> Kinds;
  std::string Error, KernelFmt;
  if (!scanFormat(Fmt, Kinds, Error) || !toKernelFormat(Fmt, KernelFmt, Error)) {
    CGM.getDiags().error(E->getLoc(), Error);
    return CGM.getStringConstant("");
  }
  if (Kinds.size() != Args.size()) {
    CGM.getDiags().error(E->getLoc(), "format expects " + Twine(Kinds.size()) +
                                          " argument(s), " +
                                          Twine(Args.size()) + " given");
    return CGM.getStringConstant("");
  }
  const unsigned MaxArgs = 12; // the kernel's MAX_BPRINTF_VARARGS
  if (Args.size() > MaxArgs) {
    CGM.getDiags().error(E->getLoc(), "sprintf takes at most 12 values");
    return CGM.getStringConstant("");
  }
  Value *Data = nullptr;
  if (!Args.empty()) {
    Data = B.createEntryAlloca(ArrayType::get(B.getInt64Ty(), Args.size()),
                               "sprintf.args");
    for (size_t I = 0; I < Args.size(); ++I) {
      if (Args[I]->getType() != Kinds[I]) {
        CGM.getDiags().error(Args[I]->getLoc(),
                             "format conversion " + Twine(I + 1) + " takes a " +
                                 spelling(Kinds[I]) + ", this is a " +
                                 spelling(Args[I]->getType()));
        return CGM.getStringConstant("");
      }
      Value *V = emitExpr(Args[I]);
      if (Kinds[I] == TypeKind::String)
        V = B.CreatePtrToInt(V, B.getInt64Ty());
      B.CreateStore(V, B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Data, I));
    }
  }
  setLoc(E->getLoc());
  Value *Dst = allocStringSlot();
  Value *FmtC = CGM.getStringConstant(KernelFmt);
  Value *NullData = ConstantPointerNull::get(B.getPtrTy());
  B.createHelperCall(BPFHelper::Snprintf, B.getInt64Ty(),
                     {Dst, B.getInt32(CGM.getOptions().MaxStringLen), FmtC,
                      Data ? Data : NullData, B.getInt32(Args.size() * 8)},
                     "snprintf");
  return Dst;
}
