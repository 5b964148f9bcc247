// W3, hand-written: log2 histogram of the byte counts passed to read(),
// on raw_syscalls:sys_enter (syscall 0 on x86-64).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Only the member we read; CO-RE finds its offset in the running kernel.
struct pt_regs {
  unsigned long dx;
} __attribute__((preserve_access_index));

// Bucket 0 counts 0, bucket k >= 1 counts [2^(k-1), 2^k); 65 buckets.
__u64 hist[65];

static __always_inline unsigned bucketOf(__u64 V) {
  unsigned B = 0;
  // Binary search for the highest set bit, 6 steps.
  if (V >> 32) { V >>= 32; B += 32; }
  if (V >> 16) { V >>= 16; B += 16; }
  if (V >> 8) { V >>= 8; B += 8; }
  if (V >> 4) { V >>= 4; B += 4; }
  if (V >> 2) { V >>= 2; B += 2; }
  if (V >> 1) { B += 1; }
  return V ? B + 1 : 0;
}

SEC("tp_btf/sys_enter")
int read_size(__u64 *ctx) {
  if ((long)ctx[1] != 0) // __NR_read
    return 0;
  struct pt_regs *Regs = (struct pt_regs *)ctx[0];
  unsigned B = bucketOf(Regs->dx);
  if (B < 65)
    __sync_fetch_and_add(&hist[B], 1);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
