// W2 loader: attach, wait for SIGINT/SIGTERM, print "PID COUNT" lines,
// highest count first.
#include <stdlib.h>

#include "loader.h"
#include "syscalls.skel.h"

struct Entry {
  __u32 Pid;
  __u64 Count;
};

static int byCountDown(const void *A, const void *B) {
  const struct Entry *X = A, *Y = B;
  return X->Count < Y->Count ? 1 : X->Count > Y->Count ? -1 : 0;
}

int main(void) {
  struct syscalls_bpf *Skel = syscalls_bpf__open_and_load();
  if (!Skel || syscalls_bpf__attach(Skel) != 0) {
    fprintf(stderr, "syscalls: cannot load or attach\n");
    return 1;
  }
  announceAttached();
  waitForStop();
  syscalls_bpf__detach(Skel);

  static struct Entry Entries[10240];
  size_t N = 0;
  __u32 Key, *Prev = NULL;
  while (N < 10240 && bpf_map__get_next_key(Skel->maps.counts, Prev, &Key, sizeof(Key)) == 0) {
    if (bpf_map__lookup_elem(Skel->maps.counts, &Key, sizeof(Key), &Entries[N].Count,
                             sizeof(__u64), 0) == 0)
      Entries[N++].Pid = Key;
    Prev = &Key;
  }
  qsort(Entries, N, sizeof(Entries[0]), byCountDown);
  for (size_t I = 0; I < N; ++I)
    printf("%u %llu\n", Entries[I].Pid, (unsigned long long)Entries[I].Count);
  syscalls_bpf__destroy(Skel);
  return 0;
}
