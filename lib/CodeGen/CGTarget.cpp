//===- CGTarget.cpp - Typed context values ($var, @cast) ------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

Value *ProbeEmitter::emitTargetExpr(TargetExpr *E) {
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
    CGM.getDiags().error(E->getLoc(),
                         "semantic error: unable to find target variable '" +
                             Sym->getName() + "' in probe '" + Probe.PP +
                             "'" + (Known.empty() ? "" : " (it has: " + Known + ")"));
    return B.getInt64(0);
  }
  // tp_btf/raw_tp context: an array of u64, one per prototype argument.
  Value *Slot = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), CtxArg,
                                             Arg->Index);
  Value *V = B.CreateLoad(B.getInt64Ty(), Slot, Name);
  if (!E->getComponents().empty())
    return emitMemberChain(E, V, Arg->BTFType);
  return V;
}

Value *ProbeEmitter::emitMemberChain(TargetExpr *E, Value *Base,
                                     uint32_t TypeId) {
  CGM.getDiags().error(E->getComponents().front().Loc,
                       "member access on target variables needs BTF support "
                       "that this stapc build does not have yet");
  return B.getInt64(0);
}
