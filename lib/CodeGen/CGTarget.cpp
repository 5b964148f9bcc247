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

/// `&$var` and `&@cast(p, "T")` name no member: the first lives in a
/// register, the second is p itself.
static std::nullopt_t refuseBareAddress(DiagnosticEngine &Diags,
                                       TargetExpr *E) {
  Diags.error(E->getLoc(), "'&' needs a member or an element (write "
                           "&$var->member or &$var[N]): this names a value, "
                           "not an object in memory");
  return std::nullopt;
}

Value *ProbeEmitter::emitTargetExpr(TargetExpr *E, bool AddressOf) {
  if (Probe.User && (isa<TargetSymbolExpr>(E) || isa<AtVarExpr>(E))) {
    if (AddressOf || E->getPrettyPrint()) {
      CGM.getDiags().error(E->getLoc(),
                           std::string(AddressOf ? "'&'" : "pretty printing ('$')") +
                               " of user-space values is not supported yet; "
                               "read the members one by one");
      return E->getType() == TypeKind::String ? CGM.getStringConstant("")
                                              : B.getInt64(0);
    }
    return emitUserTargetExpr(E); // CGUprobe.cpp
  }
  auto *Sym = dyn_cast<TargetSymbolExpr>(E);
  if (Sym && Sym->isContextList())
    return emitContextList(Sym);
  std::optional<TypedTarget> T = emitTypedTarget(E, AddressOf);
  if (!T)
    return B.getInt64(0);
  if (E->getPrettyPrint())
    return emitPrettyTarget(*T, E->getPrettyPrint() > 1, E->getLoc());
  if (T->Scalar)
    return AddressOf ? T->Scalar : pointerAsValue(T->Scalar, T->Type);
  // An object in memory: `@cast(p, "T")` alone is p; arrays read as their
  // address, as in stap (use kernel_string on them); a struct is no value.
  KernelBTF &K = *CGM.getOptions().BTF;
  if (!E->getComponents().empty() && K.isAggregate(T->Type)) {
    CGM.getDiags().error(E->getComponents().back().Loc,
                         "'" + K.typeName(T->Type) +
                             "' is a struct or union, not a value; pick one "
                             "of its members (or print it with a trailing "
                             "'$')");
    return B.getInt64(0);
  }
  return B.CreatePtrToInt(T->Addr, B.getInt64Ty());
}

/// In tp_btf and fentry programs the verifier types pointers loaded from
/// the context (and through them) as kernel pointers, and refuses any
/// arithmetic on them (`$prev & 15`, formatting digits). A script value is
/// a plain number: copy the bits through a helper, whose result the
/// verifier sees as a scalar. Only pointer values used as values pay this;
/// member chains keep the typed pointer.
Value *ProbeEmitter::pointerAsValue(Value *V, uint32_t Type) {
  if (!isVerifierTypedPointer(Type))
    return V;
  Value *Tmp = B.createEntryAlloca(B.getInt64Ty(), "ptrval");
  B.CreateStore(V, Tmp);
  B.createProbeReadKernel(Tmp, 8, Tmp);
  return B.CreateLoad(B.getInt64Ty(), Tmp, "ptrval");
}

const ContextArg *ProbeEmitter::findContextArg(StringRef Name) const {
  for (const ContextArg &A : Probe.Args)
    if (A.Name == Name)
      return &A;
  return nullptr;
}

/// Whether V of BTF type Type is a pointer the verifier types from BTF in
/// this program: a struct or union pointer from a tp_btf/fentry context.
bool ProbeEmitter::isVerifierTypedPointer(uint32_t Type) const {
  if (!hasBTFTypedContext())
    return false;
  KernelBTF &K = *CGM.getOptions().BTF;
  TypeInfo TI = K.describe(Type);
  if (TI.Kind != BTFTypeKind::Pointer || !TI.PointeeId)
    return false;
  BTFTypeKind Pointee = K.describe(TI.PointeeId).Kind;
  return Pointee == BTFTypeKind::Struct || Pointee == BTFTypeKind::Union;
}

