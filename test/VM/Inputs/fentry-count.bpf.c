// Reference fentry program for test/VM: like kprobe-count.bpf.c, but through
// a BPF trampoline, which needs the running kernel's BTF to resolve the
// target function.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} hits SEC(".maps");

SEC("fentry/do_sys_openat2")
int BPF_PROG(count_openat2_fentry) {
  __u32 slot = 0;
  __u64 *count = bpf_map_lookup_elem(&hits, &slot);
  if (count)
    __sync_fetch_and_add(count, 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
