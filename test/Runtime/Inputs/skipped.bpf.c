/* A begin probe that reports three skipped probe hits through the
 * stapc_skipped counter, as a probe interrupted by another would. */
#include "stapc_test.h"

STAPC_META(
  "probe start begin 0 \"begin\"\n"
  "format 0 \"begin ran\\n\"\n");

__u64 stapc_skipped SEC(".bss");

SEC("raw_tp") int start(void *ctx) {
  __sync_fetch_and_add(&stapc_skipped, 3);
  PRINTF(0, {});
  STAP_EXIT();
  return 0;
}
