// Loader for pagecache.bpf.c through its bpftool-generated skeleton: attach,
// wait SECONDS (default 5, as the script's timer.s(5)) or until SIGINT/SIGTERM,
// then print the process that added the most pages.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pagecache.skel.h"

static volatile sig_atomic_t Stop;

static void onSignal(int Sig) {
  (void)Sig;
  Stop = 1;
}

static void printBusiest(struct pagecache_bpf *Skel) {
  __s64 Pid = Skel->data->max_pid;
  __s64 Pages = 0;
  if (Pid == -1 || bpf_map__lookup_elem(Skel->maps.faults, &Pid, sizeof(Pid), &Pages,
                                        sizeof(Pages), 0) != 0) {
    printf("No page cache adds detected\n");
    return;
  }
  printf("Pid %lld added %lld pages\n", (long long)Pid, (long long)Pages);
}

int main(int argc, char **argv) {
  unsigned Left = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
  struct pagecache_bpf *Skel = pagecache_bpf__open_and_load();
  if (!Skel) {
    fprintf(stderr, "pagecache: cannot load the BPF object\n");
    return 1;
  }
  if (pagecache_bpf__attach(Skel) != 0) {
    fprintf(stderr, "pagecache: cannot attach\n");
    pagecache_bpf__destroy(Skel);
    return 1;
  }
  // The marker bench/slice/measure.py times ("process start to attached").
  fprintf(stderr, "probes attached\n");
  signal(SIGINT, onSignal);
  signal(SIGTERM, onSignal);
  // sleep() returns early when a handled signal arrives.
  while (Left > 0 && !Stop)
    Left = sleep(Left);
  pagecache_bpf__detach(Skel);
  printBusiest(Skel);
  pagecache_bpf__destroy(Skel);
  return 0;
}
