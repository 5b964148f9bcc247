//===- BTFKernelTypes.cpp -------------------------------------------------===//
#include "BTFKernelTypes.h"

#include "stapc/BTF/KernelFunctions.h"
#include "stapc/BTF/Tracepoints.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"

#include <bpf/btf.h>

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
  return ModuleBTF ? ModuleBTF.get() : BTF.get();
}

/// module("kernel") and module("vmlinux") are vmlinux itself.
static bool isVmlinux(llvm::StringRef Module) {
  return Module.empty() || Module == "kernel" || Module == "vmlinux";
}

static FunctionScope scopeOf(llvm::StringRef Module) {
  return isVmlinux(Module) ? FunctionScope::Vmlinux : FunctionScope::Module;
}

bool BTFKernelTypes::useModule(llvm::StringRef Module, std::string &Err) {
  if (isVmlinux(Module) || Module == ModuleName)
    return true;
  if (!get()) {
    Err = Error;
    return false;
  }
  if (ModuleBTF) {
    Err = "a script can probe functions of one kernel module besides the "
          "kernel ('" + ModuleName + "' here): put the probes on module '" +
          Module.str() + "' in a script of their own";
    return false;
  }
  auto M = BTF->openModule(Module);
  if (!M) {
    Err = llvm::toString(M.takeError());
    return false;
  }
  ModuleBTF = std::move(*M);
  ModuleName = Module.str();
  return true;
}

std::vector<std::string> BTFKernelTypes::findTracepoints(llvm::StringRef Glob) {
  KernelBTF *K = get();
  if (!K)
    return {};
  auto [System, Name] = splitTracepointPattern(Glob);
  auto Names = matchTracepoints(*K, Name);
  if (!Names) {
    llvm::consumeError(Names.takeError());
    return {};
  }
  if (System.empty())
    return std::move(*Names);
  // BTF does not know tracepoint systems; tracefs does. Without tracefs
  // (compiling for another kernel) the system part cannot be checked.
  auto Events = listTracefsEvents();
  auto SystemGlob = llvm::GlobPattern::create(System);
  if (!Events || !SystemGlob) {
    if (!SystemGlob)
      llvm::consumeError(SystemGlob.takeError());
    return std::move(*Names);
  }
  llvm::StringSet<> InSystem;
  for (const TracefsEvent &E : *Events)
    if (SystemGlob->match(E.System))
      InSystem.insert(E.Name);
  std::vector<std::string> Result;
  for (std::string &N : *Names)
    if (InSystem.count(N))
      Result.push_back(std::move(N));
  return Result;
}

/// Context arguments in prototype order; unnamed ones are $arg1, $arg2...
template <typename ParamT>
static void appendContextArgs(const std::vector<ParamT> &Params,
                              std::vector<ContextArg> &Args) {
  for (size_t I = 0; I < Params.size(); ++I) {
    ContextArg A;
    A.Name = Params[I].Name.empty() ? "arg" + std::to_string(I + 1)
                                    : std::string(Params[I].Name);
    A.Index = I;
    A.BTFType = Params[I].TypeId;
    Args.push_back(std::move(A));
  }
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
  appendContextArgs(Proto->Args, Args);
  return true;
}

const llvm::StringSet<> *BTFKernelTypes::traceable() {
  if (!TriedTraceable) {
    TriedTraceable = true;
    if (Path.empty())
      Traceable = readTraceableFunctions();
  }
  return Traceable ? &*Traceable : nullptr;
}

std::vector<std::string> BTFKernelTypes::findFunctions(llvm::StringRef Glob,
                                                       llvm::StringRef Module) {
  KernelBTF *K = get();
  if (!K)
    return {};
  auto Names = matchKernelFunctions(*K, Glob, traceable(), scopeOf(Module));
  if (!Names) {
    llvm::consumeError(Names.takeError());
    return {};
  }
  return std::move(*Names);
}

bool BTFKernelTypes::isUntraceableFunction(llvm::StringRef Name,
                                           llvm::StringRef Module) {
  KernelBTF *K = get();
  const llvm::StringSet<> *T = traceable();
  if (!K || !T || T->count(Name))
    return false;
  auto Proto = findKernelFunction(*K, Name, scopeOf(Module));
  if (!Proto) {
    llvm::consumeError(Proto.takeError());
    return false;
  }
  return true;
}

bool BTFKernelTypes::getFunctionArgs(llvm::StringRef Name,
                                     llvm::StringRef Module,
                                     std::vector<ContextArg> &Args,
                                     uint32_t &ReturnType) {
  KernelBTF *K = get();
  if (!K)
    return false;
  auto Proto = findKernelFunction(*K, Name, scopeOf(Module));
  if (!Proto) {
    llvm::consumeError(Proto.takeError());
    return false;
  }
  appendContextArgs(Proto->Params, Args);
  ReturnType = Proto->ReturnTypeId;
  return true;
}

std::string BTFKernelTypes::typeName(uint32_t BTFType) {
  KernelBTF *K = get();
  return K ? K->typeName(BTFType) : "long";
}
