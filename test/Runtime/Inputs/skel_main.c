/* A third-party libbpf program using a bpftool skeleton of a stapc object:
 * open, load, auto-attach (begin/end raw_tp programs must be skipped, not
 * fail), run the begin program by hand and read its record. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include "stapc/Object/RecordFormat.h"
#include "ref.skel.h"

static int on_record(void *ctx, void *data, size_t size) {
  struct stapc_record_header h;
  memcpy(&h, data, sizeof(h));
  printf("record type=%u id=%u size=%zu\n", h.type, h.id, size);
  return 0;
}

int main(void) {
  struct ref *s = ref__open();
  if (!s)
    return 1;
  s->rodata->stapc_target_pid = 4242;
  if (ref__load(s)) {
    puts("load failed");
    return 1;
  }
  int err = ref__attach(s);
  printf("attach=%d begin_link=%s event_link=%s\n", err,
         s->links.b_first ? "yes" : "none", s->links.never ? "yes" : "none");
  struct ring_buffer *rb =
      ring_buffer__new(bpf_map__fd(s->maps.stapc_events), on_record, NULL, NULL);
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  err = bpf_prog_test_run_opts(bpf_program__fd(s->progs.b_first), &opts);
  printf("test_run=%d\n", err);
  ring_buffer__consume(rb);
  ring_buffer__free(rb);
  ref__destroy(s);
  return 0;
}
