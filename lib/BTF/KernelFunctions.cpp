//===- KernelFunctions.cpp - Kernel function prototypes from BTF ----------===//

#include "stapc/BTF/KernelFunctions.h"
#include "stapc/BTF/Tracepoints.h"

#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"

#include <bpf/btf.h>

#include <algorithm>

using namespace llvm;

namespace stapc {

static Error functionError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

static bool inScope(const KernelBTF &K, uint32_t Id, FunctionScope Scope) {
  return K.isModuleType(Id) == (Scope == FunctionScope::Module);
}

Expected<FunctionProto> findKernelFunction(const KernelBTF &K, StringRef Name,
                                           FunctionScope Scope) {
  for (uint32_t Id : K.findByName(Name, BTF_KIND_FUNC)) {
    if (!inScope(K, Id, Scope))
      continue;
    const struct btf_type *F = K.typeById(Id);
    const struct btf_type *FP = F ? K.typeById(F->type) : nullptr;
    if (!FP || !btf_is_func_proto(FP))
      continue;
    FunctionProto Proto;
    Proto.Name = Name.str();
    Proto.ReturnTypeId = FP->type;
    const struct btf_param *P = btf_params(FP);
    for (unsigned I = 0, E = btf_vlen(FP); I < E; ++I) {
      // A trailing parameter of type 0 marks `...`.
      if (P[I].type == 0 && I + 1 == E) {
        Proto.Variadic = true;
        break;
      }
      Proto.Params.push_back(
          {btf__name_by_offset(K.raw(), P[I].name_off), P[I].type});
    }
    return Proto;
  }
  return functionError("the kernel's BTF has no function '" + Name + "'");
}

Expected<std::vector<std::string>>
matchKernelFunctions(const KernelBTF &K, StringRef Pattern,
                     const StringSet<> *Traceable, FunctionScope Scope) {
  Expected<GlobPattern> Glob = GlobPattern::create(Pattern);
  if (!Glob)
    return functionError("bad function pattern '" + Pattern +
                         "': " + toString(Glob.takeError()));
  // The literal prefix narrows the name index walk.
  StringRef Prefix = Pattern.take_until(
      [](char C) { return C == '*' || C == '?' || C == '[' || C == '{' || C == '\\'; });
  std::vector<std::string> Names;
  for (StringRef N : K.namesWithPrefix(Prefix, BTF_KIND_FUNC))
    if (Glob->match(N) && (!Traceable || Traceable->count(N)) &&
        llvm::any_of(K.findByName(N, BTF_KIND_FUNC),
                     [&](uint32_t Id) { return inScope(K, Id, Scope); }))
      Names.push_back(N.str());
  std::sort(Names.begin(), Names.end());
  Names.erase(std::unique(Names.begin(), Names.end()), Names.end());
  return Names;
}

std::optional<StringSet<>> readTraceableFunctions(StringRef Root) {
  std::string Dir = Root.str();
  if (Dir.empty()) {
    std::optional<std::string> Found = findTracefsRoot();
    if (!Found)
      return std::nullopt;
    Dir = *Found;
  }
  auto Buf = MemoryBuffer::getFileAsStream(Dir + "/available_filter_functions");
  if (!Buf)
    return std::nullopt;
  StringSet<> Names;
  StringRef Text = (*Buf)->getBuffer();
  while (!Text.empty()) {
    StringRef Line;
    std::tie(Line, Text) = Text.split('\n');
    // "name" or "name [module]"
    StringRef Name = Line.take_until([](char C) { return C == ' ' || C == '\t'; });
    if (!Name.empty())
      Names.insert(Name);
  }
  return Names;
}

} // namespace stapc
