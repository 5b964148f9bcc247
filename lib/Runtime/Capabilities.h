//===- Capabilities.h - May this process load tracing BPF? -*- C++ -*-===//
#ifndef STAPC_RUNTIME_CAPABILITIES_H
#define STAPC_RUNTIME_CAPABILITIES_H

#include <string>

namespace stapc::runtime {

/// Loading tracing programs and attaching them to tracepoints and perf
/// events needs CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN implies both).
/// Returns "" when this process has them in its effective set, else a
/// sentence naming the missing ones.
std::string missingBPFCapabilities();

} // namespace stapc::runtime

#endif
