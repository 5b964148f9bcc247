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

namespace stapc {

class ProbeEmitter {
public:
  ProbeEmitter(CodeGenModule &CGM, const ProbeInstance &P, unsigned Index);
  void emit();

  // CGStmt.cpp
  void emitStmt(Stmt *S);
  void emitBlock(BlockStmt *S);
  void emitIf(IfStmt *S);
  void emitWhile(Expr *Cond, Stmt *Body, Expr *Incr, SMLoc Loc);
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
  llvm::Value *emitArrayElementPtr(ArrayIndex *E, bool Create);
  llvm::Value *emitInExpr(InExpr *E);

  // CGStats.cpp
  const GlobalStorage *statOperand(Expr *E, llvm::Value *&Key);
  llvm::Value *emitStatUpdate(AssignExpr *E);
  llvm::Value *emitStatExtract(StatExtractExpr *E);

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
  /// Bytes at Addr (kernel, or user memory with User) for %m/%M: Len
  /// (clamped to [1, MAXSTRINGLEN-1]) bytes copied to Dst; a fault is a
  /// runtime error. Returns the clamped length.
  llvm::Value *emitMemoryRead(llvm::Value *Dst, llvm::Value *Addr,
                              llvm::Value *Len, bool User, SMLoc Loc);
  llvm::Value *emitStringBuiltin(FunctionCall *E, BuiltinID ID);
  /// Scratch memory of Bytes; the verifier may see accesses up to Reach
  /// bytes from its start (bounded but data-dependent offsets).
  llvm::Value *allocScratch(unsigned Bytes, unsigned Reach);
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

  // CGTarget.cpp
  llvm::Value *emitTargetExpr(TargetExpr *E);
  /// Follow `->a->b[2]` from a pointer of BTF type TypeId with CO-RE
  /// relocated accesses; returns the final value as a long.
  llvm::Value *emitMemberChain(TargetExpr *E, llvm::Value *Base,
                               uint32_t TypeId);

  /// A runtime error: send an ERROR record and branch out of the probe
  /// (the current block is terminated afterwards).
  void emitRuntimeError(SMLoc Loc, llvm::StringRef Message,
                        llvm::ArrayRef<llvm::Value *> Args = {},
                        llvm::ArrayRef<TypeKind> Types = {});
  /// Branch to Exit when Cond (i1) holds, continuing in a new block.
  void exitIf(llvm::Value *Cond, SMLoc Loc, llvm::StringRef Message);
  /// Start a fresh block after a terminator so emission can go on.
  void startDeadBlock();

  /// Whether this probe's code uses the per-CPU scratch area (strings,
  /// output records with arguments); see CGProbe.cpp.
  bool needsScratch();

  void setLoc(SMLoc Loc);
  llvm::Value *getLocal(const VarDecl *V);
  void initLocals(llvm::ArrayRef<VarDecl *> Vars);

  CodeGenModule &CGM;
  const ProbeInstance &Probe;
  unsigned Index;
  BPFIRBuilder B;
  llvm::Function *Fn = nullptr;
  llvm::DISubprogram *SP = nullptr;
  llvm::Value *CtxArg = nullptr;
  llvm::Value *Scratch = nullptr; // this CPU's scratch buffer
  llvm::BasicBlock *ExitBB = nullptr;
  unsigned NextSlot = 0;

  llvm::DenseMap<const VarDecl *, llvm::Value *> Locals;
  struct LoopTargets {
    llvm::BasicBlock *Break, *Continue;
  };
  std::vector<LoopTargets> Loops;
  struct InlineFrame {
    FunctionDecl *Fn;
    llvm::Value *Result; // alloca (long) or slot (string), or null
    llvm::BasicBlock *Return;
    size_t LoopDepth;
  };
  std::vector<InlineFrame> Frames;
  /// Enclosing try blocks, innermost last: a runtime error inside one
  /// branches to its catch block instead of ending the probe.
  struct TryHandler {
    llvm::BasicBlock *Catch;
    llvm::Value *Message; // the catch variable's slot, or null
  };
  std::vector<TryHandler> Tries;
};

} // namespace stapc

#endif
