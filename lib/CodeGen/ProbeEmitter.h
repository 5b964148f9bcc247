//===- ProbeEmitter.h - Lower one probe instance to a BPF program -*- C++ -*-===//
//
// A ProbeEmitter turns one ProbeInstance into one BPF program. Its
// implementation is split by feature: CGProbe.cpp (program shape per probe
// kind, prologue/epilogue), CGStmt.cpp, CGExpr.cpp, CGString.cpp,
// CGArray.cpp, CGPrint.cpp (output records), CGBuiltin.cpp, CGTarget.cpp
// (typed context values). User functions are inlined at each call.
//
// Values: a long is an i64; a string is a pointer to a NUL-terminated
// buffer of at most MAXSTRINGLEN bytes (a scratch slot, a global, or a
// .rodata literal).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_PROBEEMITTER_H
#define STAPC_LIB_CODEGEN_PROBEEMITTER_H

#include "BPFIRBuilder.h"
#include "CodeGenModule.h"

#include "stapc/Sema/Builtins.h"

#include "llvm/IR/Function.h"

#include <optional>

namespace stapc {

struct FieldAddress;

class KernelBTF;
/// The type TargetExpr E's member chain ends at from Type (a value when
/// InHand, else an object in memory); nullopt if a step does not resolve.
std::optional<uint32_t> chainType(const KernelBTF &K, TargetExpr *E,
                                  uint32_t Type, bool InHand);

/// A typed kernel value: a scalar in hand (an i64 with a BTF type) or an
/// object in kernel memory (an address with a BTF type).
struct TypedTarget {
  llvm::Value *Scalar = nullptr; ///< i64, when the value is in hand
  llvm::Value *Addr = nullptr;   ///< else: where the object lives
  uint32_t Type = 0;             ///< BTF type id (unstripped)
};

struct RegexCode;
struct UsdtArg;
struct UserParam;

class ProbeEmitter {
public:
  /// Which program of a probe instance to emit. A kernel.function probe
  /// has a trampoline program (fentry/fexit) and a kprobe twin the loader
  /// uses where trampolines cannot attach; a .return twin whose body reads
  /// parameters also needs an entry kprobe that saves them.
  enum class Variant { Main, Kprobe, KprobeEntry };

  ProbeEmitter(CodeGenModule &CGM, const ProbeInstance &P, unsigned Index,
               Variant V = Variant::Main);
  void emit();
  /// The BPF program (function) name of instance Index's variant V.
  static std::string programName(unsigned Index, Variant V);
  /// Whether a .return probe's body reads parameters (not just $return),
  /// so that its kprobe twin needs them saved at entry.
  static bool returnReadsParams(const ProbeInstance &P);

  /// Where a local variable or an inlined function's result lives: a stack
  /// slot, or (in probes with loops, whose bodies run in callbacks that
  /// cannot see the probe's stack) an offset in the scratch area.
  struct Home {
    llvm::Value *Alloca = nullptr;
    unsigned Offset = 0;
    bool valid() const { return Alloca || Offset; }
  };

  // CGStmt.cpp
  void emitStmt(Stmt *S);
  void emitBlock(BlockStmt *S);
  void emitIf(IfStmt *S);
  void emitReturn(ReturnStmt *S);
  void emitDelete(DeleteStmt *S);
  void emitTry(TryStmt *S);

  // CGExpr.cpp
  llvm::Value *emitExpr(Expr *E);
  llvm::Value *emitCondition(Expr *E); // i1
  llvm::Value *emitBinary(BinaryExpr *E);
  llvm::Value *emitAssign(AssignExpr *E);
  llvm::Value *emitIncDec(Expr *Operand, bool Inc, bool Postfix);
  llvm::Value *emitLongOp(BinaryOp Op, llvm::Value *L, llvm::Value *R,
                          SMLoc Loc);
  llvm::Value *emitTernary(TernaryExpr *E);
  llvm::Value *emitLogical(BinaryExpr *E);
  /// Store V (of type T) into the variable or array element Target.
  void storeTo(Expr *Target, llvm::Value *V);
  /// Read-modify-write of a long variable/element: returns {old, new}.
  std::pair<llvm::Value *, llvm::Value *>
  updateLong(Expr *Target, BinaryOp Op, llvm::Value *Operand, SMLoc Loc);

