/* A runtime error in a steady-state (timer) probe ends the session. */
#include "stapc_test.h"

STAPC_META(
  "probe t perf 1 0 period 10000000 one \"timer.ms(10)\"\n"
  "probe e end 0 \"end\"\n"
  "probe x error 0 \"error\"\n"
  "format 0 \"end probe must not run\\n\"\n"
  "format 1 \"error probe ran\\n\"\n"
  "error 7 \"array index %d out of bounds\"\n");

SEC("perf_event") int t(void *ctx) {
  if (stapc_exiting)
    return 0;
  stapc_exiting = 1;
  EMIT(STAPC_REC_ERROR, 7, { off = put_long(r, off, 12); });
  return 0;
}

SEC("raw_tp") int e(void *ctx) {
  PRINTF(0, {});
  return 0;
}

SEC("raw_tp") int x(void *ctx) {
  PRINTF(1, {});
  return 0;
}
