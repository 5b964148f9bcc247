//===- BPFIRBuilder.h - IRBuilder that knows BPF idioms --------*- C++ -*-===//
//
// Helper calls by id, the map helpers, probe reads and ring buffer output.
// Everything BPF-specific about emitting instructions lives here so the
// statement/expression code reads like the language it lowers.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_BPFIRBUILDER_H
#define STAPC_LIB_CODEGEN_BPFIRBUILDER_H

#include "llvm/IR/IRBuilder.h"

namespace stapc {

/// Kernel helper ids (include/uapi/linux/bpf.h, stable ABI).
enum class BPFHelper : uint64_t {
  MapLookupElem = 1,
  MapUpdateElem = 2,
  MapDeleteElem = 3,
  KtimeGetNs = 5,
  GetSmpProcessorId = 8,
  GetCurrentPidTgid = 14,
  GetCurrentUidGid = 15,
  GetCurrentComm = 16,
  GetCurrentTask = 35,
  Jiffies64 = 118,
  ProbeReadUser = 112,
  ProbeReadKernel = 113,
  ProbeReadUserStr = 114,
  ProbeReadKernelStr = 115,
  RingbufOutput = 130,
  Snprintf = 165,
  ForEachMapElem = 164,
  Loop = 181,
  KtimeGetBootNs = 125,
  MapLookupPercpuElem = 195,
  KtimeGetTaiNs = 208,
};

/// Map update flags.
enum : uint64_t { BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2 };

class BPFIRBuilder : public llvm::IRBuilder<> {
public:
  BPFIRBuilder(llvm::LLVMContext &C) : llvm::IRBuilder<>(C) {}

  llvm::CallInst *createHelperCall(BPFHelper ID, llvm::Type *Ret,
                                   llvm::ArrayRef<llvm::Value *> Args,
                                   const llvm::Twine &Name = "");

  llvm::Value *createMapLookup(llvm::Value *Map, llvm::Value *KeyPtr);
  llvm::Value *createMapUpdate(llvm::Value *Map, llvm::Value *KeyPtr,
                               llvm::Value *ValuePtr, uint64_t Flags);
  llvm::Value *createMapDelete(llvm::Value *Map, llvm::Value *KeyPtr);
  llvm::Value *createProbeReadKernel(llvm::Value *Dst, uint64_t Size,
                                     llvm::Value *Src);
  /// Copy a NUL-terminated string of at most Size bytes (incl. NUL);
  /// returns the length copied including the NUL, or a negative errno.
  llvm::Value *createProbeReadKernelStr(llvm::Value *Dst, uint64_t Size,
                                        llvm::Value *Src);
  llvm::Value *createRingbufOutput(llvm::Value *RingBuf, llvm::Value *Data,
                                   llvm::Value *Size);

  /// Helpers whose result cannot change during one probe hit.
  static bool isPureWithinProbe(BPFHelper ID);

  llvm::Value *getInt64(int64_t V) { return llvm::IRBuilder<>::getInt64(V); }

  /// Add one to a shared u64 counter (lost records, skipped probes)
  /// without a lock.
  void createCounterIncrement(llvm::Value *Counter);

  /// A loop back edge that LLVM must not unroll: bounded BPF loops over
  /// string bytes or CPUs would only grow the program.
  llvm::BranchInst *createNoUnrollCondBr(llvm::Value *Cond,
                                         llvm::BasicBlock *Back,
                                         llvm::BasicBlock *Exit);

  /// V, with everything LLVM knows about it hidden (an empty inline asm),
  /// so that a following mask or clamp that only the verifier needs is
  /// kept. Linux 6.1's verifier learns no bounds from comparing two
  /// registers: `min(len, room)` must be re-bounded with a constant.
  llvm::Value *createOpaque(llvm::Value *V);

  /// An alloca in the entry block of the current function (so the verifier
  /// sees a fixed stack layout), zero-initialised where it is created.
  llvm::AllocaInst *createEntryAlloca(llvm::Type *Ty, const llvm::Twine &Name);
};

} // namespace stapc

#endif