  // CGLoop.cpp: while/for run as bpf_loop callbacks, bounded by MAXACTION.
  void emitWhile(Expr *Cond, Stmt *Body, Expr *Incr, SMLoc Loc);
  /// Count Stmts actions for one loop iteration; over the probe's
  /// MAXACTION budget it is a runtime error.
  void emitActionCount(Stmt *Body, SMLoc Loc);
  /// bpf_loop's iteration limit: one more than MAXACTION allows.
  uint64_t loopBound() const;

  // CGForeach.cpp
  void emitForeach(ForeachStmt *S);
  const GlobalStorage *foreachArray(ForeachStmt *S);
  void emitUnsortedForeach(ForeachStmt *S, const GlobalStorage &G,
                           unsigned State, llvm::ArrayRef<Home> Slice);
  void emitSortedForeach(ForeachStmt *S, const GlobalStorage &G,
                         unsigned State, llvm::ArrayRef<Home> Slice);
  void emitForeachElement(ForeachStmt *S, const GlobalStorage &G,
                          llvm::Value *KeyPtr, llvm::Value *ValPtr,
                          unsigned State, llvm::ArrayRef<Home> Slice);
  // CGForeachHist.cpp: foreach over the buckets of a @hist_*.
  void emitHistForeach(ForeachStmt *S);
  void emitHistSortedForeach(ForeachStmt *S, const GlobalStorage &G,
                             unsigned Snapshot, unsigned State);
  // CGSlice.cpp
  llvm::SmallVector<Home, 4> emitSliceValues(const GlobalStorage &G,
                                             llvm::ArrayRef<Expr *> Slice);
  /// i1: whether the key at KeyPtr matches the slice's fixed columns.
  llvm::Value *emitSliceMatch(const GlobalStorage &G, llvm::Value *KeyPtr,
                              llvm::ArrayRef<Expr *> Slice,
                              llvm::ArrayRef<Home> Values);
  void emitSliceWalk(
      const GlobalStorage &G, llvm::ArrayRef<Expr *> Slice,
      llvm::StringRef Name,
      llvm::function_ref<bool(llvm::Value *Map, llvm::Value *KeyPtr)> Body);
  llvm::Value *emitSliceIn(const GlobalStorage &G,
                           llvm::ArrayRef<Expr *> Slice);
  void emitSliceDelete(const GlobalStorage &G, llvm::ArrayRef<Expr *> Slice);

  // CGForeachSort.cpp
  void emitForeachCopy(ForeachStmt *S, const GlobalStorage &G,
                       llvm::Value *Buf, unsigned State);
  void emitForeachSort(ForeachStmt *S, const GlobalStorage &G,
                       llvm::Value *Buf, unsigned State);
  /// Sort the elements copied into Buf, then run the body on each.
  void emitSortAndWalk(ForeachStmt *S, const GlobalStorage &G,
                       llvm::Value *Buf, unsigned State,
                       llvm::ArrayRef<Home> Slice);
  llvm::Value *foreachField(unsigned State, unsigned F);
  llvm::Value *loadField(unsigned State, unsigned F);
  void storeField(unsigned State, unsigned F, llvm::Value *V);
  /// Element Index of a foreach buffer, or a stop of the callback when the
  /// lookup fails.
  llvm::Value *bufferElement(llvm::Value *Buf, llvm::Value *Index);
  llvm::Value *columnOffset(llvm::Value *Column);

  // CGString.cpp
  llvm::Value *allocStringSlot();
  void copyString(llvm::Value *Dst, llvm::Value *Src);
  llvm::Value *emitStringCompare(BinaryOp Op, llvm::Value *L, llvm::Value *R);
  llvm::Value *emitConcat(llvm::Value *L, llvm::Value *R);
  llvm::Value *emitStrlen(llvm::Value *S);

