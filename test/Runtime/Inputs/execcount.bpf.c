/* Counts exec events into a map: all of them, and those of target(). end
 * prints the target's count; `-T` or `-c` ends the session. */
#include "stapc_test.h"

STAPC_META(
  "probe on_exec event \"kernel.trace(\\\"sched_process_exec\\\")\"\n"
  "probe report end 0 \"end\"\n"
  "format 0 \"end: target=%d target execs=%d any execs=%s\\n\"\n");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __s64);
} counts SEC(".maps");

static __always_inline void bump(__u32 key) {
  __s64 *v = bpf_map_lookup_elem(&counts, &key);
  if (v)
    __sync_fetch_and_add(v, 1);
}

SEC("tp_btf/sched_process_exec") int on_exec(void *ctx) {
  if (stapc_exiting)
    return 0;
  bump(0);
  if (stapc_target_pid && (bpf_get_current_pid_tgid() >> 32) == stapc_target_pid)
    bump(1);
  return 0;
}

SEC("raw_tp") int report(void *ctx) {
  __u32 k0 = 0, k1 = 1;
  __s64 *any = bpf_map_lookup_elem(&counts, &k0);
  __s64 *target = bpf_map_lookup_elem(&counts, &k1);
  __s64 a = any ? *any : 0, t = target ? *target : 0;
  PRINTF(0, {
    off = put_long(r, off, stapc_target_pid != 0);
    off = put_long(r, off, t);
    if (a > 0)
      off = put_str(r, off, "some", 4);
    else
      off = put_str(r, off, "none", 4);
  });
  return 0;
}
