// W4, hand-written: count context switches by the name of the task
// switched out (the current task) on sched:sched_switch.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct comm {
  char name[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, struct comm);
  __type(value, __u64);
} switches SEC(".maps");

SEC("tp_btf/sched_switch")
int count_switch(__u64 *ctx) {
  struct comm Key = {};
  bpf_get_current_comm(Key.name, sizeof(Key.name));
  __u64 *Count = bpf_map_lookup_elem(&switches, &Key);
  if (Count) {
    __sync_fetch_and_add(Count, 1);
    return 0;
  }
  __u64 One = 1;
  bpf_map_update_elem(&switches, &Key, &One, BPF_NOEXIST);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
