//===- KernelTypes.h - What Sema needs to know about kernel types -*- C++ -*-===//
//
// The narrow view of kernel BTF that elaboration uses. lib/BTF implements it
// over libbpf's btf API; tests can implement it over a fixture.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_SEMA_KERNELTYPES_H
#define STAPC_SEMA_KERNELTYPES_H

#include "stapc/Sema/Program.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace stapc {

/// How a typed value reads as a script value.
enum class TypedValueKind { Integer, Pointer, Array, Aggregate, Unknown };

class KernelTypes {
public:
  virtual ~KernelTypes() = default;

  /// Tracepoints matching Glob (`sched_*`, `sched:*`, `*:sched_switch`),
  /// sorted.
  virtual std::vector<std::string> findTracepoints(llvm::StringRef Glob) = 0;
  /// Arguments of a tracepoint after the leading `void *`; false if the
  /// kernel has no such tracepoint.
  virtual bool getTracepointArgs(llvm::StringRef Name,
                                 std::vector<ContextArg> &Args) = 0;
  /// Kernel functions matching Glob that can be probed (on the running
  /// kernel: those ftrace lists as traceable), sorted. \p Module is "" for
  /// vmlinux's functions, else a kernel module's name (module("m")): only
  /// that module's own functions, from its BTF.
  virtual std::vector<std::string> findFunctions(llvm::StringRef Glob,
                                                 llvm::StringRef Module) = 0;
  /// Whether kernel function Name exists in BTF but cannot be traced
  /// (notrace, or inlined everywhere), for a precise diagnostic.
  virtual bool isUntraceableFunction(llvm::StringRef Name,
                                     llvm::StringRef Module) = 0;
  /// Parameters of kernel function Name and its return type (0: void);
  /// false if BTF has no such function.
  virtual bool getFunctionArgs(llvm::StringRef Name, llvm::StringRef Module,
                               std::vector<ContextArg> &Args,
                               uint32_t &ReturnType) = 0;
  /// Makes kernel module \p Module's types available (its functions, and
  /// the types they use), or says why it cannot in \p Error. One module
  /// per compilation: BTF type ids of two modules overlap.
  virtual bool useModule(llvm::StringRef Module, std::string &Error) = 0;
  /// A C spelling of a BTF type, for listings ("struct task_struct *").
  virtual std::string typeName(uint32_t BTFType) = 0;
};

} // namespace stapc

#endif