  // CGArray.cpp
  llvm::Value *buildKey(const GlobalStorage &S, llvm::ArrayRef<Expr *> Keys);
  /// End the lifetime of a stack key built by buildKey.
  void endKey(llvm::Value *Key);
  llvm::Value *emitArrayRead(ArrayIndex *E);
  /// `arr[k] = v` of a long value, as a single map update.
  void emitArrayAssignLong(ArrayIndex *E, llvm::Value *V);
  llvm::Value *emitArrayElementPtr(ArrayIndex *E, bool Create);
  llvm::Value *emitInExpr(InExpr *E);

  // CGStats.cpp
  const GlobalStorage *statOperand(Expr *E, llvm::Value *&Key);
  llvm::Value *emitStatUpdate(AssignExpr *E);
  llvm::Value *emitStatExtract(StatExtractExpr *E);

  // CGStats.cpp / CGHist.cpp: statistics with histogram buckets.
  /// Allocas holding every CPU's sums of the five fields and, if a bucket
  /// index was given, of that bucket.
  struct StatTotals {
    llvm::Value *Fields[5];
    llvm::Value *Bucket = nullptr;
  };
  StatTotals emitStatTotals(const GlobalStorage &S, llvm::Value *Key,
                            SMLoc Loc, llvm::Value *BucketIdx = nullptr);
  llvm::Value *emitAggregate(StatKind K, const StatTotals &T, SMLoc Loc,
                             bool EmptyIsError);
  llvm::Value *emitAggregateOfValues(StatKind K, llvm::Value *const *Acc,
                                     llvm::Value *Count, SMLoc Loc);
  void forEachCpuRecord(const GlobalStorage &S, llvm::Value *Key,
                        llvm::function_ref<void(llvm::Value *)> Body);
  void failBeyondMaxCpus(const GlobalStorage &S, llvm::Value *Key, SMLoc Loc);
  llvm::Value *emitHistBucketIndex(llvm::Value *V, const HistogramSpec &H);
  void emitHistBucketUpdate(llvm::Value *Rec, llvm::Value *V,
                            const HistogramSpec &H);
  void emitHistPrint(StatExtractExpr *E);
  const GlobalStorage *histOperand(StatExtractExpr *E, llvm::Value *&Key);
  /// Sum every CPU's bucket counts of S[Key] into the longs at Sums.
  void emitHistSums(const GlobalStorage &S, llvm::Value *Key,
                    llvm::Value *Sums);
  llvm::Value *emitHistBucketRead(ArrayIndex *E);
  void emitStatClear(const GlobalStorage &S, SMLoc Loc);
  void zeroFill(llvm::Value *P, unsigned Bytes);
  /// Send Size bytes at Rec as one ring buffer record (counted if lost).
  void sendRecord(llvm::Value *Rec, llvm::Value *Size);
  /// A stack slot live from here to endKey() (CGArray.cpp).
  llvm::AllocaInst *createScopedAlloca(llvm::Type *Ty, const llvm::Twine &Name);

  // CGPrint.cpp
  void emitPrint(FunctionCall *E, llvm::StringRef Format,
                 llvm::ArrayRef<Expr *> Args);
  /// Lengths[I], when given and non-null, makes string argument I exactly
  /// that many bytes (NULs included) rather than NUL-terminated.
  void emitRecord(uint32_t Type, uint32_t Id, llvm::ArrayRef<llvm::Value *> Args,
                  llvm::ArrayRef<TypeKind> Types,
                  llvm::ArrayRef<llvm::Value *> Lengths = {});
  void emitPrintFamily(FunctionCall *E, BuiltinID ID);
  llvm::Value *emitSprintFamily(FunctionCall *E, BuiltinID ID);
  /// The printf family's format for a call and its values, type-checked;
  /// false (after a diagnostic) if they do not match.
  bool emitFormatArgs(FunctionCall *E, llvm::StringRef Format,
                      llvm::ArrayRef<Expr *> Args,
                      llvm::SmallVectorImpl<llvm::Value *> &Values);

