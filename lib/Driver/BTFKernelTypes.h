//===- BTFKernelTypes.h - Sema's view of kernel types, over BTF -*- C++ -*-===//
#ifndef STAPC_LIB_DRIVER_BTFKERNELTYPES_H
#define STAPC_LIB_DRIVER_BTFKERNELTYPES_H

#include "stapc/BTF/KernelBTF.h"
#include "stapc/Sema/KernelTypes.h"

namespace stapc {

/// Opens the BTF on first use, so scripts without typed probes never touch
/// /sys/kernel/btf.
class BTFKernelTypes : public KernelTypes {
public:
  explicit BTFKernelTypes(std::string Path) : Path(std::move(Path)) {}

  std::vector<std::string> findTracepoints(llvm::StringRef Glob) override;
  bool getTracepointArgs(llvm::StringRef Name,
                         std::vector<ContextArg> &Args) override;
  std::string typeName(uint32_t BTFType) override;

  /// The BTF, or null after reporting why it could not be read (once).
  KernelBTF *get();
  std::string takeError() { return std::move(Error); }

private:
  std::string Path;
  std::unique_ptr<KernelBTF> BTF;
  bool Tried = false;
  std::string Error;
};

} // namespace stapc

#endif
