// A recursive function and a sleep, for @entry tests.
#include <unistd.h>

__attribute__((noinline)) int fact(int n) {
  if (n <= 1)
    return 1;
  return n * fact(n - 1);
}

int main(int argc, char **argv) {
  int r = fact(argc + 2);
  usleep(20000);
  return r == 0;
}
