//===- CGSymbols.cpp - Symbols and backtraces, formatted later ------------===//
//
// symname(), backtrace() and their family give stap strings that only the
// loader can make: it has /proc/kallsyms and the processes' ELF files. In
// BPF such a value is a long -- an address, or the id bpf_get_stackid()
// gave a stack in STAPC_KSTACK_MAP / STAPC_USTACK_MAP -- and Sema types it
// as "formatted later" (TypeKind), so it can be stored, be an array key and
// be printed. A print sends the long and marks the argument with a `render`
// metadata line; the loader turns it into text (docs/ObjectFormat.md).
//
// A probe takes its stacks once, in its prologue: bpf_get_stackid needs
// the program's own context, which loop bodies (BPF callbacks) lack. The
// stack is the same anywhere in one hit of the probe.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Object/RecordFormat.h"

using namespace stapc;
using namespace llvm;

/// Distinct (address, process) pairs usymname()/usymdata() can name.
constexpr unsigned UserSymbolEntries = 16384;

namespace {
// include/uapi/linux/bpf.h
constexpr unsigned MapStackTrace = 7;
constexpr uint64_t BPF_F_USER_STACK = 1 << 8;
constexpr uint64_t HelperGetStackid = 27;
/// Distinct stacks a session can name. A stack whose hash bucket holds
/// another stack gets no id (-EEXIST) rather than replacing it, so ids
/// already stored never change meaning; the loader reports such losses.
constexpr unsigned StackMapEntries = 16384;
constexpr unsigned MapHash = 1, MapArray = 2;

bool usesKernelStack(BuiltinID ID) {
  return ID == BuiltinID::Backtrace || ID == BuiltinID::PrintBacktrace ||
         ID == BuiltinID::SprintBacktrace;
}
bool usesUserStack(BuiltinID ID) {
  return ID == BuiltinID::Ubacktrace || ID == BuiltinID::PrintUbacktrace ||
         ID == BuiltinID::SprintUbacktrace;
}

/// Which stacks a probe's code (with the functions it calls) takes.
class StackUseFinder : public CallFollowingVisitor<StackUseFinder> {
public:
  bool Kernel = false, User = false;
  void visitFunctionCall(FunctionCall *E) {
    CallFollowingVisitor::visitFunctionCall(E);
    if (E->getCallee())
      return;
    if (const BuiltinInfo *B = lookupBuiltin(E->getName())) {
      Kernel |= usesKernelStack(B->ID);
      User |= usesUserStack(B->ID);
    }
  }
};
} // namespace

GlobalVariable *CodeGenModule::getStackMap(bool User) {
  GlobalVariable *&Map = StackMaps[User];
  if (Map)
    return Map;
  unsigned Depth = Opts.MaxBacktrace;
  Metadata *Sub = DIB->getOrCreateSubrange(0, Depth);
  DIType *Frames = DIB->createArrayType(uint64_t(Depth) * 64, 64, getLongDI(),
                                        DIB->getOrCreateArray(Sub));
  Map = createMap(User ? STAPC_USTACK_MAP : STAPC_KSTACK_MAP, MapStackTrace,
                  StackMapEntries, getIntDI(), Frames, 4, Depth * 8);
  return Map;
}

StringRef CodeGenModule::renderingOf(TypeKind T) {
  switch (T) {
  case TypeKind::SymName: return "symname";
  case TypeKind::SymData: return "symdata";
  case TypeKind::KStack: return "kstack-hex";
  case TypeKind::UStack: return "ustack-hex";
  case TypeKind::KStackText: return "kstack-brief";
  case TypeKind::UStackText: return "ustack-brief";
  case TypeKind::USymName: return "usymname";
  case TypeKind::USymData: return "usymdata";
  default: return "";
  }
}

bool ProbeEmitter::printsSymbols(BuiltinID ID) {
  switch (ID) {
  case BuiltinID::PrintBacktrace:
  case BuiltinID::PrintUbacktrace:
  case BuiltinID::PrintStack:
  case BuiltinID::PrintSyms:
  case BuiltinID::PrintUstack:
  case BuiltinID::PrintUsyms:
    return true;
  default:
    return false;
  }
}

void ProbeEmitter::emitStackCapture() {
  StackUseFinder F;
  F.traverse(Probe.Body);
  // The real context: a kprobe twin's CtxArg is its argument array.
  Value *Ctx = Fn->getArg(0);
  auto Capture = [&](bool User, Home &H) {
    H = allocHome(TypeKind::Long, User ? "ustack" : "kstack");
    Value *Id = B.createHelperCall(
        BPFHelper(HelperGetStackid), B.getInt64Ty(),
        {Ctx, CGM.getStackMap(User), B.getInt64(User ? BPF_F_USER_STACK : 0)},
        "stackid");
    if (User) {
      // The loader needs the process to resolve user addresses.
      Value *Tgid = B.CreateShl(
          B.CreateLShr(B.createHelperCall(BPFHelper::GetCurrentPidTgid,
                                          B.getInt64Ty(), {}),
                       32),
          32);
      Id = B.CreateSelect(B.CreateICmpSLT(Id, B.getInt64(0)), Id,
                          B.CreateOr(Id, Tgid), "ustack");
    }
    B.CreateStore(Id, addressOf(H));
  };
  if (F.Kernel)
    Capture(false, KernelStackHome);
  if (F.User)
    Capture(true, UserStackHome);
}

