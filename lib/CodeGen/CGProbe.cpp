//===- CGProbe.cpp - Program shape per probe kind, prologue, epilogue -----===//
#include "ProbeEmitter.h"

#include "stapc/AST/ASTVisitor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Dwarf.h"

using namespace stapc;
using namespace llvm;

ProbeEmitter::ProbeEmitter(CodeGenModule &CGM, const ProbeInstance &P,
                           unsigned Index, Variant V)
    : CGM(CGM), Probe(P), Index(Index), Var(V), Name(programName(Index, V)),
      B(CGM.getLLVMContext()) {}

std::string ProbeEmitter::programName(unsigned Index, Variant V) {
  const char *Suffix = V == Variant::Kprobe        ? "_kp"
                       : V == Variant::KprobeEntry ? "_kpe"
                                                   : "";
  return ("probe_" + Twine(Index) + Suffix).str();
}

static std::string quotePP(StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

/// ELF section (libbpf SEC name) and the loader's metadata line (none
/// for the kprobe twins of a trampoline probe: its `alternative` line
/// names them).
static void describeAttach(const ProbeInstance &P, ProbeEmitter::Variant V,
                           StringRef FnName, const CodeGenOptions &Opts,
                           std::string &Section, std::string &Line) {
  std::string PP = quotePP(P.PP);
  switch (P.Kind) {
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Error: {
    // Bare raw_tp: libbpf does not auto-attach it; the loader runs it with
    // BPF_PROG_TEST_RUN.
    Section = "raw_tp";
    const char *K = P.Kind == ProbeKind::Begin ? "begin"
                    : P.Kind == ProbeKind::End ? "end"
                                               : "error";
    Line = ("probe " + FnName + " " + K + " " + Twine(P.Priority) + " " + PP)
               .str();
    return;
  }
  case ProbeKind::Timer:
    Section = "perf_event";
    Line = ("probe " + FnName + " perf " + Twine(P.PerfType) + " " +
            Twine(P.PerfConfig) + (P.PerfFrequency ? " freq " : " period ") +
            Twine(P.PeriodNs) + (P.AllCpus ? " all " : " one ") + PP)
               .str();
    return;
  case ProbeKind::Tracepoint:
    Section = "tp_btf/" + P.Tracepoint;
    Line = ("probe " + FnName + " event " + PP).str();
    return;
  case ProbeKind::Syscall:
    Section = P.Return ? "tp_btf/sys_exit" : "tp_btf/sys_enter";
    Line = ("probe " + FnName + " event " + PP).str();
    return;
  case ProbeKind::KernelFunction:
    if (V == ProbeEmitter::Variant::Main)
      Section = (P.Return ? "fexit/" : "fentry/") + P.Function;
    else
      Section = (P.Return && V == ProbeEmitter::Variant::Kprobe ? "kretprobe/"
                                                                : "kprobe/") +
                P.Function;
    if (V == ProbeEmitter::Variant::Main || P.KprobeOnly)
      Line = ("probe " + FnName + " event " + PP).str();
    return;
  case ProbeKind::Uprobe:
    ProbeEmitter::describeUprobe(P, V, FnName, Section, Line); // CGUprobe.cpp
    return;
  case ProbeKind::Procfs:
    ProbeEmitter::describeProcfs(P, FnName, Opts, PP, Section, Line);
    return;
  }
}

void ProbeEmitter::setLoc(SMLoc Loc) {
  if (Loc.isValid())
    B.SetCurrentDebugLocation(CGM.getDebugLoc(Loc, SP));
}

void ProbeEmitter::startDeadBlock() {
  B.SetInsertPoint(BasicBlock::Create(B.getContext(), "cont", Fn));
}

void ProbeEmitter::closeOpenBlocks() {
  // Blocks opened after a jump (code after `next`, `break`...) are
  // unreachable; close them so the IR is well formed.
  for (BasicBlock &BB : *Fn)
    if (!BB.getTerminator()) {
      B.SetInsertPoint(&BB);
      B.CreateBr(ExitBB);
    }
}

void ProbeEmitter::initLocals(ArrayRef<VarDecl *> Vars) {
  for (VarDecl *V : Vars) {
    Value *Slot = getLocal(V);
    if (V->Ty == TypeKind::String)
      B.CreateStore(B.getInt8(0), Slot);
    else
      B.CreateStore(B.getInt64(0), Slot);
  }
}

ProbeEmitter::Home ProbeEmitter::allocHome(TypeKind T, const Twine &Name) {
  Home H;
  if (T == TypeKind::String)
    H.Offset = allocScratch(CGM.getOptions().MaxStringLen);
  else if (LocalsInScratch)
    H.Offset = allocScratch(8);
  else
    H.Alloca = B.createEntryAlloca(B.getInt64Ty(), Name);
  return H;
}

Value *ProbeEmitter::addressOf(const Home &H) {
  return H.Alloca ? H.Alloca : scratchAt(H.Offset);
}

Value *ProbeEmitter::getLocal(const VarDecl *V) {
  auto It = Locals.find(V);
  if (It == Locals.end())
    It = Locals.insert({V, allocHome(V->Ty, V->getName())}).first;
  return addressOf(It->second);
}

void ProbeEmitter::emit() {
  LLVMContext &C = B.getContext();
  auto *FT = FunctionType::get(B.getInt32Ty(), {B.getPtrTy()}, false);
  Fn = Function::Create(FT, GlobalValue::ExternalLinkage, Name,
                        CGM.getModule());
  std::string Section, Line;
  describeAttach(Probe, Var, Name, CGM.getOptions(), Section, Line);
  Fn->setSection(Section);
  Fn->addFnAttr(Attribute::NoUnwind);
  if (!Line.empty())
    CGM.addProbeLine(Line);

  DIBuilder &DIB = CGM.getDIBuilder();
  auto *VoidPtr = DIB.createPointerType(nullptr, 64);
  auto *SubTy = DIB.createSubroutineType(
      DIB.getOrCreateTypeArray({CGM.getIntDI(), VoidPtr}));
  unsigned Line0 = CGM.getLine(Probe.Decl->getLoc());
  SP = DIB.createFunction(CGM.getFile(), Name, Name, CGM.getFile(), Line0,
                          SubTy, Line0, DINode::FlagPrototyped,
                          DISubprogram::SPFlagDefinition);
  Fn->setSubprogram(SP);
  // A named parameter: the kernel rejects BTF function prototypes whose
  // arguments have no names.
  DILocalVariable *CtxVar = DIB.createParameterVariable(
      SP, "ctx", 1, CGM.getFile(), Line0, VoidPtr, /*AlwaysPreserve=*/true);
  (void)CtxVar;

  auto *Entry = BasicBlock::Create(C, "entry", Fn);
  ExitBB = BasicBlock::Create(C, "exit", Fn);
  B.SetInsertPoint(Entry);
  setLoc(Probe.Decl->getLoc());
  CtxArg = Fn->getArg(0);
  auto *Ret0 = BasicBlock::Create(C, "return", Fn);
  if (Var != Variant::Main && !Probe.KprobeOnly && !Probe.User) {
    // Twins are silent unless stapc-run chose them: loaders that attach
    // every program (bpftool, skeletons) see each event once. Not a "?"
    // section, which bpftool 7.1's loadall cannot pin.
    Value *On = B.CreateLoad(B.getInt32Ty(), CGM.getKprobeTwinsVar(), true,
                             "twins");
    auto *Go = BasicBlock::Create(C, "twins.on", Fn);
    B.CreateCondBr(B.CreateICmpEQ(On, B.getInt32(0)), Ret0, Go);
    B.SetInsertPoint(Go);
  }
  if (Var == Variant::KprobeEntry) {
    Probe.User ? emitUprobeEntrySaver() : emitEntrySaver();
    B.CreateBr(Ret0);
    B.SetInsertPoint(ExitBB);
    B.CreateBr(Ret0);
    B.SetInsertPoint(Ret0);
    B.CreateRet(B.getInt32(0));
    return;
  }

  // Event probes stop firing once the session is ending (exit() or an
  // uncaught error); begin/end/error probes are run by the loader itself.
  if (isEventProbe()) {
    Value *Exiting = B.CreateLoad(B.getInt32Ty(), CGM.getExitingVar(), true,
                                  "exiting");
    auto *Run = BasicBlock::Create(C, "run", Fn);
    B.CreateCondBr(B.CreateICmpNE(Exiting, B.getInt32(0)), Ret0, Run);
    B.SetInsertPoint(Run);
  }
  // A kprobe twin reads the arguments from the registers (and the saved
  // entry) into a trampoline-shaped array, so the body is the same code.
  if (Var == Variant::Kprobe)
    CtxArg = emitKprobeContext(Ret0);
  if (Probe.Kind == ProbeKind::Syscall)
    emitSyscallFilter(Ret0);
  if (Var == Variant::Main && uprobeSavesEntry(Probe))
    emitUprobeSavedArgs(Ret0); // CGUprobe.cpp

  // Probes with strings or output records use this CPU's scratch area and
  // its busy flag; counting probes (most event probes) need neither, and
  // skip the map lookup on every hit.
  LocalsInScratch = hasLoops();
  if (LocalsInScratch || needsScratch()) {
    Value *Zero = B.createEntryAlloca(B.getInt32Ty(), "zero");
    B.CreateStore(B.getInt32(0), Zero);
    Scratch = B.createMapLookup(CGM.getScratchMap(), Zero);
    auto *HaveScratch = BasicBlock::Create(C, "scratch.ok", Fn);
    B.CreateCondBr(B.CreateIsNull(Scratch), Ret0, HaveScratch);
    B.SetInsertPoint(HaveScratch);

    // Skip a probe that interrupted another one on this CPU (it would
    // share the scratch area); count it like stap's skipped probes.
    Value *Busy = B.CreateLoad(B.getInt64Ty(), Scratch, true, "busy");
    auto *Skip = BasicBlock::Create(C, "skip", Fn);
    auto *Body = BasicBlock::Create(C, "body", Fn);
    B.CreateCondBr(B.CreateICmpNE(Busy, B.getInt64(0)), Skip, Body);
    B.SetInsertPoint(Skip);
    B.createCounterIncrement(CGM.getSkippedVar());
    B.CreateBr(Ret0);
    B.SetInsertPoint(Body);
    B.CreateStore(B.getInt64(1), Scratch, true);
  }
  NextSlot = CGM.getSlotBase();
  if (LocalsInScratch) {
    PendingOffset = allocScratch(8);
    ActionsOffset = allocScratch(8);
    B.CreateStore(B.getInt64(0), scratchAt(PendingOffset));
    B.CreateStore(B.getInt64(0), scratchAt(ActionsOffset));
  }
  initLocals(Probe.Locals);
  emitStackCapture();
  emitBlock(Probe.Body);
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(ExitBB);

  B.SetInsertPoint(ExitBB);
  if (Scratch)
    B.CreateStore(B.getInt64(0), Scratch, true);
  B.CreateBr(Ret0);
  B.SetInsertPoint(Ret0);
  B.CreateRet(B.getInt32(0));
  closeOpenBlocks();

  CGM.noteScratchUse(NextSlot);
}

namespace {
/// Whether code for a body may touch the scratch area: any string value,
/// any output record with arguments (print family, error), or a call to a
/// user function that does.
class ScratchUseFinder : public RecursiveVisitor<ScratchUseFinder> {
public:
  bool Found = false;
  llvm::DenseSet<FunctionDecl *> Seen;

  void visitExpr(Expr *E) {
    if (E->getType() == TypeKind::String)
      Found = true;
  }
  void visitStringLiteral(stapc::StringLiteral *) { Found = true; }
  void visitFunctionCall(FunctionCall *E) {
    visitExpr(E);
    RecursiveVisitor::visitFunctionCall(E);
    if (FunctionDecl *F = E->getCallee()) {
      if (Seen.insert(F).second)
        traverse(F->Body);
      return;
    }
    if (const BuiltinInfo *B = lookupBuiltin(E->getName()))
      if (B->Variadic || B->ID == BuiltinID::Error ||
          B->ID == BuiltinID::Log || ProbeEmitter::printsSymbols(B->ID) ||
          B->ID == BuiltinID::Pid2task) // its walk's state
        Found = true;
  }
  void visitSymbolRef(SymbolRef *E) {
    if (VarDecl *V = E->getDecl(); V && V->Ty == TypeKind::String)
      Found = true;
  }
  void visitArrayIndex(ArrayIndex *E) {
    visitExpr(E);
    RecursiveVisitor::visitArrayIndex(E);
  }
  void visitTryStmt(TryStmt *S) {
    Found = true; // the catch message is a string
    RecursiveVisitor::visitTryStmt(S);
  }
};
} // namespace

namespace {
/// Whether a body has a loop (while, for, foreach, slices), also inside
/// the user functions it calls.
class LoopFinder : public CallFollowingVisitor<LoopFinder> {
public:
  bool Found = false;
  void visitWhileStmt(WhileStmt *) { Found = true; }
  void visitForStmt(ForStmt *) { Found = true; }
  void visitForeachStmt(ForeachStmt *) { Found = true; }
  // Slices walk the map in a callback too.
  void visitInExpr(InExpr *E) {
    RecursiveVisitor::visitInExpr(E);
    if (llvm::any_of(E->getKeys(), [](Expr *K) { return !K; }))
      Found = true;
  }
  void visitDeleteStmt(DeleteStmt *S) {
    RecursiveVisitor::visitDeleteStmt(S);
    if (auto *A = dyn_cast<ArrayIndex>(S->getTarget()))
      if (llvm::any_of(A->getIndices(), [](Expr *K) { return !K; }))
        Found = true;
  }
};
} // namespace

bool ProbeEmitter::hasLoops() {
  LoopFinder F;
  F.traverse(Probe.Body);
  return F.Found;
}

bool ProbeEmitter::needsScratch() {
  ScratchUseFinder F;
  F.traverse(Probe.Body);
  for (VarDecl *V : Probe.Locals)
    if (V->Ty == TypeKind::String)
      F.Found = true;
  return F.Found;
}

void CodeGenModule::emitProbes() {
  using Variant = ProbeEmitter::Variant;
  unsigned I = 0;
  for (const ProbeInstance &P : Prog.Probes) {
    unsigned Index = I++;
    if (P.Kind != ProbeKind::KernelFunction) {
      ProbeEmitter(*this, P, Index).emit();
      if (ProbeEmitter::uprobeSavesEntry(P)) // .return uprobes' entry saver
        ProbeEmitter(*this, P, Index, Variant::KprobeEntry).emit();
      continue;
    }
    if (!P.KprobeOnly)
      ProbeEmitter(*this, P, Index, Variant::Main).emit();
    ProbeEmitter(*this, P, Index, Variant::Kprobe).emit();
    bool NeedsEntry = P.Return && ProbeEmitter::returnReadsParams(P);
    if (NeedsEntry)
      ProbeEmitter(*this, P, Index, Variant::KprobeEntry).emit();
    std::string Kp = ProbeEmitter::programName(Index, Variant::Kprobe);
    std::string Kpe = NeedsEntry
                          ? ProbeEmitter::programName(Index, Variant::KprobeEntry)
                          : "-";
    if (P.KprobeOnly) {
      // The entry saver attaches like any event probe.
      if (NeedsEntry)
        addProbeLine("probe " + Kpe + " event " + quotePP(P.PP));
    } else {
      addProbeLine("alternative " +
                   ProbeEmitter::programName(Index, Variant::Main) + " " + Kp +
                   " " + Kpe);
    }
  }
}
