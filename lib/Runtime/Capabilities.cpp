//===- Capabilities.cpp - Check the capabilities a session needs ----------===//
//
// Asked of the kernel with capget(2), without libcap: the loader links
// libbpf and libelf only. Without these capabilities libbpf fails later
// with a bare EPERM on its first map or program, which explains nothing.
//
//===----------------------------------------------------------------------===//
#include "Capabilities.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

namespace stapc::runtime {

std::string missingBPFCapabilities() {
  __user_cap_header_struct Header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct Data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &Header, Data) != 0)
    return ""; // Cannot tell; let the kernel decide.
  auto Has = [&](unsigned Cap) {
    return (Data[Cap / 32].effective >> (Cap % 32)) & 1;
  };
  if (Has(CAP_SYS_ADMIN))
    return "";
  std::string Missing;
  if (!Has(CAP_BPF))
    Missing = "CAP_BPF";
  if (!Has(CAP_PERFMON))
    Missing += Missing.empty() ? "CAP_PERFMON" : " and CAP_PERFMON";
  if (Missing.empty())
    return "";
  return "loading and attaching BPF probes needs the capabilities CAP_BPF and "
         "CAP_PERFMON (or CAP_SYS_ADMIN), and this process lacks " +
         Missing + "; run stapc-run as root (sudo) or grant them "
         "(setcap cap_bpf,cap_perfmon+ep on a copy of stapc-run)";
}

} // namespace stapc::runtime
