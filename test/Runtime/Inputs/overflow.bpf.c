/* Writes more records in one begin probe than the ring buffer holds: the
 * ones that do not fit are counted in stapc_dropped and must be reported. */
#include "stapc_test.h"

STAPC_META(
  "probe flood begin 0 \"begin\"\n"
  "probe fin end 0 \"end\"\n"
  "format 0 \"record %d\\n\"\n"
  "format 1 \"end ran\\n\"\n");

SEC("raw_tp") int flood(void *ctx) {
  /* 64 KiB / (256 + 8) bytes: about 248 records fit. */
  for (int i = 0; i < 400; i++)
    PRINTF(0, { off = put_long(r, off, i); });
  STAP_EXIT();
  return 0;
}

SEC("raw_tp") int fin(void *ctx) {
  PRINTF(1, {});
  return 0;
}