  // CGFormat.cpp, CGStringFuncs.cpp (sprintf and string builtins in BPF)
  llvm::Value *emitFormat(llvm::StringRef Format,
                          llvm::ArrayRef<llvm::Value *> Args, SMLoc Loc);
  /// emitFormat with argument I made by ArgAt(I) right before its
  /// conversion (long formats whose values would not fit in registers).
  llvm::Value *emitFormatLazy(llvm::StringRef Format,
                              llvm::function_ref<llvm::Value *(unsigned)> ArgAt,
                              SMLoc Loc);
  /// Bytes at Addr (kernel, or user memory with User) for %m/%M: Len
  /// (clamped to [1, MAXSTRINGLEN-1]) bytes copied to Dst; a fault is a
  /// runtime error. Returns the clamped length.
  llvm::Value *emitMemoryRead(llvm::Value *Dst, llvm::Value *Addr,
                              llvm::Value *Len, bool User, SMLoc Loc);
  llvm::Value *emitStringBuiltin(FunctionCall *E, BuiltinID ID);
  /// Scratch memory of Bytes; the verifier may see accesses up to Reach
  /// bytes from its start (bounded but data-dependent offsets).
  llvm::Value *allocScratchPtr(unsigned Bytes, unsigned Reach);
  /// Scratch memory that every user of the same Purpose in this probe
  /// shares (temporaries that are dead once one sprintf or string builtin
  /// is done), allocated on first use.
  enum class Shared { FormatCells, StringCells, Temp1, Temp2, Temp3 };
  llvm::Value *sharedScratch(Shared Purpose, unsigned Bytes, unsigned Reach);
  llvm::DenseMap<unsigned, unsigned> SharedOffsets;
  bool ScratchOverflowReported = false;

  // CGBuiltin.cpp
  llvm::Value *emitCall(FunctionCall *E);
  llvm::Value *emitBuiltin(FunctionCall *E, BuiltinID ID);
  llvm::Value *emitUserCall(FunctionCall *E);
  llvm::Value *emitReadString(FunctionCall *E, BuiltinID ID);
  llvm::Value *emitReadInteger(FunctionCall *E, BuiltinID ID);

  // CGProcfs.cpp: a procfs probe's `$value` (as Sema desugared it).
  llvm::Value *emitProcfsValue(FunctionCall *E, BuiltinID ID);

  // CGSymbols.cpp: symname(), backtrace() and their family, whose values
  // the loader formats when they are printed.
  llvm::Value *emitSymbolBuiltin(FunctionCall *E, BuiltinID ID);
  /// In the prologue: take the stacks the probe's code uses.
  void emitStackCapture();
  /// Whether builtin ID sends a record (print_backtrace and friends).
  static bool printsSymbols(BuiltinID ID);
  /// usymname()'s value: the id of (Addr, this process).
  llvm::Value *emitUserSymbolId(llvm::Value *Addr, SMLoc Loc);
  Home KernelStackHome, UserStackHome;

  // CGRegisters.cpp: int_arg() & co, returnval(), user_mode().
  llvm::Value *emitRegisterArg(FunctionCall *E, BuiltinID ID);
  llvm::Value *registerArg(unsigned I, SMLoc Loc, llvm::StringRef Fn);
  llvm::Value *registerArgByValue(llvm::Value *N, SMLoc Loc, llvm::StringRef Fn);
  llvm::Value *emitReturnval(FunctionCall *E);
  llvm::Value *emitUserMode();
  llvm::Value *emitAddr();
  llvm::Value *contextRegister(unsigned Offset, const llvm::Twine &Name);
  // CGPid2Task.cpp
  llvm::Value *emitPid2Task(FunctionCall *E);

