// The traced program of the process(...) tests: functions with int,
// pointer, struct-pointer and stack-passed parameters, a global, return
// values, and <sys/sdt.h> markers (one behind a semaphore). Usage:
// uprobe-target [N [WHO]]: N rounds of calls; prints nothing on stdout.
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inner {
  short y;
  unsigned char tag;
};
struct point {
  long x;
  struct inner in;
  const char *name;
  int arr[4];
};

long counter = 7;
volatile long sink;

// Semaphores: the tracer increments them while a marker is probed.
__extension__ unsigned short demo_tick_semaphore __attribute__((section(".probes")));
__extension__ unsigned short demo_point_semaphore __attribute__((section(".probes")));
__extension__ unsigned short demo_guarded_semaphore __attribute__((section(".probes")));
__extension__ unsigned short demo_in_add_semaphore __attribute__((section(".probes")));

#define KEEP __attribute__((noinline)) __attribute__((used))

KEEP int add(int a, long b) {
  // Arguments in registers (sdt.h lets the operand constraint be chosen).
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT r
  STAP_PROBE2(demo, in_add, a, b);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
  __asm__ volatile("" ::: "memory");
  return a + (int)b;
}
KEEP long scale(struct point *p, int k) {
  __asm__ volatile("" ::: "memory");
  return p->x * k;
}
KEEP const char *greet(const char *who, unsigned u, signed char c) {
  sink = u + c;
  return who;
}
KEEP int many(int a, int b, int c, int d, int e, int f, int g, int h) {
  __asm__ volatile("" ::: "memory");
  return a + b + c + d + e + f + g + h;
}
KEEP void by_value(struct point p, int after) {
  sink = p.x + after;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  struct point pt = {.x = 40, .in = {.y = -5, .tag = 200}, .arr = {1, 2, 3, 4}};
  char who[16];
  // A string on the stack: uprobes cannot fault pages in, so a string
  // the program never touched may be unreadable.
  strcpy(who, argc > 2 ? argv[2] : "world");
  pt.name = who;
  long total = 0;
  for (int i = 0; i < n; ++i) {
    counter++;
    total += add(i, -2);
    total += scale(&pt, i + 1);
    greet(who, 255, -3);
    total += many(1, 2, 3, 4, 5, 6, 7, 8 + i);
    by_value(pt, i);
    int neg = -i - 1;
    long big = 1L << 40;
    DTRACE_PROBE3(demo, tick, i, neg, big);
    STAP_PROBE2(demo, point, &pt, pt.in.y);
    if (demo_guarded_semaphore)
      STAP_PROBE1(demo, guarded, counter);
  }
  fprintf(stderr, "total %ld\n", total);
  return 0;
}
