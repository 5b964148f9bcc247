/* Helpers for the hand-written reference objects of test/Runtime: they
 * write records exactly as docs/ObjectFormat.md specifies, the way stapc's
 * generated code does, so stapc-run can be tested without the compiler. */
#ifndef STAPC_TEST_H
#define STAPC_TEST_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "stapc/Object/RecordFormat.h"

char LICENSE[] SEC("license") = "GPL";

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 1024);
} stapc_events SEC(".maps");

__u32 stapc_exiting;
__u64 stapc_dropped;
const volatile __s64 stapc_target_pid;

/* The metadata: a NUL-terminated C string in its own section. */
#define STAPC_META(text)                                                       \
  __attribute__((section(STAPC_META_SECTION), used)) const char stapc_meta[] = \
      "stapc-meta 1\n" text

/* A record under construction: R points at RECORD_SIZE reserved bytes, Off
 * is where the next argument goes (before alignment). */
#define RECORD_SIZE 256

static __always_inline unsigned put_long(char *R, unsigned Off, __s64 V) {
  Off = STAPC_ALIGN8(Off);
  *(__s64 *)(R + Off) = V;
  return Off + 8;
}

/* Len must be a compile-time constant. */
#define put_str(R, Off, S, Len)                                                \
  ({                                                                           \
    unsigned O_ = STAPC_ALIGN8(Off);                                           \
    *(__u32 *)((R) + O_) = (Len);                                              \
    __builtin_memcpy((R) + O_ + 4, (S), (Len));                                \
    O_ + 4 + (Len);                                                            \
  })

/* Reserves a record of TYPE/ID and runs BODY with `r` and `off` in scope;
 * counts a lost record in stapc_dropped if the buffer is full. */
#define EMIT(TYPE, ID, BODY)                                                   \
  do {                                                                         \
    char *r = bpf_ringbuf_reserve(&stapc_events, RECORD_SIZE, 0);              \
    if (!r) {                                                                  \
      __sync_fetch_and_add(&stapc_dropped, 1);                                 \
      break;                                                                   \
    }                                                                          \
    ((struct stapc_record_header *)r)->type = (TYPE);                          \
    ((struct stapc_record_header *)r)->id = (ID);                              \
    unsigned off = 8;                                                          \
    BODY;                                                                      \
    (void)off;                                                                 \
    bpf_ringbuf_submit(r, 0);                                                  \
  } while (0)

#define PRINTF(ID, BODY) EMIT(STAPC_REC_PRINTF, ID, BODY)

/* stap's exit(): stop probes, tell the loader. */
#define STAP_EXIT()                                                            \
  do {                                                                         \
    stapc_exiting = 1;                                                         \
    EMIT(STAPC_REC_EXIT, 0, );                                                 \
  } while (0)

#endif
