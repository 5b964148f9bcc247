//===- ProbeProcess.cpp - process("PATH").begin and .end ------------------===//
//
// process.begin/.end and the thread forms are aliases in tapset/process.stp.
// The forms naming a program take an argument aliases cannot, so they are
// rewritten here into a tracepoint point whose body starts with a filter:
//
//   process("PATH").begin: sched_process_exec of PATH (the path as passed
//     to execve), in the new program's context;
//   process("PATH").end: sched_process_exit of the last thread of a process
//     whose name (comm) is PATH's base name, in the exiting thread.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"

#include "llvm/Support/Path.h"

using namespace stapc;

bool SemaImpl::resolveProcessPath(const ProbePoint &P, ProbeDecl *D,
                                  BlockStmt *Body, unsigned AliasDepth) {
  const auto &C = P.Components;
  auto *Path = llvm::dyn_cast<StringLiteral>(C[0].Arg);
  StringRef Event = C[1].Name; // begin or end
  if (!Path) {
    Diags.error(C[0].Arg->getLoc(),
                "process(PID)." + Event +
                    " is not supported yet; name the "
                    "program: process(\"/path/to/program\")." +
                    Event);
    return false;
  }
  SMLoc Loc = P.Loc;
  auto Str = [&](StringRef S) {
    return new (Ctx) stapc::StringLiteral(Loc, Ctx.save(S));
  };
  auto Call = [&](StringRef Fn, ArrayRef<Expr *> Args) {
    return new (Ctx) FunctionCall(Loc, Fn, Ctx.copyArray(Args));
  };
  auto *Ctxt =
      new (Ctx) TargetSymbolExpr(Loc, Event == "begin" ? "$bprm" : "$p");
  Expr *Skip;
  StringRef Tracepoint;
  if (Event == "begin") {
    Tracepoint = "sched_process_exec";
    Skip = new (Ctx)
        BinaryExpr(Loc, BinaryOp::NE, Call("__process_exec_path", {Ctxt}),
                   Str(Path->getValue()));
  } else {
    Tracepoint = "sched_process_exit";
    // comm holds at most 15 characters of the program's base name.
    StringRef Base = llvm::sys::path::filename(Path->getValue()).take_front(15);
    Skip = new (Ctx)
        BinaryExpr(Loc, BinaryOp::LogicalOr,
                   new (Ctx) UnaryExpr(Loc, UnaryOp::LogicalNot,
                                       Call("__process_group_dead", {Ctxt})),
                   new (Ctx) BinaryExpr(Loc, BinaryOp::NE, Call("execname", {}),
                                        Str(Base)));
  }
  Stmt *Parts[] = {new (Ctx)
                       IfStmt(Loc, Skip, new (Ctx) NextStmt(Loc), nullptr),
                   cloneStmt(Ctx, Body)};
  auto *Filtered =
      new (Ctx) BlockStmt(Body->getLoc(), Ctx.copyArray<Stmt *>(Parts));

  ProbePointComponent Comps[2];
  Comps[0].Loc = Comps[1].Loc = Loc;
  Comps[0].Name = "kernel";
  Comps[1].Name = "trace";
  Comps[1].Arg = Str(Tracepoint);
  auto *Point =
      new (Ctx.allocate(sizeof(ProbePoint), alignof(ProbePoint))) ProbePoint(P);
  Point->Components = Ctx.copyArray<ProbePointComponent>(Comps);
  size_t Before = Prog.Probes.size();
  if (!expandPoint(D, *Point, Filtered, AliasDepth + 1))
    return false;
  for (size_t I = Before; I < Prog.Probes.size(); ++I)
    Prog.Probes[I].PP = Prog.Probes[I].ListName =
        "process(\"" + Path->getValue().str() + "\")." + Event.str();
  return true;
}
