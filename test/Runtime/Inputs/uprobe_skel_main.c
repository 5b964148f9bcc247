/* A third-party libbpf program using a bpftool skeleton of a stapc object
 * with a process(...).function probe and a .mark probe: skeleton attach
 * attaches the function probe by its SEC("uprobe/PATH:FUNC") name and
 * skips the marker's bare SEC("uprobe") (only stapc-run attaches those, by
 * the metadata); then it runs the traced program and reads the counters. */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include "up.skel.h"

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  struct up *s = up__open_and_load();
  if (!s) {
    puts("open/load failed");
    return 1;
  }
  int err = up__attach(s);
  printf("attach=%d function_link=%s marker_link=%s\n", err,
         s->links.probe_0 ? "yes" : "none", s->links.probe_1 ? "yes" : "none");
  int status = system(argv[1]);
  printf("command=%d fn_hits=%ld mark_hits=%ld\n", status, s->bss->g_fn_hits,
         s->bss->g_mark_hits);
  up__destroy(s);
  return 0;
}
