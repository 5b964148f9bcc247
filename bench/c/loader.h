// Shared by the hand-written loaders of bench/run.sh: run until SIGINT or
// SIGTERM, print the marker the harness times, print log2 histograms.
#ifndef BENCH_LOADER_H
#define BENCH_LOADER_H

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t Stop;

static void onStopSignal(int Sig) {
  (void)Sig;
  Stop = 1;
}

// Call right after the skeleton's __attach() succeeded: the harness measures
// "process start to attached" up to this line.
static inline void announceAttached(void) {
  signal(SIGINT, onStopSignal);
  signal(SIGTERM, onStopSignal);
  fprintf(stderr, "probes attached\n");
}

// Sleeps until a stop signal: sleep() returns early on a handled signal (a
// loop of sleep rather than pause, which would miss a signal arriving
// between the test and the call).
static inline void waitForStop(void) {
  while (!Stop)
    sleep(1);
}

// Prints buckets as bpftrace does: bucket 0 is [0], bucket k >= 1 is
// [2^(k-1), 2^k); only the range from the first to the last non-empty one.
static inline void printLog2Hist(const unsigned long long *Hist, int N) {
  int First = -1, Last = -1;
  for (int I = 0; I < N; ++I)
    if (Hist[I]) {
      if (First < 0)
        First = I;
      Last = I;
    }
  for (int I = First; I >= 0 && I <= Last; ++I) {
    if (I == 0)
      printf("[0] %llu\n", Hist[I]);
    else
      printf("[%llu, %llu) %llu\n", 1ULL << (I - 1), I < 64 ? 1ULL << I : 0, Hist[I]);
  }
}

#endif
