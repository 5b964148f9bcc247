//===- CGUprobe.cpp - process(...).function probes: uprobes ---------------===//
//
// A uprobe's context is the user thread's pt_regs. At a function's entry
// the parameters are where the x86-64 ABI puts them (integer-class
// arguments in di si dx cx r8 r9, then 8-byte stack slots above the return
// address): the probe sits on the function's first instruction, before
// the prologue, so DWARF location expressions (which describe the body
// after the prologue) are not needed. $return is ax in a uretprobe.
// Member steps through DWARF types and @var globals read user memory with
// bpf_probe_read_user. A PIE's or library's load bias is the probed
// instruction's run-time address (ip) minus its link-time address.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Sema/UserProbe.h"

#include "llvm/ADT/StringExtras.h"

using namespace stapc;
using namespace llvm;

namespace {
constexpr unsigned IpOffset = 128, SpOffset = 152, AxOffset = 80;

bool libbpfName(StringRef S) {
  return !S.empty() && llvm::all_of(S, [](char C) {
    return isAlnum(C) || C == '_' || C == '.';
  });
}
} // namespace

/// Sections: `uprobe/PATH:FUNC` (`uretprobe/...`), libbpf's convention,
/// so plain libbpf loaders can auto-attach function probes; a bare
/// `uprobe` (never auto-attached) for markers and names libbpf cannot
/// parse. stapc-run attaches every uprobe from its metadata line.
void ProbeEmitter::describeUprobe(const ProbeInstance &P, Variant V,
                                  StringRef FnName, std::string &Section,
                                  std::string &Line) {
  const UserProbe &U = *P.User;
  // The entry saver of a .return probe is an entry uprobe of its own.
  bool Return = U.Return && V == Variant::Main;
  Section = Return ? "uretprobe" : "uprobe";
  if (!U.IsMarker && libbpfName(U.Function) && !StringRef(U.Path).contains(':'))
    Section += "/" + U.Path + ":" + U.Function;
  std::string PP;
  for (char C : P.PP) {
    if (C == '"' || C == '\\')
      PP += '\\';
    PP += C;
  }
  Line = ("probe " + FnName + " uprobe " + (Return ? "return " : "entry ") +
          Twine(U.FileOffset) + " " + Twine(U.SemaphoreOffset) + " " + U.Path +
          " \"" + PP + "\"")
             .str();
}

Value *ProbeEmitter::userRegister(unsigned Offset, const Twine &Name) {
  Value *Addr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Fn->getArg(0), Offset);
  return B.CreateLoad(B.getInt64Ty(), Addr, Name);
}

/// V's low Size bytes as a long, sign-extended when Signed.
Value *ProbeEmitter::truncateTo(Value *V, uint64_t Size, bool Signed) {
  if (Size >= 8 || Size == 0)
    return V;
  unsigned Bits = 64 - Size * 8;
  V = B.CreateShl(V, Bits);
  return Signed ? B.CreateAShr(V, Bits) : B.CreateLShr(V, Bits);
}

Value *ProbeEmitter::userLoadBias(SMLoc Loc) {
  const UserProbe &U = *Probe.User;
  if (!U.Binary->isRelocatable())
    return B.getInt64(0);
  if (U.Return) {
    CGM.getDiags().error(Loc, "semantic error: addresses in '" + U.Path +
                                  "' (position independent) are only known in "
                                  "entry probes: stapc computes the load bias "
                                  "from the probed instruction's address");
    return B.getInt64(0);
  }
  return B.CreateSub(userRegister(IpOffset, "ip"), B.getInt64(U.Address), "bias");
}

namespace {
struct UserValue {
  Value *Scalar = nullptr; // in hand
  Value *Addr = nullptr;   // else: in user memory
  UserTypeId Type = 0;
};
} // namespace

static std::string knownVariables(const ProbeInstance &P) {
  std::string Known;
  for (const ContextArg &A : P.Args)
    Known += (Known.empty() ? "$" : ", $") + A.Name;
  return Known;
}