Value *ProbeEmitter::loadContextArg(const ContextArg &Arg) {
  if (Probe.Kind == ProbeKind::Syscall)
    return emitSyscallValue(Arg);
  // tp_btf/fentry context: an array of u64, one per prototype argument.
  Value *Slot = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), CtxArg, Arg.Index);
  KernelBTF *K = CGM.getOptions().BTF;
  if (hasBTFTypedContext() && K) {
    TypeInfo TI = K->describe(Arg.BTFType);
    if (TI.Kind == BTFTypeKind::Pointer && TI.PointeeId &&
        !isVerifierTypedPointer(Arg.BTFType)) {
      // Older verifiers (Linux 6.1) refuse to load a context argument that
      // points to anything but a struct or plain void: `const void *ptr`
      // of kmem:kmalloc is "arg1 type UNKNOWN is not a struct". Copying the
      // slot with bpf_probe_read_kernel reads the same u64 on every kernel.
      Value *Tmp = B.createEntryAlloca(B.getInt64Ty(), "arg");
      B.CreateStore(B.getInt64(0), Tmp);
      B.createProbeReadKernel(Tmp, 8, Slot);
      return B.CreateLoad(B.getInt64Ty(), Tmp, Arg.Name);
    }
  }
  return B.CreateLoad(B.getInt64Ty(), Slot, Arg.Name);
}

