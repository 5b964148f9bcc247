//===- CGUsdt.cpp - process(...).mark probes: SDT marker arguments --------===//
//
// A marker site is a nop in the traced program; its note says where each
// argument is at that instruction (lib/Sema/UsdtArgs.cpp parses the spec):
// in a register (read from pt_regs, narrowed to the spec's width), in
// memory at a register plus a displacement or at a %rip-relative symbol
// (read with bpf_probe_read_user; the symbol's link-time address is moved
// by the load bias), or a constant. Values are sized and sign-extended as
// the spec says.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Sema/UserProbe.h"

using namespace stapc;
using namespace llvm;

Value *ProbeEmitter::emitUsdtArg(const UsdtArg &A, SMLoc Loc, StringRef Name) {
  switch (A.Kind) {
  case UsdtArg::Constant:
    return truncateTo(B.getInt64(A.Value), A.Size, A.Signed);
  case UsdtArg::Register: {
    Value *V = userRegister(A.RegOffset, Name);
    if (A.HighByte)
      V = B.CreateLShr(V, 8);
    V = truncateTo(V, A.RegBytes, false);
    return truncateTo(V, A.Size, A.Signed);
  }
  case UsdtArg::Memory: {
    Value *Addr = A.RipRelative
                      ? B.CreateAdd(userLoadBias(Loc), B.getInt64(A.Value))
                      : B.CreateAdd(userRegister(A.RegOffset, "base"),
                                    B.getInt64(A.Value));
    return readKernelScalar(B.CreateIntToPtr(Addr, B.getPtrTy()), A.Size,
                            A.Signed, false, Loc, Name, /*User=*/true);
  }
  case UsdtArg::Invalid:
    break;
  }
  return B.getInt64(0);
}

Value *ProbeEmitter::emitUsdtTargetExpr(TargetExpr *E) {
  const UserProbe &U = *Probe.User;
  DiagnosticEngine &Diags = CGM.getDiags();
  auto Fail = [&](const Twine &Msg) -> Value * {
    if (CGM.firstReportAt(E->getLoc()))
      Diags.error(E->getLoc(), Msg);
    return B.getInt64(0);
  };
  auto *Sym = dyn_cast<TargetSymbolExpr>(E);
  if (!Sym) // @var
    return Fail("@var is not supported in process(...).mark probes (stapc "
                "reads no DWARF for markers); use a .function probe");
  if (!E->getComponents().empty())
    return Fail("SDT marker arguments are untyped longs: '->' and '[]' need a "
                "type; use user_long(), user_string() or @cast");
  StringRef Name = Sym->getName();
  if (Name == "$$name")
    return CGM.getStringConstant(U.Function);
  if (Name == "$$provider")
    return CGM.getStringConstant(U.Provider);
  if (Name == "$$parms" || Name == "$$vars") {
    std::string Format;
    SmallVector<Value *, 8> Vals;
    for (size_t I = 0; I < U.MarkerArgs.size(); ++I) {
      Format += (I ? " $arg" : "$arg") + std::to_string(I + 1) + "=";
      if (U.MarkerArgs[I].Kind == UsdtArg::Invalid) {
        Format += "?";
        continue;
      }
      Format += "%#x";
      Vals.push_back(emitUsdtArg(U.MarkerArgs[I], E->getLoc(), "arg"));
    }
    return emitFormat(Format, Vals, E->getLoc());
  }
  unsigned N = 0;
  if (!Name.consume_front("$arg") || Name.getAsInteger(10, N) || N == 0)
    return Fail("semantic error: unable to find target variable '" +
                Sym->getName() + "' in probe '" + Probe.PP +
                "' (markers have $arg1..$argN, $$name, $$provider, $$parms)");
  if (N > U.MarkerArgs.size())
    return Fail("semantic error: marker '" + U.Function + "' has " +
                Twine(U.MarkerArgs.size()) + " argument(s); there is no '" +
                Sym->getName() + "'");
  const UsdtArg &A = U.MarkerArgs[N - 1];
  if (A.Kind == UsdtArg::Invalid)
    return Fail("cannot read '" + Sym->getName() + "' of marker '" +
                U.Function + "' (spec '" + A.Spec + "'): " + A.Error);
  return emitUsdtArg(A, E->getLoc(), Sym->getName());
}