  // CGRegex.cpp: `=~`, `!~`, matched(), matched_str(), ngroups().
  llvm::Value *emitRegexMatch(BinaryExpr *E);
  llvm::Value *emitMatchResult(FunctionCall *E, BuiltinID ID);
  void recordMatch(RegexCode &Code, llvm::Value *Ctx, llvm::Value *Subject,
                   llvm::Value *Len, llvm::Value *&Matched);
  /// The walk context (on the stack, as bpf_loop wants) each function
  /// shares between its matches.
  llvm::DenseMap<llvm::Function *, llvm::Value *> RegexWalkCtx;

  // CGTarget.cpp
  /// The value of E as a long (a string for `$$vars` and `$var$`); with
  /// AddressOf, `&E`: the kernel address of the member or element E names
  /// (a diagnostic if it has none).
  llvm::Value *emitTargetExpr(TargetExpr *E, bool AddressOf = false);
  /// E's typed value, member chain applied; nullopt after a diagnostic.
  /// With AddressOf, the address as a Scalar (Type 0).
  std::optional<TypedTarget> emitTypedTarget(TargetExpr *E, bool AddressOf);
  /// Follow `->a->b[2]` from a pointer of BTF type TypeId with CO-RE
  /// relocated accesses. BTFPointer: Base is a BTF-typed context pointer
  /// (plain loads).
  std::optional<TypedTarget> emitMemberChain(TargetExpr *E, llvm::Value *Base,
                                             uint32_t TypeId,
                                             bool BTFPointer = false,
                                             bool AddressOf = false);
  const ContextArg *findContextArg(llvm::StringRef Name) const;
  bool isVerifierTypedPointer(uint32_t Type) const;
  /// V, of BTF type Type, as a number the verifier lets scripts compute
  /// with (see CGTarget.cpp).
  llvm::Value *pointerAsValue(llvm::Value *V, uint32_t Type);
  llvm::Value *loadContextArg(const ContextArg &Arg);

  // CGAutocast.cpp
  /// The BTF type of the object that the value of E points to, when E's
  /// kernel type is known (a typed target expression, a local that only
  /// ever holds one such type, task_current()); stap's autocast.
  std::optional<uint32_t> autocastPointee(Expr *E);
  /// Locals' pointee types, for autocastPointee (built on first use).
  std::optional<llvm::DenseMap<const VarDecl *, uint32_t>> LocalPointees;

  // CGDefined.cpp
  /// `@defined(E)`: whether target expression E resolves in this probe.
  bool targetResolves(Expr *E);
  /// The value of a condition made of `@defined`, literals, `!`, `&&` and
  /// `||` when it is known at compile time (it then has no effects).
  std::optional<bool> staticCondition(Expr *E);

  // CGTargetPretty.cpp
  /// `$$vars`, `$$parms`, `$$locals`, `$$return`, `$$name`: strings.
  llvm::Value *emitContextList(TargetSymbolExpr *E);
  /// `$var$` (Deep: `$var$$`): the value as stap's `{.a=1, .b="x"}` text.
  llvm::Value *emitPrettyTarget(const TypedTarget &T, bool Deep, SMLoc Loc);
  /// A bitfield member (F from emitMemberAddress on the aggregate at
  /// Parent) read through CO-RE field-info relocations, as a long.
  llvm::Value *readBitfield(llvm::Value *Parent, const FieldAddress &F,
                            bool Signed, SMLoc Loc, llvm::StringRef What);
  bool hasBTFTypedContext() const;
  llvm::Value *readKernelScalar(llvm::Value *Addr, uint64_t Size, bool Signed,
                                bool Direct, SMLoc Loc, llvm::StringRef What,
                                bool User = false);

