//===- Tracepoints.h - Tracepoint prototypes from BTF and tracefs -*- C++ -*-=//
//
// `probe kernel.trace("sched_switch")` needs the tracepoint's arguments
// ($prev, $next, ...). For every tracepoint the kernel's BTF has
//
//   typedef void (*btf_trace_<name>)(void *__data, ARGS...);
//
// whose parameters are unnamed. The names come, in order of preference, from
//   1. FUNC `__probestub_<name>` (kernels >= 6.5, one per tracepoint),
//   2. FUNC `__bpf_trace_<name>` (older kernels; exists when the event is its
//      own class, i.e. TRACE_EVENT rather than DEFINE_EVENT),
//   3. the one `__bpf_trace_<class>` FUNC whose parameter types equal the
//      typedef's (if all such candidates agree on the names),
// and are left empty otherwise (the caller may synthesize $arg1...).
//
// Tracepoint *system* names ("sched:") are not in BTF; only tracefs
// (/sys/kernel/tracing/events/<system>/<name>) knows them. The BTF-only path
// ignores the system part of a pattern; listTracefsEvents() lets the caller
// check it when tracefs is mounted.
//
// Renamed tracepoints (hrtimer_init became hrtimer_setup in 6.15) are simply
// not found; aliasing is the caller's business.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_BTF_TRACEPOINTS_H
#define STAPC_BTF_TRACEPOINTS_H

#include "stapc/BTF/KernelBTF.h"

#include <optional>

namespace stapc {

struct TracepointArg {
  std::string Name; ///< "" when no BTF function names it.
  uint32_t TypeId;  ///< Unstripped BTF type id.
};

struct TracepointProto {
  std::string Name;                 ///< "sched_switch" (no system).
  std::vector<TracepointArg> Args;  ///< Without the leading `void *__data`.
  uint32_t TypedefId = 0;           ///< The btf_trace_<name> typedef.
};

/// Splits "sched:sched_switch" into {"sched", "sched_switch"}; a pattern
/// without ':' has an empty system.
std::pair<llvm::StringRef, llvm::StringRef>
splitTracepointPattern(llvm::StringRef Pattern);

/// The prototype of tracepoint \p Name (no wildcards, no system prefix).
llvm::Expected<TracepointProto> findTracepoint(const KernelBTF &K,
                                               llvm::StringRef Name);

/// Names of all tracepoints matching the glob \p NamePattern (`*`, `?`,
/// `[...]`), sorted. A pattern without wildcards yields at most one name.
/// Returns an error only for a malformed pattern; no match is an empty list.
llvm::Expected<std::vector<std::string>>
matchTracepoints(const KernelBTF &K, llvm::StringRef NamePattern);

struct TracefsEvent {
  std::string System; ///< "sched"
  std::string Name;   ///< "sched_switch"
};

/// The mounted tracefs root ("/sys/kernel/tracing" or the debugfs one), or
/// nullopt when tracefs is not available (non-root, containers...).
std::optional<std::string> findTracefsRoot();

/// Every event under \p Root/events, sorted by system then name; nullopt
/// when the directory cannot be read. \p Root defaults to findTracefsRoot().
std::optional<std::vector<TracefsEvent>>
listTracefsEvents(llvm::StringRef Root = "");

} // namespace stapc

#endif // STAPC_BTF_TRACEPOINTS_H
