// W5 loader: getpid PID. Prints "getpid TID" for every record of the ring
// buffer on stdout until SIGINT/SIGTERM, drains the buffer, then reports the
// records the BPF side could not reserve on stderr ("dropped N").
#include <stdlib.h>

#include "loader.h"
#include "getpid.skel.h"

static int printRecord(void *Ctx, void *Data, size_t Size) {
  (void)Ctx;
  if (Size >= sizeof(__u32))
    printf("getpid %u\n", *(const __u32 *)Data);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: getpid PID\n");
    return 2;
  }
  struct getpid_bpf *Skel = getpid_bpf__open();
  if (!Skel)
    return 1;
  Skel->rodata->target_pid = (__u32)atoi(argv[1]);
  if (getpid_bpf__load(Skel) != 0 || getpid_bpf__attach(Skel) != 0) {
    fprintf(stderr, "getpid: cannot load or attach\n");
    return 1;
  }
  struct ring_buffer *Ring =
      ring_buffer__new(bpf_map__fd(Skel->maps.events), printRecord, NULL, NULL);
  if (!Ring)
    return 1;
  announceAttached();
  while (!Stop)
    ring_buffer__poll(Ring, 100); // Returns early (-EINTR) on the signal.
  getpid_bpf__detach(Skel);
  while (ring_buffer__consume(Ring) > 0) {
  }
  fflush(stdout);
  fprintf(stderr, "dropped %llu\n", (unsigned long long)Skel->bss->dropped);
  ring_buffer__free(Ring);
  getpid_bpf__destroy(Skel);
  return 0;
}
