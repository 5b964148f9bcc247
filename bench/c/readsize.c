// W3 loader: attach, wait for SIGINT/SIGTERM, print the histogram.
#include "loader.h"
#include "readsize.skel.h"

int main(void) {
  struct readsize_bpf *Skel = readsize_bpf__open_and_load();
  if (!Skel || readsize_bpf__attach(Skel) != 0) {
    fprintf(stderr, "readsize: cannot load or attach\n");
    return 1;
  }
  announceAttached();
  waitForStop();
  readsize_bpf__detach(Skel);
  // The .bss is mmap-ed by the skeleton: read the counts in place.
  printLog2Hist((const unsigned long long *)Skel->bss->hist, 65);
  readsize_bpf__destroy(Skel);
  return 0;
}
