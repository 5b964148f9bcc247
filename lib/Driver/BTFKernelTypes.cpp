//===- BTFKernelTypes.cpp -------------------------------------------------===//
#include "BTFKernelTypes.h"

#include "stapc/BTF/Tracepoints.h"

using namespace stapc;

KernelBTF *BTFKernelTypes::get() {
  if (!Tried) {
    Tried = true;
    auto K = KernelBTF::open(Path);
    if (K)
      BTF = std::move(*K);
    else
      Error = llvm::toString(K.takeError());
  }
  return BTF.get();
}

std::vector<std::string> BTFKernelTypes::findTracepoints(llvm::StringRef Glob) {
  KernelBTF *K = get();
  if (!K)
    return {};
  auto Names = matchTracepoints(*K, Glob);
  if (!Names) {
    llvm::consumeError(Names.takeError());
    return {};
  }
  return std::move(*Names);
}

bool BTFKernelTypes::getTracepointArgs(llvm::StringRef Name,
                                       std::vector<ContextArg> &Args) {
  KernelBTF *K = get();
  if (!K)
    return false;
  auto Proto = findTracepoint(*K, Name);
  if (!Proto) {
    llvm::consumeError(Proto.takeError());
    return false;
  }
  for (size_t I = 0; I < Proto->Args.size(); ++I) {
    ContextArg A;
    A.Name = Proto->Args[I].Name.empty() ? "arg" + std::to_string(I + 1)
                                         : Proto->Args[I].Name;
    A.Index = I;
    A.BTFType = Proto->Args[I].TypeId;
    Args.push_back(std::move(A));
  }
  return true;
}
