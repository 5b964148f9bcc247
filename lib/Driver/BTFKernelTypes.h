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
  std::vector<std::string> findFunctions(llvm::StringRef Glob) override;
  bool isUntraceableFunction(llvm::StringRef Name) override;
  bool getFunctionArgs(llvm::StringRef Name, std::vector<ContextArg> &Args,
                       uint32_t &ReturnType) override;
  std::string typeName(uint32_t BTFType) override;

  /// The BTF, or null after reporting why it could not be read (once).
  KernelBTF *get();
  std::string takeError() { return std::move(Error); }

private:
  std::string Path;
  std::unique_ptr<KernelBTF> BTF;
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
