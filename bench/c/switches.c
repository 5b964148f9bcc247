// W4 loader: attach, wait for SIGINT/SIGTERM, print "NAME COUNT" lines,
// highest count first.
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "switches.skel.h"

struct Entry {
  char Name[16];
  __u64 Count;
};

static int byCountDown(const void *A, const void *B) {
  const struct Entry *X = A, *Y = B;
  return X->Count < Y->Count ? 1 : X->Count > Y->Count ? -1 : 0;
}

int main(void) {
  struct switches_bpf *Skel = switches_bpf__open_and_load();
  if (!Skel || switches_bpf__attach(Skel) != 0) {
    fprintf(stderr, "switches: cannot load or attach\n");
    return 1;
  }
  announceAttached();
  waitForStop();
  switches_bpf__detach(Skel);

  static struct Entry Entries[10240];
  size_t N = 0;
  char Key[16], Prev[16];
  int HavePrev = 0;
  while (N < 10240 && bpf_map__get_next_key(Skel->maps.switches, HavePrev ? Prev : NULL, Key,
                                            sizeof(Key)) == 0) {
    if (bpf_map__lookup_elem(Skel->maps.switches, Key, sizeof(Key), &Entries[N].Count,
                             sizeof(__u64), 0) == 0) {
      memcpy(Entries[N].Name, Key, sizeof(Key));
      Entries[N].Name[15] = 0;
      ++N;
    }
    memcpy(Prev, Key, sizeof(Key));
    HavePrev = 1;
  }
  qsort(Entries, N, sizeof(Entries[0]), byCountDown);
  for (size_t I = 0; I < N; ++I)
    printf("%s %llu\n", Entries[I].Name, (unsigned long long)Entries[I].Count);
  switches_bpf__destroy(Skel);
  return 0;
}
