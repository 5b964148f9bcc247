// W2, hand-written: count system calls per process on raw_syscalls:sys_enter.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, __u32);
  __type(value, __u64);
} counts SEC(".maps");

SEC("tp_btf/sys_enter")
int count_syscall(__u64 *ctx) {
  __u32 pid = bpf_get_current_pid_tgid() >> 32;
  __u64 *count = bpf_map_lookup_elem(&counts, &pid);
  if (count) {
    __sync_fetch_and_add(count, 1);
    return 0;
  }
  // First call of this process; NOEXIST so a racing CPU's entry is kept
  // (then this one event is not counted: cheaper than a second lookup).
  __u64 one = 1;
  bpf_map_update_elem(&counts, &pid, &one, BPF_NOEXIST);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
