/*===- RecordFormat.h - The kernel <-> user record format ---------*- C -*-===*
 *
 * The one definition of what a stapc BPF object sends to user space and
 * what it declares for its loader. Plain C so that the compiler, stapc-run
 * (which never links LLVM) and third-party libbpf programs share it.
 * docs/ObjectFormat.md is the prose version; keep both in step.
 *
 *===----------------------------------------------------------------------===*/
#ifndef STAPC_OBJECT_RECORDFORMAT_H
#define STAPC_OBJECT_RECORDFORMAT_H

#include <stdint.h>

/* Version of the metadata and record format. The loader refuses objects
 * whose version it does not know. */
#define STAPC_FORMAT_VERSION 1

/* ELF section holding the metadata text (see docs/ObjectFormat.md). It is
 * not SHF_ALLOC and not a map: libbpf skips it, the loader reads it with
 * libelf. */
#define STAPC_META_SECTION ".stapc.meta"

/* The BPF ring buffer every record travels over. */
#define STAPC_RINGBUF_MAP "stapc_events"

/* Global (in .bss) that probes test on entry: non-zero once exit() ran or
 * an uncaught error ended the session. */
#define STAPC_EXITING_VAR "stapc_exiting"

/* Record types. */
enum stapc_record_type {
  STAPC_REC_PRINTF = 1, /* id = format index; payload = arguments        */
  STAPC_REC_EXIT = 2,   /* exit() was called; id unused; no payload       */
  STAPC_REC_ERROR = 3,  /* id = error site index; payload = arguments     */
};

/* Every record starts with this header (8 bytes, little endian as the
 * host). Payload follows immediately. */
struct stapc_record_header {
  uint32_t type; /* enum stapc_record_type */
  uint32_t id;
};

/* Payload arguments are packed in format order, each starting on an 8-byte
 * boundary relative to the record start:
 *   long   : int64_t
 *   string : uint32_t length L, then L bytes (no NUL), then padding to 8.
 * The metadata says which conversion takes which kind of argument. */
struct stapc_string_header {
  uint32_t len;
};

#define STAPC_ALIGN8(x) (((x) + 7u) & ~7u)

#endif /* STAPC_OBJECT_RECORDFORMAT_H */
