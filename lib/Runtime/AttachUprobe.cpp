//===- AttachUprobe.cpp - Attach process(...) probes as uprobes -----------===//
//
// A `uprobe` metadata line names the file and the file offset the compiler
// resolved (function symbol or SDT marker site) and, for markers with a
// semaphore, the semaphore's file offset: the kernel increments it in
// every process that maps the file while the probe is attached (libbpf
// 1.1's bpf_uprobe_opts.ref_ctr_offset), so `if (FOO_ENABLED())` guarded
// markers fire. Uprobes attach system-wide (every process, pid -1).
//
//===----------------------------------------------------------------------===//
#include "Attach.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

namespace stapc::runtime {

bool AttachedProbes::attachUprobe(bpf_object *Obj, const ProbeDecl &P, std::string &Err) {
  bpf_program *Prog = bpf_object__find_program_by_name(Obj, P.Program.c_str());
  if (!Prog) {
    Err = "probe '" + P.Point + "': the object has no BPF program '" + P.Program + "'";
    return false;
  }
  const UprobeSpec &U = P.Uprobe;
  bpf_uprobe_opts Opts;
  std::memset(&Opts, 0, sizeof(Opts));
  Opts.sz = sizeof(Opts);
  Opts.retprobe = U.Return;
  Opts.ref_ctr_offset = U.RefCtrOffset;
  bpf_link *Link = bpf_program__attach_uprobe_opts(Prog, -1, U.Path.c_str(),
                                                   U.Offset, &Opts);
  if (!Link) {
    int E = errno;
    Err = "cannot attach probe '" + P.Point + "' (uprobe on '" + U.Path + "' at offset " +
          std::to_string(U.Offset) + "): " + std::strerror(E);
    if (E == ENOENT)
      Err += " (the file is gone: recompile the script against the installed binary)";
    return false;
  }
  Links.push_back(Link);
  return true;
}

} // namespace stapc::runtime
