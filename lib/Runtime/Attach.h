//===- Attach.h - Attach event and perf probes -----------------*- C++ -*-===//
#ifndef STAPC_LIB_RUNTIME_ATTACH_H
#define STAPC_LIB_RUNTIME_ATTACH_H

#include "stapc/Runtime/ObjectMeta.h"

#include <string>
#include <vector>

struct bpf_object;
struct bpf_link;

namespace stapc::runtime {

/// Every link the session created. Links are never pinned, so even a
/// killed loader leaves nothing attached: the kernel drops them with the
/// last file descriptor.
class AttachedProbes {
public:
  AttachedProbes() = default;
  AttachedProbes(const AttachedProbes &) = delete;
  AttachedProbes &operator=(const AttachedProbes &) = delete;
  ~AttachedProbes() { detachAll(); }

  /// `event` probes: libbpf attaches by the program's SEC() name.
  bool attachEvent(bpf_object *Obj, const ProbeDecl &P, std::string &Err);
  /// `perf` probes: one perf event per CPU (or CPU 0), program attached.
  bool attachPerf(bpf_object *Obj, const ProbeDecl &P, std::string &Err);
  /// `uprobe` probes: by path and file offset (AttachUprobe.cpp).
  bool attachUprobe(bpf_object *Obj, const ProbeDecl &P, std::string &Err);
  void detachAll();
  size_t size() const { return Links.size(); }

private:
  std::vector<bpf_link *> Links;
};

} // namespace stapc::runtime

#endif