std::optional<TypedTarget> ProbeEmitter::emitTypedTarget(TargetExpr *E,
                                                        bool AddressOf) {
  DiagnosticEngine &Diags = CGM.getDiags();
  KernelBTF *K = CGM.getOptions().BTF;
  if (auto *C = dyn_cast<CastExpr>(E)) {
    Value *Ptr = emitExpr(C->getOperand());
    if (!K) {
      Diags.error(E->getLoc(), "@cast needs kernel BTF (none could "
                               "be read; pass --btf FILE)");
      return std::nullopt;
    }
    StringRef Module = C->getModule();
    if (C->hasModule() && !Module.starts_with("kernel")) {
      Diags.error(E->getLoc(), "@cast into module '" + Module +
                                   "': only kernel types (from BTF) "
                                   "are supported yet");
      return std::nullopt;
    }
    auto Ty = K->findType(C->getTypeName());
    if (!Ty) {
      Diags.error(E->getLoc(), "@cast: " + toString(Ty.takeError()));
      return std::nullopt;
    }
    // @cast(p, "T") names the object of type T at p.
    Value *Obj = B.CreateIntToPtr(Ptr, B.getPtrTy());
    if (E->getComponents().empty()) {
      if (AddressOf)
        return refuseBareAddress(Diags, E);
      return TypedTarget{nullptr, Obj, *Ty};
    }
    return emitMemberChain(E, Obj, *Ty, /*BTFPointer=*/false, AddressOf);
  }
  if (auto *A = dyn_cast<AutocastExpr>(E)) {
    std::optional<uint32_t> Pointee = autocastPointee(A->getOperand());
    if (!Pointee) {
      Diags.error(E->getComponents().front().Loc,
                  "'->' on a value whose kernel type is not known here; "
                  "name the type: @cast(value, \"task_struct\")->member "
                  "(a local keeps a type only when every assignment to it "
                  "gives the same pointer type)");
      return std::nullopt;
    }
    Value *Ptr = B.CreateIntToPtr(emitExpr(A->getOperand()), B.getPtrTy());
    return emitMemberChain(E, Ptr, *Pointee, /*BTFPointer=*/false, AddressOf);
  }
  auto *Sym = dyn_cast<TargetSymbolExpr>(E);
  if (!Sym) {
    Diags.error(E->getLoc(), "this target expression is not "
                             "supported by this stapc build yet");
    return std::nullopt;
  }
  StringRef Name = Sym->getName().drop_front(); // '$'
  const ContextArg *Arg = findContextArg(Name);
  if (!Arg) {
    std::string Known;
    for (const ContextArg &A : Probe.Args)
      if (!StringRef(A.Name).starts_with("__")) // hidden syscall values
        Known += (Known.empty() ? "$" : ", $") + A.Name;
    if (CGM.firstReportAt(E->getLoc()))
      Diags.error(E->getLoc(),
                  "semantic error: unable to find target variable '" +
                      Sym->getName() + "' in probe '" + Probe.PP + "'" +
                      (Known.empty() ? "" : " (it has: " + Known + ")") +
                      (Name == "return" &&
                               (Probe.Kind == ProbeKind::KernelFunction ||
                                Probe.Kind == ProbeKind::Syscall)
                           ? "; $return exists in .return probes"
                           : ""));
    return std::nullopt;
  }
  Value *V = loadContextArg(*Arg);
  if (E->getComponents().empty()) {
    if (AddressOf)
      return refuseBareAddress(Diags, E);
    return TypedTarget{V, nullptr, Arg->BTFType};
  }
  TypeInfo TI = K->describe(Arg->BTFType);
  if (TI.Kind != BTFTypeKind::Pointer) {
    Diags.error(E->getComponents().front().Loc,
                "'" + Sym->getName() + "' is a " + K->typeName(Arg->BTFType) +
                    ", not a pointer; '->' needs a pointer");
    return std::nullopt;
  }
  return emitMemberChain(E, B.CreateIntToPtr(V, B.getPtrTy()), TI.PointeeId,
                         hasBTFTypedContext(), AddressOf);
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
/// Reads 8 bytes at Parent + the relocated byte offset, then shifts the
/// field into place. On little-endian machines libbpf's left shift does
/// not depend on the unit's byte size, so the bytes past a smaller unit are
/// shifted out; reading all 8 keeps the read's size a constant.
Value *ProbeEmitter::readBitfield(Value *Parent, const FieldAddress &F,
                                  bool Signed, SMLoc Loc, StringRef What) {
  BTFDIBuilder &DB = *CGM.getBTFDIBuilder();
  auto Info = [&](FieldInfoKind K) {
    return B.CreateZExt(DB.emitFieldInfo(B, F.Addr, K), B.getInt64Ty());
  };
  Value *Unit = B.CreateGEP(B.getInt8Ty(), Parent, Info(FieldInfoKind::ByteOffset));
  Value *Raw = readKernelScalar(Unit, 8, /*Signed=*/false, /*Direct=*/false,
                                Loc, What);
  Value *Shifted = B.CreateShl(Raw, Info(FieldInfoKind::LShiftU64));
  Value *Right = Info(FieldInfoKind::RShiftU64);
  return Signed ? B.CreateAShr(Shifted, Right) : B.CreateLShr(Shifted, Right);
}

std::optional<TypedTarget>
ProbeEmitter::emitMemberChain(TargetExpr *E, Value *Base, uint32_t TypeId,
                              bool BTFPointer, bool AddressOf) {
  KernelBTF &K = *CGM.getOptions().BTF;
  BTFDIBuilder &DB = *CGM.getBTFDIBuilder();
  DiagnosticEngine &Diags = CGM.getDiags();
  TypedTarget Cur{nullptr, Base, TypeId};
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

  ArrayRef<TargetComponent> Comps = E->getComponents();
  for (const TargetComponent &C : Comps) {
    setLoc(C.Loc);
    bool Last = &C == &Comps.back();
    if (C.K == TargetComponent::Member) {
      if (!Deref(C))
        return std::nullopt;
      if (!K.isAggregate(Cur.Type)) {
        Diags.error(C.Loc, "'" + K.typeName(Cur.Type) +
                               "' has no members (looking for '" + C.Name + "')");
        return std::nullopt;
      }
      auto Path = K.findMember(Cur.Type, C.Name);
      if (!Path) {
        Diags.error(C.Loc, toString(Path.takeError()));
        return std::nullopt;
      }
      FieldAddress F = DB.emitMemberAddress(B, Cur.Addr, *Path);
      if (Path->isBitfield()) {
        if (AddressOf && Last) {
          Diags.error(C.Loc, "bitfield '" + C.Name + "' has no address");
          return std::nullopt;
        }
        Cur = {readBitfield(Cur.Addr, F, K.describe(F.TypeId).IsSigned, C.Loc,
                            C.Name),
               nullptr, F.TypeId};
        continue;
      }
      Cur = {nullptr, F.Addr, F.TypeId};
    } else {
      Direct = false;
      Value *Index = emitExpr(C.Index);
      TypeInfo TI = K.describe(Cur.Type);
      if (Cur.Scalar) {
        if (TI.Kind != BTFTypeKind::Pointer) {
          Diags.error(C.Loc, "'" + K.typeName(Cur.Type) + "' cannot be indexed");
          return std::nullopt;
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
        return std::nullopt;
      }
    }
    if (AddressOf && Last)
      return TypedTarget{B.CreatePtrToInt(Cur.Addr, B.getInt64Ty()), nullptr, 0};
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
  return Cur;
}
