/* A runtime error in begin: with stap's default MAXERRORS=0 the session
 * stops, end probes are skipped and error probes run instead. */
#include "stapc_test.h"

STAPC_META(
  "probe b begin 0 \"begin\"\n"
  "probe e end 0 \"end\"\n"
  "probe x error 0 \"error\"\n"
  "probe t perf 1 0 period 10000000 one \"timer.ms(10)\"\n"
  "format 0 \"before the error\\n\"\n"
  "format 1 \"end probe must not run\\n\"\n"
  "format 2 \"error probe ran\\n\"\n"
  "format 3 \"timer must not run\\n\"\n"
  "error 0 \"division by zero near operator '%s' at %s:%d\"\n");

SEC("raw_tp") int b(void *ctx) {
  PRINTF(0, {});
  stapc_exiting = 1;
  EMIT(STAPC_REC_ERROR, 0, {
    off = put_str(r, off, "/", 1);
    off = put_str(r, off, "t.stp", 5);
    off = put_long(r, off, 3);
  });
  return 0;
}

SEC("raw_tp") int e(void *ctx) {
  PRINTF(1, {});
  return 0;
}

SEC("raw_tp") int x(void *ctx) {
  PRINTF(2, {});
  return 0;
}

SEC("perf_event") int t(void *ctx) {
  PRINTF(3, {});
  return 0;
}
