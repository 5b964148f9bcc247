//===- CGTargetPretty.cpp - $$vars, $$parms, $var$ and $var$$ ------------===//
//
// The context lists and pretty-printed target values are strings that stap
// builds with sprintf: `$$parms` is sprintf("a=%#x b=%#x", $a, $b), and
// `$var$` spells a struct as `{.pid=12, .comm="sh", .mm=0xffff...}`, nested
// aggregates as `{...}` (with `$$`, expanded too). stapc builds one format
// from the BTF types at compile time and formats it in BPF; each member is
// read right before its conversion (emitFormatLazy), so a long struct does
// not need all its values in registers at once.
//
// Reads here never fail the probe: a member that cannot be read prints as
// 0, as stap's pretty printer prints what it could fetch. Members stop once
// the fixed text alone would fill MAXSTRINGLEN (the rest could not show).
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/BTF/BTFDIBuilder.h"

using namespace stapc;
using namespace llvm;

namespace {

/// One sprintf under construction.
class PrettyFormat {
public:
  PrettyFormat(ProbeEmitter &PE, unsigned Budget) : PE(PE), Budget(Budget) {}

  void text(StringRef T) {
    for (char C : T) {
      Format += C;
      if (C == '%')
        Format += '%';
    }
  }
  void conv(StringRef Conversion, std::function<Value *()> Make) {
    Format += Conversion;
    Args.push_back(std::move(Make));
  }
  /// Whether the fixed text already fills the string.
  bool full() const { return Format.size() >= Budget; }

  Value *emit(SMLoc Loc) {
    return PE.emitFormatLazy(
        Format, [&](unsigned I) { return Args[I](); }, Loc);
  }

private:
  ProbeEmitter &PE;
  unsigned Budget;
  std::string Format;
  /// Argument I's value, made right before its conversion.
  std::vector<std::function<Value *()>> Args;
};

/// Appends values of BTF-typed kernel data to a PrettyFormat.
class PrettyPrinter {
public:
  PrettyPrinter(ProbeEmitter &PE, PrettyFormat &F, bool Deep, SMLoc Loc)
      : PE(PE), B(PE.B), K(*PE.CGM.getOptions().BTF),
        DB(*PE.CGM.getBTFDIBuilder()), F(F), Deep(Deep), Loc(Loc) {}

  /// A value in hand: integers in decimal, pointers in hex, char pointers
  /// as quoted strings; a pointer to a struct at the top is followed.
  void scalar(Value *V, uint32_t Type, unsigned Depth) {
    TypeInfo TI = K.describe(Type);
    if (TI.Kind == BTFTypeKind::Pointer) {
      if (K.isStringLike(Type))
        return quotedString([this, V] { return B.CreateIntToPtr(V, B.getPtrTy()); });
      if (Depth == 0 && K.isAggregate(TI.PointeeId))
        return object(
            [this, V] { return B.CreateIntToPtr(V, B.getPtrTy()); },
            TI.PointeeId, Depth);
      return F.conv("%#x", [=, this] { return PE.pointerAsValue(V, Type); });
    }
    F.conv(TI.IsSigned ? "%d" : "%u", [V] { return V; });
  }

  /// An object in memory; MakeAddr emits its address.
  void object(std::function<Value *()> MakeAddr, uint32_t Type,
              unsigned Depth) {
    TypeInfo TI = K.describe(Type);
    if (K.isAggregate(Type)) {
      if (Depth > 0 && (!Deep || Depth > MaxDepth))
        return F.text("{...}");
      return aggregate(std::move(MakeAddr), Type, Depth);
    }
    if (TI.Kind == BTFTypeKind::Array) {
      if (K.isStringLike(Type))
        return quotedString(std::move(MakeAddr));
      return F.text("[...]");
    }
    if (TI.Kind == BTFTypeKind::Pointer || K.isIntegerLike(Type)) {
      uint64_t Size = std::min<uint64_t>(TI.Size ? TI.Size : 8, 8);
      bool Signed = TI.IsSigned;
      Value *Tmp = scratch();
      std::function<Value *()> Read = [=, this] {
        return readQuiet(MakeAddr(), Tmp, Size, Signed);
      };
      if (TI.Kind == BTFTypeKind::Pointer && K.isStringLike(Type))
        return quotedString(
            [=, this] { return B.CreateIntToPtr(Read(), B.getPtrTy()); });
      return F.conv(TI.Kind == BTFTypeKind::Pointer ? "%#x"
                    : Signed                        ? "%d"
                                                    : "%u",
                    Read);
    }
    F.text("?");
  }

private:
  static constexpr unsigned MaxDepth = 3;

  void quotedString(std::function<Value *()> MakePtr) {
    F.text("\"");
    F.conv("%s", std::move(MakePtr));
    F.text("\"");
  }

