//===- Tracepoints.cpp - Tracepoint prototypes from btf_trace_* -----------===//

#include "stapc/BTF/Tracepoints.h"

#include "llvm/Support/GlobPattern.h"

#include <bpf/btf.h>

#include <algorithm>

using namespace llvm;

namespace stapc {

static Error btfError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

static constexpr StringLiteral TypedefPrefix = "btf_trace_";

std::pair<StringRef, StringRef> splitTracepointPattern(StringRef Pattern) {
  auto [System, Name] = Pattern.split(':');
  if (Name.empty() && !Pattern.contains(':'))
    return {"", System};
  return {System, Name};
}

/// The FUNC_PROTO behind `typedef void (*btf_trace_X)(...)`, or null.
static const struct btf_type *tracepointProto(const KernelBTF &K,
                                              uint32_t TypedefId) {
  const struct btf_type *T = K.typeById(TypedefId);
  if (!T || !btf_is_typedef(T))
    return nullptr;
  const struct btf_type *Ptr = K.typeById(T->type);
  if (!Ptr || !btf_is_ptr(Ptr))
    return nullptr;
  const struct btf_type *Proto = K.typeById(Ptr->type);
  if (!Proto || !btf_is_func_proto(Proto) || btf_vlen(Proto) == 0)
    return nullptr;
  return Proto;
}

/// The FUNC_PROTO of FUNC \p Name if its parameters have the same types as
/// \p Proto's (so it describes the same tracepoint), or null.
static const struct btf_type *
matchingNamedProto(const KernelBTF &K, const struct btf_type *Proto,
                   uint32_t FuncId) {
  const struct btf_type *F = K.typeById(FuncId);
  if (!F || !btf_is_func(F))
    return nullptr;
  const struct btf_type *FP = K.typeById(F->type);
  if (!FP || !btf_is_func_proto(FP) || btf_vlen(FP) != btf_vlen(Proto))
    return nullptr;
  const struct btf_param *A = btf_params(Proto), *B = btf_params(FP);
  for (unsigned I = 0, E = btf_vlen(Proto); I < E; ++I)
    if (K.strip(A[I].type) != K.strip(B[I].type))
      return nullptr;
  return FP;
}

static const struct btf_type *
namedProtoByFunc(const KernelBTF &K, const struct btf_type *Proto,
                 StringRef FuncName) {
  for (uint32_t Id : K.findByName(FuncName, BTF_KIND_FUNC))
    if (const struct btf_type *FP = matchingNamedProto(K, Proto, Id))
      return FP;
  return nullptr;
}

static std::vector<std::string> paramNames(const KernelBTF &K,
                                           const struct btf_type *FP) {
  std::vector<std::string> Names;
  const struct btf_param *P = btf_params(FP);
  for (unsigned I = 0, E = btf_vlen(FP); I < E; ++I)
    Names.push_back(btf__name_by_offset(K.raw(), P[I].name_off));
  return Names;
}

static size_t commonPrefix(StringRef A, StringRef B) {
  size_t N = 0;
  while (N < A.size() && N < B.size() && A[N] == B[N])
    ++N;
  return N;
}

/// Strategy 3: event classes (their probe functions `__bpf_trace_<class>`,
/// or `trace_event_raw_event_<class>` when that one was inlined away) with
/// the same parameter types, skipping classes that are other events. If they disagree on the names, the class whose
/// name shares the longest prefix with the event wins (sched_wakeup ->
/// sched_wakeup_template), provided it shares more than the subsystem
/// word and no other class ties with it; otherwise we do not guess.
static std::vector<std::string> namesFromClasses(const KernelBTF &K,
                                                 const struct btf_type *Proto,
                                                 StringRef Event) {
  std::optional<std::vector<std::string>> Agreed;
  bool Disagree = false;
  std::vector<std::string> Best;
  size_t BestLen = 0;
  bool BestTied = false;
  for (StringRef Prefix : {"__bpf_trace_", "trace_event_raw_event_"})
    for (StringRef Func : K.namesWithPrefix(Prefix, BTF_KIND_FUNC)) {
      // A class named like another tracepoint is that TRACE_EVENT's own
      // class; ours would have been found by name already.
      StringRef Class = Func.drop_front(Prefix.size());
      if (!K.findByName((TypedefPrefix + Class).str(), BTF_KIND_TYPEDEF).empty())
        continue;
      const struct btf_type *FP = namedProtoByFunc(K, Proto, Func);
      if (!FP)
        continue;
      std::vector<std::string> Names = paramNames(K, FP);
      if (Agreed && *Agreed != Names)
        Disagree = true;
      if (!Agreed)
        Agreed = Names;
      size_t Len = commonPrefix(Class, Event);
      if (Len > BestLen) {
        BestLen = Len;
        Best = std::move(Names);
        BestTied = false;
      } else if (Len == BestLen && Names != Best) {
        BestTied = true;
      }
    }
  if (!Agreed)
    return {};
  if (!Disagree)
    return *Agreed;
  size_t Subsystem = Event.find('_');
  if (BestTied || Subsystem == StringRef::npos || BestLen <= Subsystem + 1)
    return {};
  return Best;
}

Expected<TracepointProto> findTracepoint(const KernelBTF &K, StringRef Name) {
  std::string TypedefName = (TypedefPrefix + Name).str();
  const struct btf_type *Proto = nullptr;
  uint32_t TypedefId = 0;
  for (uint32_t Id : K.findByName(TypedefName, BTF_KIND_TYPEDEF))
    if ((Proto = tracepointProto(K, Id))) {
      TypedefId = Id;
      break;
    }
  if (!Proto)
    return btfError("no tracepoint '" + Name + "' in kernel BTF (" + K.path() +
                    ": no typedef " + TypedefName + ")");

  std::vector<std::string> Names;
  for (std::string Func : {"__probestub_" + Name.str(),
                           "__bpf_trace_" + Name.str()})
    if (const struct btf_type *FP = namedProtoByFunc(K, Proto, Func)) {
      Names = paramNames(K, FP);
      break;
    }
  if (Names.empty())
    Names = namesFromClasses(K, Proto, Name);

  TracepointProto TP;
  TP.Name = Name.str();
  TP.TypedefId = TypedefId;
  const struct btf_param *P = btf_params(Proto);
  // Parameter 0 is `void *__data`, the probe's private pointer.
  for (unsigned I = 1, E = btf_vlen(Proto); I < E; ++I)
    TP.Args.push_back({I < Names.size() ? Names[I] : "", P[I].type});
  return TP;
}

Expected<std::vector<std::string>> matchTracepoints(const KernelBTF &K,
                                                    StringRef NamePattern) {
  Expected<GlobPattern> Glob = GlobPattern::create(NamePattern);
  if (!Glob)
    return btfError("bad tracepoint pattern '" + NamePattern +
                    "': " + toString(Glob.takeError()));
  std::vector<std::string> Names;
  for (StringRef Typedef : K.namesWithPrefix(TypedefPrefix, BTF_KIND_TYPEDEF)) {
    StringRef Name = Typedef.drop_front(TypedefPrefix.size());
    if (Glob->match(Name))
      Names.push_back(Name.str());
  }
  std::sort(Names.begin(), Names.end());
  return Names;
}

} // namespace stapc
