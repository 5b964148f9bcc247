//===- KernelFunctions.h - Kernel function prototypes from BTF --*- C++ -*-===//
//
// `probe kernel.function("vfs_read")` needs the function's parameters
// ($file, $count, ...) and its return type ($return). BTF has a FUNC record
// per (non-inlined) kernel function, whose FUNC_PROTO names the parameters.
// Which of those functions can be traced is known only to the running
// kernel: tracefs's available_filter_functions lists them (functions marked
// notrace, or inlined everywhere, are absent).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_BTF_KERNELFUNCTIONS_H
#define STAPC_BTF_KERNELFUNCTIONS_H

#include "stapc/BTF/KernelBTF.h"

#include "llvm/ADT/StringSet.h"

#include <optional>

namespace stapc {

struct FunctionParam {
  std::string Name; ///< "" for an unnamed parameter.
  uint32_t TypeId;  ///< Unstripped BTF type id.
};

struct FunctionProto {
  std::string Name;
  std::vector<FunctionParam> Params;
  uint32_t ReturnTypeId = 0; ///< 0: void.
  bool Variadic = false;
};

/// Which functions of a BTF a lookup sees: vmlinux's, or (in a module's
/// split BTF) only the module's own.
enum class FunctionScope { Vmlinux, Module };

/// The prototype of kernel function \p Name (exact name).
llvm::Expected<FunctionProto>
findKernelFunction(const KernelBTF &K, llvm::StringRef Name,
                   FunctionScope Scope = FunctionScope::Vmlinux);

/// Names of every BTF FUNC matching the glob \p Pattern, sorted and unique.
/// When \p Traceable is given, only names in it are returned.
llvm::Expected<std::vector<std::string>>
matchKernelFunctions(const KernelBTF &K, llvm::StringRef Pattern,
                     const llvm::StringSet<> *Traceable = nullptr,
                     FunctionScope Scope = FunctionScope::Vmlinux);

/// The functions ftrace can attach to on the running kernel (tracefs's
/// available_filter_functions, module suffixes dropped), or nullopt when
/// tracefs cannot be read.
std::optional<llvm::StringSet<>> readTraceableFunctions(llvm::StringRef Root = "");

} // namespace stapc

#endif // STAPC_BTF_KERNELFUNCTIONS_H
