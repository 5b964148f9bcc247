//===- UserProbe.h - A resolved process(...) probe point --------*- C++ -*-===//
//
// What a uprobe instance (ProbeKind::Uprobe) attaches to and what its
// context offers: a function's entry or return (parameters, $return, from
// DWARF when there is some) or one site of an SDT marker (arguments from
// the note's argument specs).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_SEMA_USERPROBE_H
#define STAPC_SEMA_USERPROBE_H

#include "stapc/Sema/UserBinary.h"

#include <functional>
#include <string>
#include <vector>

namespace stapc {

/// One argument of an SDT marker, parsed from its spec (`-4@%eax`,
/// `8@-16(%rbp)`, `4@$5`, `8@sym+8(%rip)`): x86-64 only.
struct UsdtArg {
  enum KindTy { Register, Memory, Constant, Invalid } Kind = Invalid;
  unsigned Size = 8;      // bytes of the value
  bool Signed = false;
  int RegOffset = -1;     // Register/Memory: base register in pt_regs
  unsigned RegBytes = 8;  // Register: 1, 2, 4 or 8 (%al, %ax, %eax, %rax)
  bool HighByte = false;  // Register: %ah..%dh
  int64_t Value = 0;      // Memory: displacement; Constant: the value
  bool RipRelative = false; // Memory: Value is a link-time address
  std::string Spec;       // as written in the note
  std::string Error;      // Invalid: why
};

/// Parses one argument spec; Kind is Invalid (with Error) when stapc
/// cannot read it.
UsdtArg parseUsdtArg(llvm::StringRef Spec,
                     const std::function<bool(llvm::StringRef, uint64_t &)>
                         &LookupSymbol);

/// A parameter of a probed function read at entry: the x86-64 ABI puts
/// the Nth integer-class argument in di, si, dx, cx, r8, r9, then on the
/// stack. Parameters stapc cannot place have an Error.
struct UserParam {
  std::string Name;
  UserTypeId Type = 0;
  int RegOffset = -1;       // pt_regs offset, or -1 for a stack slot
  unsigned StackSlot = 0;   // 8-byte slot above the return address (1..)
  std::string Error;
};

struct UserProbe {
  std::shared_ptr<UserBinary> Binary;
  std::string Path;          // the file the uprobe attaches to
  std::string Function;      // function, or the marker's name
  std::string Provider;      // markers only
  uint64_t Address = 0;      // link-time address of the probed instruction
  uint64_t FileOffset = 0;   // where the uprobe goes
  uint64_t SemaphoreOffset = 0; // markers: file offset of the semaphore
  bool Return = false;
  bool IsMarker = false;
  bool HasDebugInfo = false; // functions: DWARF for parameters and types
  std::vector<UserParam> Params;
  UserTypeId ReturnType = 0;
  std::vector<UsdtArg> MarkerArgs;
};

} // namespace stapc

#endif
