/* A session that runs until stopped from outside: a 10 ms timer and an
 * exec tracepoint; begin and end announce themselves. */
#include "stapc_test.h"

STAPC_META(
  "probe stapc_sig_b begin 0 \"begin\"\n"
  "probe stapc_sig_t perf 1 0 period 10000000 all \"timer.ms(10)\"\n"
  "probe stapc_sig_x event \"kernel.trace(\\\"sched_process_exec\\\")\"\n"
  "probe stapc_sig_e end 0 \"end\"\n"
  "format 0 \"started\\n\"\n"
  "format 1 \"end: ticks seen=%s\\n\"\n");

__s64 ticks;

SEC("raw_tp") int stapc_sig_b(void *ctx) {
  PRINTF(0, {});
  return 0;
}

SEC("perf_event") int stapc_sig_t(void *ctx) {
  if (!stapc_exiting)
    __sync_fetch_and_add(&ticks, 1);
  return 0;
}

SEC("tp_btf/sched_process_exec") int stapc_sig_x(void *ctx) {
  return 0;
}

SEC("raw_tp") int stapc_sig_e(void *ctx) {
  PRINTF(1, {
    if (ticks > 0)
      off = put_str(r, off, "yes", 3);
    else
      off = put_str(r, off, "no", 2);
  });
  return 0;
}
