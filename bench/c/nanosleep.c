// W6 loader: attach, wait for SIGINT/SIGTERM, print the latency histogram.
#include "loader.h"
#include "nanosleep.skel.h"

int main(void) {
  struct nanosleep_bpf *Skel = nanosleep_bpf__open_and_load();
  if (!Skel || nanosleep_bpf__attach(Skel) != 0) {
    fprintf(stderr, "nanosleep: cannot load or attach\n");
    return 1;
  }
  announceAttached();
  waitForStop();
  nanosleep_bpf__detach(Skel);
  printLog2Hist((const unsigned long long *)Skel->bss->hist, 65);
  nanosleep_bpf__destroy(Skel);
  return 0;
}
