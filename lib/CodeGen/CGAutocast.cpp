//===- CGAutocast.cpp - `->` on values whose kernel type is known ---------===//
//
// stap lets a script follow members from any value whose type the
// translator can see: `t = $prev; t->pid`, `task_current()->pid`,
// `$prev->parent->real_parent->comm` through a local. The script language
// only has longs, so the kernel type travels beside the value at compile
// time: every local assigned (with `=`) only values of one pointer type
// keeps that type; a local that ever holds anything else has none, and
// `->` on it is an error that asks for @cast.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/BTF/KernelBTF.h"

using namespace stapc;
using namespace llvm;

namespace {

/// One round over the bodies: each local's pointee type from its
/// assignments, given the types known so far (0: untyped or mixed).
class LocalTypeRound : public RecursiveVisitor<LocalTypeRound> {
public:
  LocalTypeRound(ProbeEmitter &PE, DenseMap<const VarDecl *, uint32_t> &Next)
      : PE(PE), Next(Next) {}

  void visitAssignExpr(AssignExpr *E) {
    traverse(E->getLHS());
    traverse(E->getRHS());
    auto *Sym = dyn_cast<SymbolRef>(E->getLHS());
    if (!Sym || !Sym->getDecl() ||
        Sym->getDecl()->getVarKind() != VarDecl::Local)
      return;
    uint32_t T = 0;
    if (E->getOp() == AssignOp::Assign)
      T = PE.autocastPointee(E->getRHS()).value_or(0);
    auto [It, Inserted] = Next.try_emplace(Sym->getDecl(), T);
    if (!Inserted && It->second != T)
      It->second = 0;
  }

private:
  ProbeEmitter &PE;
  DenseMap<const VarDecl *, uint32_t> &Next;
};

} // namespace

std::optional<uint32_t> ProbeEmitter::autocastPointee(Expr *E) {
  KernelBTF *K = CGM.getOptions().BTF;
  if (!K)
    return std::nullopt;
  if (auto *Sym = dyn_cast<SymbolRef>(E)) {
    if (!LocalPointees) {
      // Assignments may chain (`t = $prev; p = t->parent`): repeat until
      // nothing changes; a round only refines, so a few suffice.
      LocalPointees.emplace();
      for (int Round = 0; Round < 4; ++Round) {
        DenseMap<const VarDecl *, uint32_t> Next;
        LocalTypeRound R(*this, Next);
        R.traverse(Probe.Body);
        for (FunctionDecl *F : CGM.getProgram().Functions)
          R.traverse(F->Body);
        bool Same = Next == *LocalPointees;
        *LocalPointees = std::move(Next);
        if (Same)
          break;
      }
    }
    auto It = LocalPointees->find(Sym->getDecl());
    if (It == LocalPointees->end() || !It->second)
      return std::nullopt;
    return It->second;
  }
  if (auto *Call = dyn_cast<FunctionCall>(E)) {
    if (!Call->getCallee() && Call->getName() == "task_current") {
      Expected<uint32_t> Task = K->findType("struct task_struct");
      if (Task)
        return *Task;
      consumeError(Task.takeError());
    }
    return std::nullopt;
  }
  auto *T = dyn_cast<TargetExpr>(E);
  if (!T || T->getPrettyPrint())
    return std::nullopt;
  std::optional<uint32_t> Type;
  if (auto *Sym = dyn_cast<TargetSymbolExpr>(T)) {
    if (Sym->isContextList())
      return std::nullopt;
    if (const ContextArg *Arg = findContextArg(Sym->getName().drop_front()))
      Type = chainType(*K, T, Arg->BTFType, /*InHand=*/true);
  } else if (auto *C = dyn_cast<CastExpr>(T)) {
    Expected<uint32_t> Ty = K->findType(C->getTypeName());
    if (!Ty) {
      consumeError(Ty.takeError());
      return std::nullopt;
    }
    // `@cast(p, "T")` alone is p, a pointer to T.
    if (T->getComponents().empty())
      return *Ty;
    Type = chainType(*K, T, *Ty, /*InHand=*/false);
  } else if (auto *A = dyn_cast<AutocastExpr>(T)) {
    if (std::optional<uint32_t> P = autocastPointee(A->getOperand()))
      Type = chainType(*K, T, *P, /*InHand=*/false);
  }
  if (!Type)
    return std::nullopt;
  TypeInfo TI = K->describe(*Type);
  if (TI.Kind != BTFTypeKind::Pointer || !TI.PointeeId)
    return std::nullopt;
  return TI.PointeeId;
}
