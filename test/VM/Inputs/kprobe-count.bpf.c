// Reference kprobe program for test/VM: counts calls of do_sys_openat2 in
// a one-slot array map that the test reads back with `bpftool map dump`.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} hits SEC(".maps");

SEC("kprobe/do_sys_openat2")
int count_openat2(struct pt_regs *ctx) {
  __u32 slot = 0;
  __u64 *count = bpf_map_lookup_elem(&hits, &slot);
  if (count)
    __sync_fetch_and_add(count, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
