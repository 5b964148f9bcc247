//===- Attach.cpp - Attach event and perf probes --------------------------===//
#include "Attach.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stapc::runtime {

static std::string errorText(int Err) { return std::strerror(Err < 0 ? -Err : Err); }

static bpf_program *findProgram(bpf_object *Obj, const ProbeDecl &P, std::string &Err) {
  bpf_program *Prog = bpf_object__find_program_by_name(Obj, P.Program.c_str());
  if (!Prog)
    Err = "probe '" + P.Point + "': the object has no BPF program '" + P.Program + "'";
  return Prog;
}

/// libbpf resolves `tracepoint/` programs through tracefs, which minimal
/// systems may not mount. Mount it where libbpf looks when debugfs's copy
/// is absent, so such objects still run.
static bool mountTracefsIfMissing() {
  if (access("/sys/kernel/tracing/events", F_OK) == 0 ||
      access("/sys/kernel/debug/tracing", F_OK) == 0)
    return false;
  return mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0;
}

static bool isTracefsTracepoint(const bpf_program *Prog) {
  const char *Sec = bpf_program__section_name(Prog);
  return std::strncmp(Sec, "tracepoint/", 11) == 0 || std::strncmp(Sec, "tp/", 3) == 0;
}

bool AttachedProbes::attachEvent(bpf_object *Obj, const ProbeDecl &P, std::string &Err) {
  bpf_program *Prog = findProgram(Obj, P, Err);
  if (!Prog)
    return false;
  bpf_link *Link = bpf_program__attach(Prog);
  int E = Link ? 0 : -errno;
  if (!Link && E == -ENOENT && isTracefsTracepoint(Prog) && mountTracefsIfMissing()) {
    Link = bpf_program__attach(Prog);
    E = Link ? 0 : -errno;
  }
  if (!Link) {
    Err = "cannot attach probe '" + P.Point + "' (program '" + P.Program + "', section '" +
          bpf_program__section_name(Prog) + "'): " + errorText(E);
    return false;
  }
  Links.push_back(Link);
  return true;
}

static int openPerfEvent(const PerfSpec &S, int Cpu) {
  perf_event_attr A;
  std::memset(&A, 0, sizeof(A));
  A.size = sizeof(A);
  A.type = S.Type;
  A.config = S.Config;
  if (S.UseFrequency) {
    A.freq = 1;
    A.sample_freq = S.PeriodOrFrequency;
  } else {
    A.sample_period = S.PeriodOrFrequency;
  }
  return static_cast<int>(syscall(__NR_perf_event_open, &A, -1, Cpu, -1, PERF_FLAG_FD_CLOEXEC));
}

bool AttachedProbes::attachPerf(bpf_object *Obj, const ProbeDecl &P, std::string &Err) {
  bpf_program *Prog = findProgram(Obj, P, Err);
  if (!Prog)
    return false;
  int Cpus = P.Perf.AllCpus ? libbpf_num_possible_cpus() : 1;
  if (Cpus <= 0)
    Cpus = 1;
  unsigned Attached = 0;
  int FirstError = 0;
  for (int Cpu = 0; Cpu < Cpus; ++Cpu) {
    int Fd = openPerfEvent(P.Perf, Cpu);
    if (Fd < 0) {
      // Possible but offline CPUs report ENODEV; skip them.
      if (errno != ENODEV && !FirstError)
        FirstError = errno;
      continue;
    }
    bpf_link *Link = bpf_program__attach_perf_event(Prog, Fd);
    if (!Link) {
      if (!FirstError)
        FirstError = errno;
      close(Fd);
      continue;
    }
    // The link owns Fd now and closes it on destroy.
    Links.push_back(Link);
    ++Attached;
  }
  if (Attached == 0 || FirstError) {
    Err = "cannot attach probe '" + P.Point + "' (perf event type " +
          std::to_string(P.Perf.Type) + " config " + std::to_string(P.Perf.Config) +
          "): " + errorText(FirstError ? FirstError : ENODEV);
    return false;
  }
  return true;
}

void AttachedProbes::detachAll() {
  for (bpf_link *L : Links)
    bpf_link__destroy(L);
  Links.clear();
}

} // namespace stapc::runtime