Value *ProbeEmitter::emitSymbolBuiltin(FunctionCall *E, BuiltinID ID) {
  auto Stack = [&](const Home &H) {
    return B.CreateLoad(B.getInt64Ty(), addressOf(H), "stack");
  };
  auto Print = [&](Value *V, StringRef Kind) {
    setLoc(E->getLoc());
    CodeGenModule::FormatRender R{0, Kind};
    emitRecord(STAPC_REC_PRINTF, CGM.addFormat("%s", R), {V},
               {TypeKind::Long});
    return B.getInt64(0);
  };
  switch (ID) {
  case BuiltinID::Symname:
  case BuiltinID::Symdata:
    // The address itself: the loader finds its symbol.
  case BuiltinID::SprintStack:
  case BuiltinID::SprintSyms:
  case BuiltinID::SprintUstack:
  case BuiltinID::SprintUsyms:
    // The same stack id, rendered as symbol lines.
    return emitExpr(E->getArgs()[0]);
  case BuiltinID::Usymname:
  case BuiltinID::Usymdata:
    return emitUserSymbolId(emitExpr(E->getArgs()[0]), E->getLoc());
  case BuiltinID::Backtrace:
  case BuiltinID::SprintBacktrace:
    return Stack(KernelStackHome);
  case BuiltinID::Ubacktrace:
  case BuiltinID::SprintUbacktrace:
    return Stack(UserStackHome);
  case BuiltinID::PrintBacktrace:
    return Print(Stack(KernelStackHome), "kstack-full");
  case BuiltinID::PrintUbacktrace:
    return Print(Stack(UserStackHome), "ustack-full");
  case BuiltinID::PrintStack:
  case BuiltinID::PrintSyms:
    return Print(emitExpr(E->getArgs()[0]), "kstack-full");
  case BuiltinID::PrintUstack:
  case BuiltinID::PrintUsyms:
    return Print(emitExpr(E->getArgs()[0]), "ustack-full");
  default:
    llvm_unreachable("not a symbol builtin");
  }
}

/// A user address means something only with its process, and the pair
/// does not fit in a long: usymname() keeps an id that STAPC_USYM_MAP gives
/// each distinct (address, process), so equal pairs get equal ids (keys
/// aggregate), and STAPC_USYM_KEYS_MAP maps the id back for the loader.
Value *ProbeEmitter::emitUserSymbolId(Value *Addr, SMLoc Loc) {
  auto [Ids, Keys, Next] = CGM.getUserSymbolTables();
  Type *I64 = B.getInt64Ty();
  Value *Key = B.createEntryAlloca(ArrayType::get(I64, 2), "usym.key");
  B.CreateStore(Addr, Key);
  Value *Tgid = B.CreateLShr(
      B.createHelperCall(BPFHelper::GetCurrentPidTgid, I64, {}), 32, "tgid");
  B.CreateStore(Tgid, B.CreateConstInBoundsGEP1_64(I64, Key, 1));
  Value *Result = B.createEntryAlloca(I64, "usym.id");
  LLVMContext &C = B.getContext();
  auto *Known = BasicBlock::Create(C, "usym.known", Fn);
  auto *New = BasicBlock::Create(C, "usym.new", Fn);
  auto *Done = BasicBlock::Create(C, "usym.done", Fn);
  auto LoadIf = [&](Value *P, BasicBlock *Else) {
    B.CreateCondBr(B.CreateIsNull(P), Else, Known);
    B.SetInsertPoint(Known);
    B.CreateStore(B.CreateLoad(I64, P), Result);
    B.CreateBr(Done);
  };
  LoadIf(B.createMapLookup(Ids, Key), New);

  B.SetInsertPoint(New);
  Value *Id = B.CreateAtomicRMW(AtomicRMWInst::Add, Next, B.getInt64(1),
                                MaybeAlign(8), AtomicOrdering::Monotonic);
  Value *IdSlot = B.createEntryAlloca(B.getInt32Ty(), "usym.slot");
  B.CreateStore(B.CreateTrunc(Id, B.getInt32Ty()), IdSlot);
  exitIf(B.CreateICmpUGE(Id, B.getInt64(UserSymbolEntries)), Loc,
         "too many distinct usymname()/usymdata() addresses (" +
             std::to_string(UserSymbolEntries) + ")");
  // The reverse entry first: once the id is published it must resolve.
  B.createMapUpdate(Keys, IdSlot, Key, BPF_ANY);
  Value *IdValue = B.createEntryAlloca(I64, "usym.value");
  B.CreateStore(Id, IdValue);
  B.createMapUpdate(Ids, Key, IdValue, BPF_NOEXIST);
  // Another CPU may have published the same pair first: use its id.
  Value *Again = B.createMapLookup(Ids, Key);
  exitIf(B.CreateIsNull(Again), Loc, "cannot record a usymname() address");
  B.CreateStore(B.CreateLoad(I64, Again), Result);
  B.CreateBr(Done);

  B.SetInsertPoint(Done);
  return B.CreateLoad(I64, Result, "usym");
}

std::tuple<GlobalVariable *, GlobalVariable *, GlobalVariable *>
CodeGenModule::getUserSymbolTables() {
  if (!UserSymbolIds) {
    Metadata *Sub = DIB->getOrCreateSubrange(0, 2);
    DIType *Pair = DIB->createArrayType(128, 64, getLongDI(),
                                        DIB->getOrCreateArray(Sub));
    UserSymbolIds = createMap(STAPC_USYM_MAP, MapHash, UserSymbolEntries, Pair,
                              getLongDI(), 16, 8);
    UserSymbolKeys = createMap(STAPC_USYM_KEYS_MAP, MapArray,
                               UserSymbolEntries, getIntDI(), Pair, 4, 16);
    UserSymbolNext = createDataVar(
        "stapc_usym_next", Type::getInt64Ty(Ctx),
        ConstantInt::get(Type::getInt64Ty(Ctx), 0), ".bss", getLongDI(), false);
  }
  return {UserSymbolIds, UserSymbolKeys, UserSymbolNext};
}