Value *ProbeEmitter::emitUserTargetExpr(TargetExpr *E) {
  const UserProbe &U = *Probe.User;
  DiagnosticEngine &Diags = CGM.getDiags();
  auto Fail = [&](SMLoc Loc, const Twine &Msg) -> Value * {
    if (CGM.firstReportAt(Loc))
      Diags.error(Loc, Msg);
    return B.getInt64(0);
  };
  if (U.IsMarker)
    return emitUsdtTargetExpr(E);
  UserBinary &Bin = *U.Binary;
  if (auto *V = dyn_cast<AtVarExpr>(E)) {
    StringRef Name = V->getVarName().split('@').first;
    if (V->hasModule() && V->getModule() != U.Path)
      return Fail(E->getLoc(), "@var in '" + V->getModule() +
                                   "': stapc reads globals of the probed file "
                                   "('" + U.Path + "') only");
    uint64_t Addr;
    UserTypeId Ty;
    if (!Bin.findGlobal(Name, Addr, Ty))
      return Fail(E->getLoc(), "semantic error: no global '" + Name + "' in '" +
                                   U.Path + "'");
    if (!Ty)
      return Fail(E->getLoc(), "semantic error: '" + U.Path + "' has no DWARF "
                               "type for global '" + Name + "' (compile with "
                               "-g), so @var cannot read it");
    Value *A = B.CreateAdd(userLoadBias(E->getLoc()), B.getInt64(Addr));
    return emitUserChain(E, nullptr, B.CreateIntToPtr(A, B.getPtrTy()), Ty, Name);
  }
  // Only $vars and @var come here (CGTarget.cpp): @cast stays a kernel cast.
  auto *Sym = cast<TargetSymbolExpr>(E);
  if (!U.HasDebugInfo)
    return Fail(E->getLoc(), "semantic error: '" + Sym->getName() +
                                 "': '" + U.Path + "' has no DWARF debuginfo "
                                 "for '" + U.Function + "' (compile it with "
                                 "-g); probes on symbol-table functions have "
                                 "no $variables");
  if (Sym->isContextList()) {
    StringRef List = Sym->getName();
    if (List != "$$parms" && List != "$$vars" &&
        !(List == "$$return" && U.Return))
      return Fail(E->getLoc(), "'" + List + "' is not supported in "
                               "process(...).function probes; use $$parms or "
                               "$$return");
    std::string Format;
    SmallVector<Value *, 8> Vals;
    if (List == "$$return") {
      if (!U.ReturnType)
        return CGM.getStringConstant("");
      Format = "return=%#x";
      Vals.push_back(truncateTo(userRegister(AxOffset, "ax"),
                                Bin.describe(U.ReturnType).Size,
                                Bin.describe(U.ReturnType).IsSigned));
    }
    for (size_t I = 0; List != "$$return" && I < U.Params.size(); ++I) {
      const UserParam &Par = U.Params[I];
      Format += (I ? " " : "") + Par.Name + "=";
      if (!Par.Error.empty()) {
        Format += "?";
        continue;
      }
      Format += "%#x";
      Vals.push_back(readUserParam(Par, E->getLoc()));
    }
    return emitFormat(Format, Vals, E->getLoc());
  }
  StringRef Name = Sym->getName().drop_front();
  if (Name == "return") {
    if (!U.Return || !U.ReturnType)
      return Fail(E->getLoc(), "semantic error: unable to find target variable "
                               "'$return' in probe '" + Probe.PP + "'" +
                               (U.Return ? " (the function returns void)"
                                         : "; $return exists in .return probes"));
    UserTypeInfo T = Bin.describe(U.ReturnType);
    Value *V = truncateTo(userRegister(AxOffset, "ax"), T.Size, T.IsSigned);
    return emitUserChain(E, V, nullptr, U.ReturnType, "$return");
  }
  for (const UserParam &Par : U.Params) {
    if (Par.Name != Name)
      continue;
    if (!Par.Error.empty())
      return Fail(E->getLoc(), "semantic error: '" + Sym->getName() +
                                   "' cannot be read: it " + Par.Error);
    return emitUserChain(E, readUserParam(Par, E->getLoc()), nullptr, Par.Type, Sym->getName());
  }
  std::string Known = knownVariables(Probe);
  return Fail(E->getLoc(), "semantic error: unable to find target variable '" +
                               Sym->getName() + "' in probe '" + Probe.PP + "'" +
                               (Known.empty() ? "" : " (it has: " + Known + ")"));
}

Value *ProbeEmitter::readUserParam(const UserParam &Par, SMLoc Loc) {
  const UserProbe &U = *Probe.User;
  if (U.Return && Var == Variant::Main) {
    // A .return probe reads the value its entry saver stored.
    size_t Index = &Par - U.Params.data();
    return B.CreateLoad(B.getInt64Ty(),
                        B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), EntryArgs, Index),
                        Par.Name);
  }
  UserTypeInfo T = U.Binary->describe(Par.Type);
  Value *V;
  if (Par.RegOffset >= 0) {
    V = userRegister(Par.RegOffset, Par.Name);
  } else {
    // Stack arguments: slot N is N*8 bytes above the return address.
    Value *Sp = userRegister(SpOffset, "sp");
    Value *Addr = B.CreateIntToPtr(B.CreateAdd(Sp, B.getInt64(8 * Par.StackSlot)),
                                   B.getPtrTy());
    V = readKernelScalar(Addr, 8, false, false, Loc, Par.Name,
                         /*User=*/true);
  }
  return truncateTo(V, T.Size, T.IsSigned);
}