  // CGUprobe.cpp, CGUsdt.cpp: process(...).function and .mark probes.
  static void describeUprobe(const ProbeInstance &P, Variant V,
                             llvm::StringRef FnName, std::string &Section,
                             std::string &Line);
  /// Whether a .return uprobe reads parameters: its entry (Variant
  /// KprobeEntry) saves them for it.
  static bool uprobeSavesEntry(const ProbeInstance &P);
  void emitUprobeEntrySaver();
  void emitUprobeSavedArgs(llvm::BasicBlock *Skip);
  llvm::GlobalVariable *uprobeEntryMap();
  llvm::Value *EntryArgs = nullptr; // .return uprobes: the saved parameters
  /// Per-thread entry values of a return probe (CGKernelFunction.cpp):
  /// store the i64 array Args in Map under pid_tgid (a full map counts a
  /// skipped probe), or copy N of them to Dst and delete them (none: go
  /// to Skip).
  void saveEntryArgs(llvm::GlobalVariable *Map, llvm::Value *Args);
  void loadEntryArgs(llvm::GlobalVariable *Map, llvm::Value *Dst, unsigned N,
                     llvm::BasicBlock *Skip);
  llvm::Value *emitUserTargetExpr(TargetExpr *E);
  llvm::Value *emitUsdtTargetExpr(TargetExpr *E);
  llvm::Value *emitUsdtArg(const UsdtArg &A, SMLoc Loc, llvm::StringRef Name);
  llvm::Value *readUserParam(const UserParam &Par, SMLoc Loc);
  llvm::Value *emitUserChain(TargetExpr *E, llvm::Value *Scalar,
                             llvm::Value *Addr, uint64_t Type,
                             llvm::StringRef What);
  llvm::Value *userRegister(unsigned Offset, const llvm::Twine &Name);
  llvm::Value *userLoadBias(SMLoc Loc);
  llvm::Value *truncateTo(llvm::Value *V, uint64_t Size, bool Signed);

  /// A runtime error: send an ERROR record and branch out of the probe
  /// (the current block is terminated afterwards).
  /// In event probes the error that reaches MAXERRORS + 1 also ends the
  /// session at once, and later ones (on other CPUs) are not reported.
  void emitRuntimeError(SMLoc Loc, llvm::StringRef Message,
                        llvm::ArrayRef<llvm::Value *> Args = {},
                        llvm::ArrayRef<TypeKind> Types = {});
  /// Branch to Exit when Cond (i1) holds, continuing in a new block.
  void exitIf(llvm::Value *Cond, SMLoc Loc, llvm::StringRef Message);
  /// Start a fresh block after a terminator so emission can go on.
  void startDeadBlock();
  /// Terminate the unreachable blocks startDeadBlock left open in Fn.
  void closeOpenBlocks();

  /// Whether this probe's code uses the per-CPU scratch area (strings,
  /// output records with arguments); see CGProbe.cpp.
  bool needsScratch();

  void setLoc(SMLoc Loc);
  llvm::Value *getLocal(const VarDecl *V);
  void initLocals(llvm::ArrayRef<VarDecl *> Vars);

  Home allocHome(TypeKind T, const llvm::Twine &Name);
  llvm::Value *addressOf(const Home &H);
  /// Reserve Bytes (8-aligned) of this probe's scratch area; returns its
  /// offset. The verifier may see accesses up to Reach bytes from there.
  unsigned allocScratch(unsigned Bytes, unsigned Reach = 0);
  llvm::Value *scratchAt(unsigned Offset, const llvm::Twine &Name = "");

  // CGCallback.cpp: moving code into BPF callback functions.
  /// The emission state of a function while code is moved into a callback.
  struct FunctionState;
  /// A callback being emitted: its function and the outer function's
  /// blocks it may leave to (exit, inlined returns, catches).
  struct Callback {
    llvm::Function *Fn = nullptr;
    std::unique_ptr<FunctionState> Outer;
    std::vector<llvm::BasicBlock *> Targets;
    Callback();
    Callback(Callback &&);
    ~Callback();
  };
  /// Start emitting into a new callback. Its parameter FrameArg points to
  /// an 8-byte slot holding the probe's context (see createFrame), or is
  /// -1 when the code needs no context. The callback's entry looks up the
  /// scratch area and its blocks exit/return/catch leave it as pending
  /// jumps.
  Callback enterCallback(llvm::StringRef Name,
                         llvm::ArrayRef<CodeGenModule::CallbackParam> Params,
                         int FrameArg);
  /// Back to the enclosing function, at the point where enterCallback was
  /// called.
  void leaveCallback(Callback &CB);
  /// After the helper that ran the callback: continue at the pending jump
  /// the callback left, if any.
  void dispatchPendingJump(const Callback &CB);
  /// The 8-byte stack slot passed to callbacks: the probe's context.
  llvm::Value *createFrame();
  /// `return 1` from a callback (stop the loop) or `return 0` (go on).
  void returnFromCallback(bool Stop);
  /// A map lookup inside a callback; a missing element stops the loop.
  llvm::Value *lookupOrStop(llvm::Value *Map, llvm::Value *Key);
  /// Whether this probe runs code in callbacks (it has a loop).
  bool hasLoops();
  bool LocalsInScratch = false;
  unsigned PendingOffset = 0; // scratch: id of the jump a callback left
  unsigned ActionsOffset = 0; // scratch: MAXACTION accounting
  unsigned CallbackCount = 0;

