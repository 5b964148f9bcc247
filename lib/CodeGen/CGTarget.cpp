//===- CGTarget.cpp - Typed kernel values ($var, @cast) with CO-RE --------===//
//
// A typed value is either a scalar in hand (an i64 with a BTF type) or an
// object in kernel memory (an address with a BTF type). Member steps use
// the CO-RE preserve-access chains of BTFDIBuilder, so field offsets are
// relocated to the running kernel at load time. Reads through a BTF-typed
// context pointer (tp_btf and fentry/fexit arguments) are plain loads: the
// verifier knows the pointee's type, checks each access against it and
// makes a faulting load read 0, so only a NULL pointer needs a test (it is
// stap's read-fault error). Other reads (@cast, indexed steps, the kprobe
// twins' register copies) go through bpf_probe_read_kernel.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/BTF/BTFDIBuilder.h"

using namespace stapc;
using namespace llvm;

namespace {
struct TypedValue {
  Value *Scalar = nullptr; // i64, when the value is in hand
  Value *Addr = nullptr;   // else: where the object lives
  uint32_t Type = 0;       // BTF type id (unstripped)
};
} // namespace

Value *ProbeEmitter::emitTargetExpr(TargetExpr *E) {
  if (Probe.User && (isa<TargetSymbolExpr>(E) || isa<AtVarExpr>(E)))
    return emitUserTargetExpr(E); // CGUprobe.cpp
  if (auto *C = dyn_cast<CastExpr>(E)) {
    Value *Ptr = emitExpr(C->getOperand());
    KernelBTF *K = CGM.getOptions().BTF;
    if (!K) {
      CGM.getDiags().error(E->getLoc(), "@cast needs kernel BTF (none could "
                                        "be read; pass --btf FILE)");
      return B.getInt64(0);
    }
    StringRef Module = C->getModule();
    if (C->hasModule() && !Module.starts_with("kernel")) {
      CGM.getDiags().error(E->getLoc(), "@cast into module '" + Module +
                                            "': only kernel types (from BTF) "
                                            "are supported yet");
      return B.getInt64(0);
    }
    auto Ty = K->findType(C->getTypeName());
    if (!Ty) {
      CGM.getDiags().error(E->getLoc(), "@cast: " + toString(Ty.takeError()));
      return B.getInt64(0);
    }
    if (E->getComponents().empty())
      return Ptr;
    // @cast(p, "T") names the type p points to.
    return emitMemberChain(E, B.CreateIntToPtr(Ptr, B.getPtrTy()), *Ty);
  }
  if (isa<AutocastExpr>(E)) {
    CGM.getDiags().error(E->getComponents().front().Loc,
                         "'->' on a value whose kernel type is not known here "
                         "(stap's autocast) is not supported yet; name the "
                         "type: @cast(value, \"task_struct\")->member");
    return B.getInt64(0);
  }
  auto *Sym = dyn_cast<TargetSymbolExpr>(E);
  if (!Sym || Sym->isContextList()) {
    CGM.getDiags().error(E->getLoc(), "this target expression is not "
                                      "supported by this stapc build yet");
    return B.getInt64(0);
  }
  StringRef Name = Sym->getName().drop_front(); // '$'
  const ContextArg *Arg = nullptr;
  for (const ContextArg &A : Probe.Args)
    if (A.Name == Name)
      Arg = &A;
  if (!Arg) {
    std::string Known;
    for (const ContextArg &A : Probe.Args)
      Known += (Known.empty() ? "$" : ", $") + A.Name;
    if (CGM.firstReportAt(E->getLoc()))
      CGM.getDiags().error(E->getLoc(),
                         "semantic error: unable to find target variable '" +
                             Sym->getName() + "' in probe '" + Probe.PP +
                             "'" + (Known.empty() ? "" : " (it has: " + Known + ")") +
                             (Name == "return" && Probe.Kind == ProbeKind::KernelFunction
                                  ? "; $return exists in .return probes"
                                  : ""));
    return B.getInt64(0);
  }
  // tp_btf context: an array of u64, one per prototype argument.
  Value *Slot = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), CtxArg,
                                             Arg->Index);
  Value *V = B.CreateLoad(B.getInt64Ty(), Slot, Name);
  if (E->getComponents().empty())
    return V;
  KernelBTF *K = CGM.getOptions().BTF;
  TypeInfo TI = K->describe(Arg->BTFType);
  if (TI.Kind != BTFTypeKind::Pointer) {
    CGM.getDiags().error(E->getComponents().front().Loc,
                         "'" + Sym->getName() + "' is a " +
                             K->typeName(Arg->BTFType) +
                             ", not a pointer; '->' needs a pointer");
    return B.getInt64(0);
  }
  return emitMemberChain(E, B.CreateIntToPtr(V, B.getPtrTy()), TI.PointeeId,
                         hasBTFTypedContext());
}

/// Whether the context arguments are pointers the verifier types from BTF.
bool ProbeEmitter::hasBTFTypedContext() const {
  if (Var != Variant::Main)
    return false;
  return Probe.Kind == ProbeKind::Tracepoint ||
         (Probe.Kind == ProbeKind::KernelFunction && !Probe.KprobeOnly);
}