Value *ProbeEmitter::emitUserChain(TargetExpr *E, Value *Scalar, Value *Addr,
                                   UserTypeId Type, StringRef What) {
  UserBinary &Bin = *Probe.User->Binary;
  DiagnosticEngine &Diags = CGM.getDiags();
  UserValue Cur{Scalar, Addr, Type};
  auto ReadIfScalar = [&](SMLoc Loc, StringRef Name) {
    UserTypeInfo T = Bin.describe(Cur.Type);
    if (Cur.Addr && (T.Kind == UserTypeInfo::Pointer || T.Kind == UserTypeInfo::Integer) &&
        T.Size && T.Size <= 8)
      Cur = {readKernelScalar(Cur.Addr, T.Size, T.IsSigned, false, Loc, Name,
                              /*User=*/true),
             nullptr, Cur.Type};
  };
  ReadIfScalar(E->getLoc(), What);
  for (const TargetComponent &C : E->getComponents()) {
    setLoc(C.Loc);
    UserTypeInfo T = Bin.describe(Cur.Type);
    if (Cur.Scalar && T.Kind != UserTypeInfo::Pointer) {
      Diags.error(C.Loc, "'" + Bin.typeName(Cur.Type) + "' is not a pointer");
      return B.getInt64(0);
    }
    if (Cur.Scalar) { // a pointer in hand: step to what it points at
      Value *P = B.CreateIntToPtr(Cur.Scalar, B.getPtrTy());
      if (C.K == TargetComponent::Subscript)
        P = B.CreateGEP(B.getInt8Ty(), P,
                        B.CreateMul(emitExpr(C.Index),
                                    B.getInt64(Bin.describe(T.Target).Size)));
      Cur = {nullptr, P, T.Target};
      T = Bin.describe(Cur.Type);
      if (C.K == TargetComponent::Subscript) {
        ReadIfScalar(C.Loc, "[]");
        continue;
      }
    } else if (C.K == TargetComponent::Subscript) {
      if (T.Kind != UserTypeInfo::Array) {
        Diags.error(C.Loc, "'" + Bin.typeName(Cur.Type) + "' cannot be indexed");
        return B.getInt64(0);
      }
      Cur = {nullptr,
             B.CreateGEP(B.getInt8Ty(), Cur.Addr,
                         B.CreateMul(emitExpr(C.Index),
                                     B.getInt64(Bin.describe(T.Target).Size))),
             T.Target};
      ReadIfScalar(C.Loc, "[]");
      continue;
    }
    if (T.Kind != UserTypeInfo::Aggregate) {
      Diags.error(C.Loc, "'" + Bin.typeName(Cur.Type) +
                             "' has no members (looking for '" + C.Name + "')");
      return B.getInt64(0);
    }
    auto M = Bin.findMember(Cur.Type, C.Name);
    if (!M) {
      Diags.error(C.Loc, "'" + Bin.typeName(Cur.Type) + "' has no member '" +
                             C.Name + "' (bitfields are not supported)");
      return B.getInt64(0);
    }
    Cur = {nullptr, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cur.Addr, M->first),
           M->second};
    ReadIfScalar(C.Loc, C.Name);
  }
  if (Cur.Scalar)
    return Cur.Scalar;
  UserTypeInfo T = Bin.describe(Cur.Type);
  if (T.Kind == UserTypeInfo::Aggregate || T.Kind == UserTypeInfo::Float ||
      T.Kind == UserTypeInfo::Unknown) {
    SMLoc Loc = E->getComponents().empty() ? E->getLoc()
                                           : E->getComponents().back().Loc;
    Diags.error(Loc, "'" + Bin.typeName(Cur.Type) +
                         "' is not an integer or a pointer; pick a member");
    return B.getInt64(0);
  }
  // Arrays read as their address, as in stap (pass them to user_string).
  return B.CreatePtrToInt(Cur.Addr, B.getInt64Ty());
}

/// Whether a .return probe's body reads parameters, which an entry uprobe
/// must then save (per thread, in a hash map keyed by pid_tgid) for it.
bool ProbeEmitter::uprobeSavesEntry(const ProbeInstance &P) {
  return P.User && P.User->Return && !P.User->IsMarker &&
         !P.User->Params.empty() && returnReadsParams(P);
}

GlobalVariable *ProbeEmitter::uprobeEntryMap() {
  std::string Name = ("entry_args_" + Twine(Index)).str();
  if (GlobalVariable *G = CGM.getModule().getNamedGlobal(Name))
    return G;
  return CGM.createEntryArgsMap(Name, Probe.User->Params.size());
}

void ProbeEmitter::emitUprobeEntrySaver() {
  const UserProbe &U = *Probe.User;
  Type *I64 = B.getInt64Ty();
  Value *Arr = B.createEntryAlloca(ArrayType::get(I64, U.Params.size()), "args");
  for (const UserParam &Par : U.Params)
    if (Par.Error.empty())
      B.CreateStore(readUserParam(Par, Probe.Decl->getLoc()),
                    B.CreateConstInBoundsGEP1_64(I64, Arr, &Par - U.Params.data()));
  saveEntryArgs(uprobeEntryMap(), Arr);
}

/// The saved entry values of this thread's call, copied to the stack (the
/// map entry is deleted); no entry (a call that began before the probe
/// was attached, or whose entry could not be saved) skips the probe.
void ProbeEmitter::emitUprobeSavedArgs(BasicBlock *Skip) {
  unsigned N = Probe.User->Params.size();
  EntryArgs = B.createEntryAlloca(ArrayType::get(B.getInt64Ty(), N), "entry");
  loadEntryArgs(uprobeEntryMap(), EntryArgs, N, Skip);
}
