/* begin probes printing every conversion, priorities, exit() from begin,
 * end probes after it. */
#include "stapc_test.h"

STAPC_META(
  "probe b_second begin 0 \"begin\"\n"
  "probe e_end end 0 \"end\"\n"
  "probe b_first begin -5 \"begin(-5)\"\n"
  "probe never event \"kernel.trace(\\\"sched_process_exec\\\")\"\n"
  "some-future-line ignored \"by this loader\"\n"
  "format 0 \"d=%d i=%i u=%u x=%x X=%X o=%o p=%p c=%c %%\\n\"\n"
  "format 1 \"s=[%s] w=[%8s] l=[%-8s] p=[%.3s] star=[%*d] m=[%.2m] M=[%.3M]\\n\"\n"
  "format 2 \"flags: [%+d] [% d] [%05d] [%-5d] [%#x] [%#o] [%.4d] [%#c]\\n\"\n"
  "format 3 \"%1b%1b%1b\\n\"\n"
  "format 4 \"first (priority -5) target=%d\\n\"\n"
  "format 5 \"after exit() in the same probe\\n\"\n"
  "format 6 \"end probe\\n\"\n");

SEC("raw_tp") int b_second(void *ctx) {
  PRINTF(0, {
    off = put_long(r, off, -42);
    off = put_long(r, off, 42);
    off = put_long(r, off, -1);
    off = put_long(r, off, 255);
    off = put_long(r, off, 255);
    off = put_long(r, off, 8);
    off = put_long(r, off, 0x1234);
    off = put_long(r, off, 'A');
  });
  PRINTF(1, {
    off = put_str(r, off, "hello", 5);
    off = put_str(r, off, "abc", 3);
    off = put_str(r, off, "abc", 3);
    off = put_str(r, off, "abcdef", 6);
    off = put_long(r, off, 4);
    off = put_long(r, off, 7);
    off = put_str(r, off, "OK", 2);
    off = put_str(r, off, "\x01\xab\xff", 3);
  });
  PRINTF(2, {
    off = put_long(r, off, 5);
    off = put_long(r, off, 5);
    off = put_long(r, off, 42);
    off = put_long(r, off, 42);
    off = put_long(r, off, 255);
    off = put_long(r, off, 8);
    off = put_long(r, off, 7);
    off = put_long(r, off, '\n');
  });
  PRINTF(3, {
    off = put_long(r, off, 'H');
    off = put_long(r, off, 'i');
    off = put_long(r, off, '!');
  });
  STAP_EXIT();
  PRINTF(5, {});
  return 0;
}

SEC("raw_tp") int b_first(void *ctx) {
  PRINTF(4, { off = put_long(r, off, stapc_target_pid); });
  return 0;
}

SEC("raw_tp") int e_end(void *ctx) {
  PRINTF(6, {});
  return 0;
}

/* Never attached: begin already called exit(). */
SEC("tp_btf/sched_process_exec") int never(void *ctx) {
  PRINTF(6, {});
  return 0;
}
