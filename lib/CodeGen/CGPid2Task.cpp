//===- CGPid2Task.cpp - pid2task(): a task_struct by its pid --------------===//
//
// The kernel's pid lookup (find_task_by_vpid) is no BPF helper, and the
// bpf_task_from_pid kfunc only exists from Linux 6.2 on. So pid2task()
// walks the list every process's main thread is on (task_struct.tasks,
// the one for_each_process walks) from the current process, in a bpf_loop
// callback, comparing task_struct.pid: it finds processes (and their main
// threads), not the other threads of a process. Both member offsets are
// CO-RE relocated (read in the probe, handed to the callback in scratch).
//
//===----------------------------------------------------------------------===//
#include "CGScratchLoop.h"

#include "stapc/BTF/BTFDIBuilder.h"

using namespace stapc;
using namespace llvm;

namespace {
/// At most this many processes are walked before giving up (Linux's
/// default pid_max is 32768, or 4M on big machines; the walk stops at the
/// end of the list well before that on most systems).
constexpr uint64_t MaxWalk = 1 << 20;

/// Scratch slots of the walk (8 bytes each).
/// Reads land in scratch too: the probe's 512-byte stack is shared with
/// the callback's.
enum Slot : unsigned {
  Cur, Start, Wanted, Found, TasksOff, PidOff, ReadBuf, NumSlots
};
} // namespace

/// The CO-RE relocated byte offset of task_struct member Name, as an i64
/// (Base is any pointer: only the relocation is kept).
static Value *taskMemberOffset(ProbeEmitter &PE, Value *Base, StringRef Name,
                               SMLoc Loc) {
  CodeGenModule &CGM = PE.CGM;
  KernelBTF &K = *CGM.getOptions().BTF;
  auto Task = K.findType("struct task_struct");
  auto Path = Task ? K.findMember(*Task, Name)
                   : Expected<MemberPath>(Task.takeError());
  if (!Path) {
    CGM.getDiags().error(Loc, "pid2task() needs task_struct." + Name +
                                  " in the kernel's BTF: " +
                                  toString(Path.takeError()));
    return PE.B.getInt64(0);
  }
  BTFDIBuilder &DB = *CGM.getBTFDIBuilder();
  FieldAddress F = DB.emitMemberAddress(PE.B, Base, *Path);
  return PE.B.CreateZExt(
      DB.emitFieldInfo(PE.B, F.Addr, FieldInfoKind::ByteOffset),
      PE.B.getInt64Ty());
}

Value *ProbeEmitter::emitPid2Task(FunctionCall *E) {
  Value *Pid = emitExpr(E->getArgs()[0]);
  setLoc(E->getLoc());
  if (!CGM.getOptions().BTF) {
    CGM.getDiags().error(E->getLoc(), "pid2task() needs kernel BTF");
    return B.getInt64(0);
  }
  Type *I64 = B.getInt64Ty();
  Value *Current = B.createHelperCall(BPFHelper::GetCurrentTask, I64, {}, "task");
  Value *CurPtr = B.CreateIntToPtr(Current, B.getPtrTy());
  Value *Tasks = taskMemberOffset(*this, CurPtr, "tasks", E->getLoc());
  Value *PidAt = taskMemberOffset(*this, CurPtr, "pid", E->getLoc());
  Value *Leader = taskMemberOffset(*this, CurPtr, "group_leader", E->getLoc());

  unsigned Base = scratchOffset(*this, allocScratchPtr(8 * NumSlots, 0));
  auto SlotAt = [&](unsigned S) { return scratchAt(Base + 8 * S); };
  // The walk starts at the current process's main thread (the one on the
  // list), and ends when it comes back there.
  B.CreateStore(B.getInt64(0), SlotAt(Start));
  B.createProbeReadKernel(SlotAt(Start), 8,
                          B.CreateGEP(B.getInt8Ty(), CurPtr, Leader));
  B.CreateStore(B.CreateLoad(I64, SlotAt(Start)), SlotAt(Cur));
  B.CreateStore(Pid, SlotAt(Wanted));
  B.CreateStore(B.getInt64(0), SlotAt(Found));
  B.CreateStore(Tasks, SlotAt(TasksOff));
  B.CreateStore(PidAt, SlotAt(PidOff));

  emitScratchLoop(*this, B.getInt64(MaxWalk), [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    auto Read = [&](Value *Addr, unsigned Size, const Twine &Name) {
      Value *Tmp = L.at(Base + 8 * ReadBuf);
      CB.CreateStore(CB.getInt64(0), Tmp);
      Value *Err = CB.createProbeReadKernel(
          Tmp, Size, CB.CreateIntToPtr(Addr, CB.getPtrTy()));
      L.check(CB.CreateICmpEQ(Err, CB.getInt64(0)), L.Stop);
      return CB.CreateLoad(CB.getInt64Ty(), Tmp, Name);
    };
    Value *At = L.load(Base + 8 * Cur);
    Value *Off = L.load(Base + 8 * TasksOff);
    // tasks.next points at the next task's `tasks` member.
    Value *Next =
        CB.CreateSub(Read(CB.CreateAdd(At, Off), 8, "next"), Off, "task");
    L.store(Next, Base + 8 * Cur);
    Value *NextPid = Read(CB.CreateAdd(Next, L.load(Base + 8 * PidOff)), 4, "pid");
    Value *Wanted32 = CB.CreateAnd(L.load(Base + 8 * Wanted), 0xffffffff);
    auto *Match = BasicBlock::Create(CB.getContext(), "found",
                                     CB.GetInsertBlock()->getParent());
    auto *Other = BasicBlock::Create(CB.getContext(), "other",
                                     CB.GetInsertBlock()->getParent());
    CB.CreateCondBr(CB.CreateICmpEQ(NextPid, Wanted32), Match, Other);
    CB.SetInsertPoint(Match);
    L.store(Next, Base + 8 * Found);
    CB.CreateBr(L.Stop);
    // Back at the start (checked last, so the start is compared too).
    CB.SetInsertPoint(Other);
    CB.CreateCondBr(CB.CreateICmpEQ(Next, L.load(Base + 8 * Start)), L.Stop,
                    L.Next);
  });
  // The current thread itself need not be on the list.
  B.CreateStore(B.getInt64(0), SlotAt(ReadBuf));
  B.createProbeReadKernel(SlotAt(ReadBuf), 4,
                          B.CreateGEP(B.getInt8Ty(), CurPtr, PidAt));
  Value *IsCurrent = B.CreateICmpEQ(B.CreateLoad(I64, SlotAt(ReadBuf)),
                                    B.CreateAnd(Pid, 0xffffffff));
  return B.CreateSelect(IsCurrent, Current, B.CreateLoad(I64, SlotAt(Found)),
                        "pid2task");
}
