/* A perf timer probe (timer.ms(20) on CPU 0) that calls exit() on its
 * third tick; end prints the count. */
#include "stapc_test.h"

STAPC_META(
  "probe tick perf 1 0 period 20000000 one \"timer.ms(20)\"\n"
  "probe fin end 0 \"end\"\n"
  "format 0 \"tick %d\\n\"\n"
  "format 1 \"end: ticks=%d\\n\"\n");

__s64 ticks;

SEC("perf_event") int tick(void *ctx) {
  if (stapc_exiting)
    return 0;
  __s64 n = __sync_fetch_and_add(&ticks, 1) + 1;
  PRINTF(0, { off = put_long(r, off, n); });
  if (n == 3)
    STAP_EXIT();
  return 0;
}

SEC("raw_tp") int fin(void *ctx) {
  PRINTF(1, { off = put_long(r, off, ticks); });
  return 0;
}
