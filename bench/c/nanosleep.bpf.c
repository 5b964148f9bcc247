// W6, hand-written: log2 histogram of nanosleep() latency in ns, from
// raw_syscalls:sys_enter to raw_syscalls:sys_exit (syscall 35 on x86-64),
// entry times keyed by thread id.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pt_regs {
  unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, __u32);
  __type(value, __u64);
} start SEC(".maps");

__u64 hist[65]; // As in readsize.bpf.c: bucket 0 is 0, k is [2^(k-1), 2^k).

static __always_inline unsigned bucketOf(__u64 V) {
  unsigned B = 0;
  if (V >> 32) { V >>= 32; B += 32; }
  if (V >> 16) { V >>= 16; B += 16; }
  if (V >> 8) { V >>= 8; B += 8; }
  if (V >> 4) { V >>= 4; B += 4; }
  if (V >> 2) { V >>= 2; B += 2; }
  if (V >> 1) { B += 1; }
  return V ? B + 1 : 0;
}

SEC("tp_btf/sys_enter")
int sleep_enter(__u64 *ctx) {
  if ((long)ctx[1] != 35) // __NR_nanosleep
    return 0;
  __u32 Tid = (__u32)bpf_get_current_pid_tgid();
  __u64 Now = bpf_ktime_get_ns();
  bpf_map_update_elem(&start, &Tid, &Now, BPF_ANY);
  return 0;
}

SEC("tp_btf/sys_exit")
int sleep_exit(__u64 *ctx) {
  struct pt_regs *Regs = (struct pt_regs *)ctx[0];
  if (Regs->orig_ax != 35)
    return 0;
  __u32 Tid = (__u32)bpf_get_current_pid_tgid();
  __u64 *Then = bpf_map_lookup_elem(&start, &Tid);
  if (!Then)
    return 0;
  unsigned B = bucketOf(bpf_ktime_get_ns() - *Then);
  bpf_map_delete_elem(&start, &Tid);
  if (B < 65)
    __sync_fetch_and_add(&hist[B], 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
