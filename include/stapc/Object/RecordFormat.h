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

/* BPF programs built with `clang -target bpf` cannot include glibc's
 * <stdint.h> (it wants gnu/stubs-32.h), so BPF code gets the fixed-width
 * types from the compiler's predefined macros and needs no header. */
#if defined(__bpf__)
typedef __UINT32_TYPE__ stapc_u32;
typedef __UINT64_TYPE__ stapc_u64;
typedef __INT64_TYPE__ stapc_s64;
#else
#include <stdint.h>
typedef uint32_t stapc_u32;
typedef uint64_t stapc_u64;
typedef int64_t stapc_s64;
#endif

/* Version of the metadata and record format. The loader refuses objects
 * whose version it does not know. Version 2 added `render` lines: a
 * printf argument that is a long in the record but prints as text the
 * loader makes (a symbol, a backtrace); a version 1 loader would misread
 * it. */
#define STAPC_FORMAT_VERSION 2
/* The oldest version a loader still reads. A compiler writes the lowest
 * version that describes its object: 1 unless it has `render` lines. */
#define STAPC_FORMAT_VERSION_MIN 1

/* ELF section holding the metadata text (see docs/ObjectFormat.md). It may
 * be an allocated PROGBITS section (what a global array with
 * __attribute__((section(".stapc.meta"))) gives) or non-allocated: libbpf
 * 1.1 skips it ("skipping unrecognized data section"), bpftool and skeletons
 * accept it, and the loader reads it with libelf. Nothing may reference it
 * from code. */
#define STAPC_META_SECTION ".stapc.meta"

/* The BPF ring buffer every record travels over. */
#define STAPC_RINGBUF_MAP "stapc_events"

/* Global (in .bss) that probes test on entry: non-zero once exit() ran or
 * an uncaught error ended the session. */
#define STAPC_EXITING_VAR "stapc_exiting"

/* Global (u64, in .bss) counting records the BPF side could not reserve in
 * the ring buffer; the loader reports them. */
#define STAPC_DROPPED_VAR "stapc_dropped"

/* Global (u64, in .bss) counting probe hits skipped because they
 * interrupted another probe on the same CPU; the loader reports them. */
#define STAPC_SKIPPED_VAR "stapc_skipped"

/* Global (u64, in .bss) counting uncaught runtime errors. The error that
 * makes it exceed MAXERRORS in an event probe also sets stapc_exiting, and
 * event-probe errors after it send no record (see docs/ObjectFormat.md). */
#define STAPC_ERRORS_VAR "stapc_errors"

/* Global (s64, in .rodata) the loader sets before load: the -x PID or the
 * -c child's pid, 0 otherwise. */
#define STAPC_TARGET_PID_VAR "stapc_target_pid"

/* Global (s32, in .rodata) the loader sets to 1 before load when it uses
 * the kprobe twins of kernel.function probes; at 0 the twins return at
 * once, so a plain libbpf loader that attaches every program sees each
 * event once (the verifier prunes the dead branch). */
#define STAPC_KPROBE_TWINS_VAR "stapc_kprobe_twins"

/* One-element BPF_MAP_TYPE_ARRAY (key u32 0, value char[MAXSTRINGLEN]):
 * the text a procfs write probe gets as `$value`, NUL-terminated, written
 * by the loader before it runs the probe. Only in objects with write
 * probes. */
#define STAPC_PROCFS_INPUT_MAP "stapc_procfs_in"

/* Stack trace maps (BPF_MAP_TYPE_STACK_TRACE, key u32 id, value u64
 * frames, unused frames 0) that backtrace() and ubacktrace() record into;
 * the loader looks the ids of `render` arguments up in them. */
#define STAPC_KSTACK_MAP "stapc_kstacks"
#define STAPC_USTACK_MAP "stapc_ustacks"

/* A ubacktrace() value: the thread group (process) in the high 32 bits,
 * the stack id in the low 32; negative when no stack was taken (-errno). */
#define STAPC_USTACK_TGID(v) ((stapc_u32)((stapc_u64)(v) >> 32))
#define STAPC_USTACK_ID(v) ((stapc_u32)(v))

