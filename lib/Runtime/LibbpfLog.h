//===- LibbpfLog.h - Capture libbpf's messages -----------------*- C++ -*-===//
//
// libbpf reports everything (including the kernel verifier's log, which it
// fetches itself by retrying a failed load with a log buffer) through one
// print callback. We keep the messages so that a failure can be explained
// with the relevant part, and echo them with -vv.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_RUNTIME_LIBBPFLOG_H
#define STAPC_LIB_RUNTIME_LIBBPFLOG_H

#include <optional>
#include <string>

namespace stapc::runtime {

/// Routes libbpf's print callback into our buffer. Verbosity >= 2 also
/// echoes every message to stderr.
void installLibbpfLog(int Verbosity);

/// Everything libbpf printed since the last call (warnings and above
/// unless Verbosity >= 2), and clears it.
std::string takeLibbpfLog();

/// A program the kernel refused, found in libbpf's messages.
struct VerifierFailure {
  std::string Program; ///< BPF program name.
  std::string Summary; ///< The verifier's last complaint.
  std::string Tail;    ///< The last lines of the verifier log.
};

std::optional<VerifierFailure> findVerifierFailure(const std::string &Log,
                                                   unsigned TailLines = 20);

} // namespace stapc::runtime

#endif
