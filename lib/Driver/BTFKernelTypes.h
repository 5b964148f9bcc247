//===- BTFKernelTypes.h - Sema's view of kernel types, over BTF -*- C++ -*-===//
#ifndef STAPC_LIB_DRIVER_BTFKERNELTYPES_H
#define STAPC_LIB_DRIVER_BTFKERNELTYPES_H

#include "stapc/BTF/KernelBTF.h"
#include "stapc/Sema/KernelTypes.h"

#include "llvm/ADT/StringSet.h"

#include <optional>

namespace stapc {

/// Opens the BTF on first use, so scripts without typed probes never touch
/// /sys/kernel/btf.
class BTFKernelTypes : public KernelTypes {
public:
  explicit BTFKernelTypes(std::string Path) : Path(std::move(Path)) {}

  std::vector<std::string> findTracepoints(llvm::StringRef Glob) override;
  bool getTracepointArgs(llvm::StringRef Name,
                         std::vector<ContextArg> &Args) override;
  std::vector<std::string> findFunctions(llvm::StringRef Glob,
                                         llvm::StringRef Module) override;
  bool isUntraceableFunction(llvm::StringRef Name,
                             llvm::StringRef Module) override;
  bool getFunctionArgs(llvm::StringRef Name, llvm::StringRef Module,
                       std::vector<ContextArg> &Args,
                       uint32_t &ReturnType) override;
  bool useModule(llvm::StringRef Module, std::string &Error) override;
  std::string typeName(uint32_t BTFType) override;

  /// The BTF, or null after reporting why it could not be read (once):
  /// vmlinux's, or once a module is used the module's split BTF, which
  /// holds vmlinux's types under the same ids and the module's after them.
  KernelBTF *get();
  std::string takeError() { return std::move(Error); }

private:
  std::string Path;
  std::unique_ptr<KernelBTF> BTF;
  std::unique_ptr<KernelBTF> ModuleBTF; // split on top of BTF
  std::string ModuleName;
  bool Tried = false;
  std::string Error;
  /// What ftrace can attach to, read once; only for the running kernel's
  /// own BTF (with --btf FILE the target kernel is elsewhere).
  const llvm::StringSet<> *traceable();
  std::optional<llvm::StringSet<>> Traceable;
  bool TriedTraceable = false;
};

} // namespace stapc

#endif