/* usymname()/usymdata() values are ids of (address, process) pairs:
 * STAPC_USYM_MAP (hash, key {u64 address, u64 tgid}, value u64 id) gives
 * each distinct pair one, STAPC_USYM_KEYS_MAP (array, key u32 id, value
 * the same {address, tgid}) maps it back for the loader. */
#define STAPC_USYM_MAP "stapc_usyms"
#define STAPC_USYM_KEYS_MAP "stapc_usym_keys"

/* Globals (s64, in .rodata) the loader sets before load, as staprun passes
 * them at startup: the local time zone's offset in seconds west of UTC,
 * and its abbreviation ("CET"), at most 8 bytes, NUL-padded. */
#define STAPC_TZ_GMTOFF_VAR "stapc_tz_gmtoff"
#define STAPC_TZ_NAME_VAR "stapc_tz_name"

/* First word of the metadata text. */
#define STAPC_META_MAGIC "stapc-meta"

/* STAPC_REC_EXIT ids: abort() also skips the end probes. */
#define STAPC_EXIT_NORMAL 0
#define STAPC_EXIT_ABORT 1

/* Record types. */
enum stapc_record_type {
  STAPC_REC_PRINTF = 1, /* id = format index; payload = arguments        */
  STAPC_REC_EXIT = 2,   /* exit() (id 0) or abort() (id 1); no payload    */
  STAPC_REC_ERROR = 3,  /* id = error site index; payload = arguments     */
  STAPC_REC_HIST = 4,   /* id = histogram index; payload = bucket counts  */
  STAPC_REC_WARN = 5,   /* warn(): id = format index; payload = arguments */
  /* A procfs read probe's `$value = s` and `$value .= s`: id = the file's
   * number (its `probe ... procfs` line); payload = one string argument.
   * The file's text is the last SET's text followed by the APPENDs after
   * it, cut at the line's MAXSIZE. */
  STAPC_REC_PROCFS_SET = 6,
  STAPC_REC_PROCFS_APPEND = 7,
};

/* Every record starts with this header (8 bytes, little endian as the
 * host). Payload follows immediately. */
struct stapc_record_header {
  stapc_u32 type; /* enum stapc_record_type */
  stapc_u32 id;
};

/* Payload arguments are packed in format order, each starting on an 8-byte
 * boundary relative to the record start:
 *   long   : int64_t
 *   string : uint32_t length L, then L bytes (no NUL), then padding to 8.
 *            %m and %M arguments travel as strings too: the bytes the BPF
 *            side read from memory.
 * The metadata says which conversion takes which kind of argument. */
struct stapc_string_header {
  stapc_u32 len;
};

/* Histograms. A statistic used with @hist_log or @hist_linear keeps, after
 * its five s64 fields {count, sum, min, max, sumsq}, one s64 count per
 * bucket. A HIST record carries the bucket counts of one statistic (or
 * element) summed over every CPU, as s64s in bucket order; the metadata
 * line `hist ID ...` says how to label them.
 *
 * @hist_log has STAPC_HIST_LOG_BUCKETS buckets: bucket STAPC_HIST_LOG_ZERO
 * counts 0; bucket ZERO+k (k >= 1) counts [2^(k-1), 2^k); bucket ZERO-k
 * counts [-(2^k - 1), -2^(k-1)], so bucket 0 holds only INT64_MIN.
 * @hist_linear(s, L, H, W) has N = (H-L)/W + 1 buckets of width W from L,
 * after an underflow bucket (< L) and before an overflow bucket: N + 2 in
 * all, at most STAPC_HIST_MAX_BUCKETS. */
#define STAPC_HIST_LOG_BUCKETS 128
#define STAPC_HIST_LOG_ZERO 64
#define STAPC_HIST_MAX_BUCKETS 128
#define STAPC_STAT_FIELDS 5

#define STAPC_ALIGN8(x) (((x) + 7u) & ~7u)

#endif /* STAPC_OBJECT_RECORDFORMAT_H */
