/* Objects stapc-run must refuse, one per -D variant (see badinputs.test). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "stapc/Object/RecordFormat.h"

char LICENSE[] SEC("license") = "GPL";

#define META(text)                                                             \
  __attribute__((section(STAPC_META_SECTION), used)) const char stapc_meta[] = text

#if defined(BAD_VERSION)
META("stapc-meta 3\nprobe b begin 0 \"begin\"\n");
#elif defined(BAD_LINE)
META("stapc-meta 1\nprobe b begin \"begin\"\n");
#elif defined(MISSING_PROG)
META("stapc-meta 1\nprobe b begin 0 \"begin\"\nprobe gone end 0 \"end\"\n");
#elif defined(REJECT)
META("stapc-meta 1\nprobe b begin 0 \"begin(1)\"\n");
#elif !defined(NO_META)
#error pick a variant
#endif

SEC("raw_tp") int b(void *ctx) {
#if defined(REJECT)
  /* Dereferences a number: the verifier must refuse this. */
  long *p = (long *)(unsigned long)bpf_get_prandom_u32();
  return *p;
#else
  return 0;
#endif
}
