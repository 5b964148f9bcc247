// A call chain main -> outer -> probed for ubacktrace tests, and a function
// pointer for usymname. Built with frame pointers: the kernel walks user
// stacks through them. It sleeps after the calls so that the loader reads
// /proc/PID/maps while the process lives.
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) int helper(int x) { return x + 2; }

__attribute__((noinline)) int probed(int x, int (*cb)(int)) { return cb(x) * 3; }

__attribute__((noinline)) int outer(int x) { return probed(x + 1, helper) + 1; }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  int sum = 0;
  for (int i = 0; i < n; ++i)
    sum += outer(i);
  sleep(1);
  return sum == -1;
}