/// Reads the integer or pointer of Size bytes at Addr into an i64: a plain
/// load when Direct (see the file comment), else bpf_probe_read_kernel.
Value *ProbeEmitter::readKernelScalar(Value *Addr, uint64_t Size, bool Signed,
                                      bool Direct, SMLoc Loc, StringRef What,
                                      bool User) {
  Value *V;
  if (Direct) {
    V = B.CreateLoad(B.getIntNTy(Size * 8), Addr, What);
    return Signed ? B.CreateSExt(V, B.getInt64Ty()) : B.CreateZExt(V, B.getInt64Ty());
  }
  Value *Tmp = B.createEntryAlloca(B.getInt64Ty(), "field");
  B.CreateStore(B.getInt64(0), Tmp);
  Value *Err = User ? B.createHelperCall(BPFHelper::ProbeReadUser, B.getInt64Ty(),
                                         {Tmp, B.getInt32(Size), Addr}, "rd")
                    : B.createProbeReadKernel(Tmp, Size, Addr);
  exitIf(B.CreateICmpSLT(Err, B.getInt64(0)), Loc,
         (User ? "user read fault reading '" : "kernel read fault reading '") +
             What.str() + "'");
  V = B.CreateLoad(B.getInt64Ty(), Tmp);
  if (Signed && Size < 8) {
    unsigned Bits = 64 - Size * 8;
    V = B.CreateAShr(B.CreateShl(V, Bits), Bits);
  }
  return V;
}

/// Base points at an object of BTF type TypeId; apply E's components.
Value *ProbeEmitter::emitMemberChain(TargetExpr *E, Value *Base,
                                     uint32_t TypeId, bool BTFPointer) {
  KernelBTF &K = *CGM.getOptions().BTF;
  BTFDIBuilder &DB = *CGM.getBTFDIBuilder();
  DiagnosticEngine &Diags = CGM.getDiags();
  TypedValue Cur{nullptr, Base, TypeId};
  // Member steps keep a BTF-typed pointer BTF-typed (the verifier types
  // loaded struct pointers too); a computed index does not.
  bool Direct = BTFPointer;
  auto NullIsFault = [&](Value *Ptr, const TargetComponent &C) {
    if (Direct)
      exitIf(B.CreateIsNull(Ptr), C.Loc,
             "kernel read fault reading '" + C.Name.str() + "'");
  };
  if (!E->getComponents().empty())
    NullIsFault(Base, E->getComponents().front());

  // Turn a pointer in hand into the object it points at.
  auto Deref = [&](const TargetComponent &C) -> bool {
    if (!Cur.Scalar)
      return true;
    TypeInfo TI = K.describe(Cur.Type);
    if (TI.Kind != BTFTypeKind::Pointer) {
      Diags.error(C.Loc, "'" + K.typeName(Cur.Type) + "' is not a pointer");
      return false;
    }
    Cur = {nullptr, B.CreateIntToPtr(Cur.Scalar, B.getPtrTy()), TI.PointeeId};
    NullIsFault(Cur.Addr, C);
    return true;
  };

  for (const TargetComponent &C : E->getComponents()) {
    setLoc(C.Loc);
    if (C.K == TargetComponent::Member) {
      if (!Deref(C))
        return B.getInt64(0);
      if (!K.isAggregate(Cur.Type)) {
        Diags.error(C.Loc, "'" + K.typeName(Cur.Type) +
                               "' has no members (looking for '" + C.Name + "')");
        return B.getInt64(0);
      }
      auto Path = K.findMember(Cur.Type, C.Name);
      if (!Path) {
        Diags.error(C.Loc, toString(Path.takeError()));
        return B.getInt64(0);
      }
      if (Path->isBitfield()) {
        Diags.error(C.Loc, "bitfield '" + C.Name + "' is not supported yet");
        return B.getInt64(0);
      }
      FieldAddress F = DB.emitMemberAddress(B, Cur.Addr, *Path);
      Cur = {nullptr, F.Addr, F.TypeId};
    } else {
      Direct = false;
      Value *Index = emitExpr(C.Index);
      TypeInfo TI = K.describe(Cur.Type);
      if (Cur.Scalar) {
        if (TI.Kind != BTFTypeKind::Pointer) {
          Diags.error(C.Loc, "'" + K.typeName(Cur.Type) + "' cannot be indexed");
          return B.getInt64(0);
        }
        uint64_t Size = K.describe(TI.PointeeId).Size;
        Value *P = B.CreateIntToPtr(Cur.Scalar, B.getPtrTy());
        Cur = {nullptr,
               B.CreateGEP(B.getInt8Ty(), P, B.CreateMul(Index, B.getInt64(Size))),
               TI.PointeeId};
      } else if (TI.Kind == BTFTypeKind::Array) {
        uint64_t Size = K.describe(TI.ElementId).Size;
        Cur = {nullptr,
               B.CreateGEP(B.getInt8Ty(), Cur.Addr,
                           B.CreateMul(Index, B.getInt64(Size))),
               TI.ElementId};
      } else {
        Diags.error(C.Loc, "'" + K.typeName(Cur.Type) + "' cannot be indexed");
        return B.getInt64(0);
      }
    }
    // Pointers and scalars are read now; arrays and aggregates stay in
    // memory for the next step.
    TypeInfo TI = K.describe(Cur.Type);
    if (TI.Kind == BTFTypeKind::Pointer || K.isIntegerLike(Cur.Type)) {
      uint64_t Size = TI.Size ? std::min<uint64_t>(TI.Size, 8) : 8;
      // The verifier wants a load of the member's own width.
      bool Plain = Direct && TI.Size == Size && isPowerOf2_64(Size);
      Cur = {readKernelScalar(Cur.Addr, Size, TI.IsSigned, Plain, C.Loc, C.Name),
             nullptr, Cur.Type};
    }
  }
  if (Cur.Scalar)
    return Cur.Scalar;
  if (K.isAggregate(Cur.Type)) {
    Diags.error(E->getComponents().back().Loc,
                "'" + K.typeName(Cur.Type) +
                    "' is a struct or union, not a value; pick one of its "
                    "members");
    return B.getInt64(0);
  }
  // Arrays read as their address, as in stap (use kernel_string on them).
  return B.CreatePtrToInt(Cur.Addr, B.getInt64Ty());
}
