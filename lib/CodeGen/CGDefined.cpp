//===- CGDefined.cpp - @defined() and conditions known at compile time ----===//
//
// `@defined($var->member)` is 1 when the target expression resolves in this
// probe instance (the argument exists, each member exists in the kernel's
// BTF), else 0. It is decided per probe instance, as in stap, so one body
// serves a wildcard whose functions differ. Conditions built from it
// (`!`, `&&`, `||`, integer literals) are folded while emitting: the branch
// that cannot run is not emitted, so `if (@defined($x)) print($x)` compiles
// where $x does not exist.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/BTF/KernelBTF.h"

using namespace stapc;
using namespace llvm;

/// The type E's member chain ends at, starting from a value (InHand: a
/// scalar such as a pointer argument) or an object of type Type; nullopt
/// if a step does not resolve.
std::optional<uint32_t> stapc::chainType(const KernelBTF &K, TargetExpr *E,
                                         uint32_t Type, bool InHand) {
  for (const TargetComponent &C : E->getComponents()) {
    TypeInfo TI = K.describe(Type);
    if (C.K == TargetComponent::Member) {
      if (InHand) {
        if (TI.Kind != BTFTypeKind::Pointer)
          return std::nullopt;
        Type = TI.PointeeId;
      }
      if (!K.isAggregate(Type))
        return std::nullopt;
      Expected<MemberPath> P = K.findMember(Type, C.Name);
      if (!P) {
        consumeError(P.takeError());
        return std::nullopt;
      }
      Type = P->fieldTypeId();
    } else if (InHand && TI.Kind == BTFTypeKind::Pointer) {
      Type = TI.PointeeId;
    } else if (!InHand && TI.Kind == BTFTypeKind::Array) {
      Type = TI.ElementId;
    } else {
      return std::nullopt;
    }
    InHand = K.describe(Type).Kind == BTFTypeKind::Pointer ||
             K.isIntegerLike(Type);
  }
  return Type;
}

bool ProbeEmitter::targetResolves(Expr *E) {
  auto *T = dyn_cast<TargetExpr>(E);
  if (!T)
    return true; // stap: only target expressions can be undefined
  KernelBTF *K = CGM.getOptions().BTF;
  if (auto *Sym = dyn_cast<TargetSymbolExpr>(T)) {
    StringRef Name = Sym->getName();
    if (Sym->isContextList()) {
      if (Name == "$$return")
        return Probe.Kind == ProbeKind::KernelFunction && Probe.Return;
      if (Name == "$$name")
        return Probe.Kind == ProbeKind::Tracepoint;
      return Name == "$$vars" || Name == "$$parms" || Name == "$$locals";
    }
    const ContextArg *Arg = findContextArg(Name.drop_front());
    if (!Arg)
      return false;
    if (Probe.User && !T->getComponents().empty()) {
      // DWARF member chains are resolved in CGUprobe; say so rather than
      // answer 0 for a member that exists.
      if (CGM.firstReportAt(T->getLoc()))
        CGM.getDiags().error(T->getLoc(),
                             "@defined of a member of a user-space value is "
                             "not supported yet; test the variable itself");
      return false;
    }
    if (Probe.User)
      return true;
    return T->getComponents().empty() ||
           (K && chainType(*K, T, Arg->BTFType, /*InHand=*/true));
  }
  if (auto *C = dyn_cast<CastExpr>(T)) {
    if (!K || (C->hasModule() && !C->getModule().starts_with("kernel")))
      return false;
    Expected<uint32_t> Ty = K->findType(C->getTypeName());
    if (!Ty) {
      consumeError(Ty.takeError());
      return false;
    }
    return chainType(*K, T, *Ty, /*InHand=*/false).has_value();
  }
  if (auto *A = dyn_cast<AutocastExpr>(T))
    if (std::optional<uint32_t> Pointee = autocastPointee(A->getOperand()))
      return chainType(*K, T, *Pointee, /*InHand=*/false).has_value();
  return false; // @var does not resolve in kernel probes
}

std::optional<bool> ProbeEmitter::staticCondition(Expr *E) {
  if (auto *L = dyn_cast<IntegerLiteral>(E))
    return L->getValue() != 0;
  if (auto *D = dyn_cast<DefinedExpr>(E))
    return targetResolves(D->getOperand());
  if (auto *U = dyn_cast<UnaryExpr>(E)) {
    if (U->getOp() == UnaryOp::LogicalNot)
      if (std::optional<bool> V = staticCondition(U->getOperand()))
        return !*V;
    return std::nullopt;
  }
  if (auto *Bin = dyn_cast<BinaryExpr>(E)) {
    bool IsAnd = Bin->getOp() == BinaryOp::LogicalAnd;
    if (!IsAnd && Bin->getOp() != BinaryOp::LogicalOr)
      return std::nullopt;
    // `0 && x` and `1 || x` are settled by their left side alone.
    std::optional<bool> L = staticCondition(Bin->getLHS());
    if (L && *L != IsAnd)
      return *L;
    std::optional<bool> R = staticCondition(Bin->getRHS());
    if (L && R)
      return *R;
    // `x && 0` is 0 only if x has no effects; leave it to run time.
    return std::nullopt;
  }
  return std::nullopt;
}