  void aggregate(std::function<Value *()> MakeAddr, uint32_t Type,
                 unsigned Depth) {
    F.text("{");
    bool First = true;
    for (const std::string &Name : K.memberNames(Type)) {
      if (F.full()) {
        F.text(First ? "..." : ", ...");
        break;
      }
      Expected<MemberPath> Path = K.findMember(Type, Name);
      if (!Path) {
        consumeError(Path.takeError());
        continue;
      }
      F.text(First ? "." : ", .");
      F.text(Name);
      F.text("=");
      First = false;
      MemberPath P = *Path;
      if (P.isBitfield()) {
        bool Signed = K.describe(P.fieldTypeId()).IsSigned;
        F.conv(Signed ? "%d" : "%u", [=, this] {
          Value *Base = MakeAddr();
          FieldAddress FA = DB.emitMemberAddress(B, Base, P);
          return PE.readBitfield(Base, FA, Signed, Loc, P.Steps.back().Name);
        });
        continue;
      }
      object(
          [=, this] { return DB.emitMemberAddress(B, MakeAddr(), P).Addr; },
          P.fieldTypeId(), Depth + 1);
    }
    F.text("}");
  }

  /// Size bytes at Addr (zero when they cannot be read) as an i64.
  Value *readQuiet(Value *Addr, Value *Tmp, uint64_t Size, bool Signed) {
    B.CreateStore(B.getInt64(0), Tmp);
    B.createProbeReadKernel(Tmp, Size, Addr);
    Value *V = B.CreateLoad(B.getInt64Ty(), Tmp);
    if (Signed && Size < 8) {
      unsigned Bits = 64 - Size * 8;
      V = B.CreateAShr(B.CreateShl(V, Bits), Bits);
    }
    return V;
  }

  /// One stack slot for every member read of this value.
  Value *scratch() {
    if (!Tmp)
      Tmp = B.createEntryAlloca(B.getInt64Ty(), "pretty");
    return Tmp;
  }

  ProbeEmitter &PE;
  BPFIRBuilder &B;
  KernelBTF &K;
  BTFDIBuilder &DB;
  PrettyFormat &F;
  bool Deep;
  SMLoc Loc;
  Value *Tmp = nullptr;
};

} // namespace

Value *ProbeEmitter::emitPrettyTarget(const TypedTarget &T, bool Deep,
                                      SMLoc Loc) {
  PrettyFormat F(*this, CGM.getOptions().MaxStringLen);
  PrettyPrinter P(*this, F, Deep, Loc);
  if (T.Scalar)
    P.scalar(T.Scalar, T.Type, 0);
  else
    P.object([Addr = T.Addr] { return Addr; }, T.Type, 0);
  return F.emit(Loc);
}

Value *ProbeEmitter::emitContextList(TargetSymbolExpr *E) {
  StringRef Name = E->getName();
  DiagnosticEngine &Diags = CGM.getDiags();
  PrettyFormat F(*this, CGM.getOptions().MaxStringLen);
  unsigned Pretty = E->getPrettyPrint();
  PrettyPrinter P(*this, F, Pretty > 1, E->getLoc());
  auto Append = [&](const ContextArg &A, bool Space) {
    if (Space)
      F.text(" ");
    F.text(A.Name);
    F.text("=");
    Value *V = loadContextArg(A);
    if (Pretty)
      P.scalar(V, A.BTFType, 0);
    else
      F.conv("%#x", [=, this] { return pointerAsValue(V, A.BTFType); });
  };
  if (Name == "$$vars" || Name == "$$parms") {
    // BTF names parameters only: $$vars has no locals to add.
    bool Space = false;
    for (const ContextArg &A : Probe.Args)
      if (A.Name != "return" && !StringRef(A.Name).starts_with("__")) {
        Append(A, Space);
        Space = true;
      }
  } else if (Name == "$$locals") {
    // Kernel probes see no locals (BTF describes no function bodies).
  } else if (Name == "$$return") {
    if (Probe.Kind != ProbeKind::KernelFunction || !Probe.Return) {
      Diags.error(E->getLoc(), "'$$return' is only available in .return "
                               "probes of functions");
      return B.getInt64(0);
    }
    if (const ContextArg *R = findContextArg("return"))
      Append(*R, false); // void functions: an empty string, as in stap
  } else if (Name == "$$name") {
    if (Probe.Kind != ProbeKind::Tracepoint) {
      Diags.error(E->getLoc(), "'$$name' is only available in kernel.trace "
                               "probes");
      return B.getInt64(0);
    }
    F.text(Probe.Tracepoint);
  } else {
    Diags.error(E->getLoc(), "unknown context list '" + Name +
                                 "'; stapc knows $$vars, $$parms, $$locals, "
                                 "$$return and $$name");
    return B.getInt64(0);
  }
  return F.emit(E->getLoc());
}
