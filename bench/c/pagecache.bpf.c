// Hand-written libbpf equivalent of examples/pagecache.stp, the baseline for
// bench/run-slice.sh: count page-cache additions per process and remember
// which process has added the most. Kept minimal on purpose (no vmlinux.h:
// the probe reads no kernel types), so its compile time is clang's floor.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Same capacity as the script's `global faults[250]`.
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 250);
  __type(key, __s64);
  __type(value, __s64);
} faults SEC(".maps");

// -1 until the first event, like the script's `global max = -1`.
__s64 max_pid = -1;

// tp_btf, the same program type stapc emits for kernel.trace(), so that the
// per-event figures compare generated code rather than attach mechanisms.
SEC("tp_btf/mm_filemap_add_to_page_cache")
int count_page_cache_add(__u64 *ctx) {
  __s64 pid = bpf_get_current_pid_tgid() >> 32;
  __s64 *count = bpf_map_lookup_elem(&faults, &pid);
  if (!count) {
    __s64 zero = 0;
    // NOEXIST: another CPU may have created it meanwhile; then we add to theirs.
    bpf_map_update_elem(&faults, &pid, &zero, BPF_NOEXIST);
    count = bpf_map_lookup_elem(&faults, &pid);
    if (!count)
      return 0; // The map is full.
  }
  __s64 mine = __sync_fetch_and_add(count, 1) + 1;
  __s64 best_pid = max_pid;
  if (best_pid == -1) {
    max_pid = pid;
    return 0;
  }
  __s64 *best = bpf_map_lookup_elem(&faults, &best_pid);
  if (!best || mine > *best)
    max_pid = pid;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
