/* The accesses core-matches-clang.test also makes through BTFDIBuilder,
 * written the way a BPF C program would. */
#include "../../Inputs/btf/kernel-fixture.c"

__attribute__((section("tracepoint/core_test"))) long probe(struct task_struct *t,
                                                          struct folio *f) {
  long sum = 0;
  char buf[8];
  long (*probe_read_kernel)(void *, unsigned, const void *) = (void *)113;
  probe_read_kernel(buf, 4, __builtin_preserve_access_index(&t->pid));
  sum += buf[0];
  probe_read_kernel(buf, 4, __builtin_preserve_access_index(&t->utime_hi));
  sum += buf[0];
  probe_read_kernel(buf, 1, __builtin_preserve_access_index(&t->comm[3]));
  sum += buf[0];
  probe_read_kernel(buf, 8, __builtin_preserve_access_index(&f->mapping));
  return sum + buf[0];
}
