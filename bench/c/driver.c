// Event generator for bench/run.sh: one mode per workload, each a known
// number of events from this one process, so that the figures per event and
// the records delivered by W5 can be checked against what was generated.
//
//   driver [-w] MODE N [ARG]
//     pagecache N PAGES DIR  write N fresh files of PAGES pages (4 KiB writes)
//     syscalls N             N getppid() system calls
//     read N                 N read()s of /dev/zero, sizes 1, 2, 4 ... 65536 in turn
//     switch N               N pipe round trips with a child (>= 2N context switches)
//     getpid N               N getpid() system calls
//     nanosleep N USEC       N nanosleep() system calls of USEC microseconds
//
// -w: print "ready PID" and wait for a line on stdin before generating, so
// the harness can hand the pid to a tracer and start the workload once the
// tracer is attached. At the end, prints "generated N" on stdout.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *What) {
  perror(What);
  exit(1);
}

static long pageCache(long Files, long Pages, const char *Dir) {
  static char Page[4096];
  char Path[4096];
  for (long F = 0; F < Files; ++F) {
    snprintf(Path, sizeof(Path), "%s/f%ld", Dir, F);
    int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (Fd < 0)
      die(Path);
    for (long P = 0; P < Pages; ++P)
      if (write(Fd, Page, sizeof(Page)) != (ssize_t)sizeof(Page))
        die("write");
    close(Fd);
  }
  for (long F = 0; F < Files; ++F) {
    snprintf(Path, sizeof(Path), "%s/f%ld", Dir, F);
    unlink(Path);
  }
  return Files * Pages;
}

static long readSizes(long N) {
  static char Buf[65536];
  int Fd = open("/dev/zero", O_RDONLY);
  if (Fd < 0)
    die("/dev/zero");
  for (long I = 0; I < N; ++I)
    if (read(Fd, Buf, (size_t)1 << (I % 17)) < 0)
      die("read");
  close(Fd);
  return N;
}

static long pingPong(long N) {
  int Down[2], Up[2];
  if (pipe(Down) || pipe(Up))
    die("pipe");
  pid_t Child = fork();
  if (Child < 0)
    die("fork");
  char C = 0;
  if (Child == 0) {
    close(Down[1]); // Else the child never sees the end of its input.
    close(Up[0]);
    while (read(Down[0], &C, 1) == 1)
      if (write(Up[1], &C, 1) != 1)
        _exit(1);
    _exit(0);
  }
  close(Down[0]);
  close(Up[1]);
  for (long I = 0; I < N; ++I)
    if (write(Down[1], &C, 1) != 1 || read(Up[0], &C, 1) != 1)
      die("ping");
  close(Down[1]);
  waitpid(Child, NULL, 0);
  return N;
}

static long sleeps(long N, long Usec) {
  struct timespec Ts = {Usec / 1000000, (Usec % 1000000) * 1000};
  // The nanosleep system call itself: glibc's nanosleep() uses clock_nanosleep.
  for (long I = 0; I < N; ++I)
    if (syscall(SYS_nanosleep, &Ts, NULL) != 0)
      die("nanosleep");
  return N;
}

int main(int argc, char **argv) {
  int Wait = argc > 1 && strcmp(argv[1], "-w") == 0;
  argv += Wait;
  argc -= Wait;
  if (argc < 3) {
    fprintf(stderr, "usage: driver [-w] MODE N [ARG...]\n");
    return 2;
  }
  const char *Mode = argv[1];
  long N = atol(argv[2]);
  if (Wait) {
    char Line[64];
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    if (!fgets(Line, sizeof(Line), stdin))
      return 1;
  }
  long Done = 0;
  if (strcmp(Mode, "pagecache") == 0 && argc == 5) {
    Done = pageCache(N, atol(argv[3]), argv[4]);
  } else if (strcmp(Mode, "syscalls") == 0) {
    for (long I = 0; I < N; ++I)
      syscall(SYS_getppid);
    Done = N;
  } else if (strcmp(Mode, "read") == 0) {
    Done = readSizes(N);
  } else if (strcmp(Mode, "switch") == 0) {
    Done = pingPong(N);
  } else if (strcmp(Mode, "getpid") == 0) {
    // syscall(), not getpid(): every call must enter the kernel.
    for (long I = 0; I < N; ++I)
      syscall(SYS_getpid);
    Done = N;
  } else if (strcmp(Mode, "nanosleep") == 0 && argc == 4) {
    Done = sleeps(N, atol(argv[3]));
  } else {
    fprintf(stderr, "driver: unknown mode or arguments: %s\n", Mode);
    return 2;
  }
  printf("generated %ld\n", Done);
  return 0;
}