  // CGKernelFunction.cpp: the kprobe twins' view of the arguments, laid out
  // like a trampoline's context (u64 args, then the return value).
  llvm::Value *emitKprobeContext(llvm::BasicBlock *Skip);
  void emitEntrySaver();
  llvm::Value *readRegsArgs(llvm::Value *Regs, llvm::Value *Dst, unsigned N);

  // CGSyscall.cpp: syscall probes on raw_syscalls; the number filter and
  // the context values (registers, per-syscall tables).
  void emitSyscallFilter(llvm::BasicBlock *Skip);
  llvm::Value *emitSyscallValue(const ContextArg &A);
  llvm::Value *syscallRegister(unsigned ArgIndex);
  llvm::Value *syscallTable(llvm::ArrayRef<uint8_t> PerNr);
  llvm::Value *nameAddress(llvm::ArrayRef<llvm::StringRef> Names,
                           unsigned Stride, llvm::Value *Index);
  llvm::Value *SyscallNr = nullptr; // i64, set by emitSyscallFilter

  CodeGenModule &CGM;
  const ProbeInstance &Probe;
  /// Attached to kernel events (not run by the loader like begin/end).
  bool isEventProbe() const {
    return Probe.Kind == ProbeKind::Timer ||
           Probe.Kind == ProbeKind::Tracepoint ||
           Probe.Kind == ProbeKind::KernelFunction ||
           Probe.Kind == ProbeKind::Syscall ||
           Probe.Kind == ProbeKind::Uprobe;
  }
  /// procfs probes (CGProcfs.cpp): the SEC() name and metadata line.
  static void describeProcfs(const ProbeInstance &P, llvm::StringRef FnName,
                             const CodeGenOptions &Opts,
                             llvm::StringRef QuotedPP,
                             std::string &Section, std::string &Line);
  /// Counts an uncaught error in stapc_errors; see emitRuntimeError.
  void countUncaughtError();
  unsigned Index;
  Variant Var;
  std::string Name; // the BPF program's name
  BPFIRBuilder B;
  llvm::Function *Fn = nullptr;
  llvm::DISubprogram *SP = nullptr;
  llvm::Value *CtxArg = nullptr;
  llvm::Value *Scratch = nullptr; // this CPU's scratch buffer
  llvm::BasicBlock *ExitBB = nullptr;
  unsigned NextSlot = 0;

  llvm::DenseMap<const VarDecl *, Home> Locals;
  struct LoopTargets {
    llvm::BasicBlock *Break, *Continue;
  };
  std::vector<LoopTargets> Loops;
  struct InlineFrame {
    FunctionDecl *Fn;
    Home Result; // long or string; invalid for void functions
    llvm::BasicBlock *Return;
    size_t LoopDepth;
  };
  std::vector<InlineFrame> Frames;
  /// Enclosing try blocks, innermost last: a runtime error inside one
  /// branches to its catch block instead of ending the probe.
  struct TryHandler {
    llvm::BasicBlock *Catch;
    SymbolRef *Message; // the catch variable (local or global), or null
  };
  std::vector<TryHandler> Tries;
};

} // namespace stapc

#endif
