//===- stapc-run.cpp - Load and run a stapc BPF object --------------------===//
//
// Thin main(): parse stap-like options and hand over to runSession(). Links
// libbpf and libelf only, never LLVM.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Session.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <getopt.h>

using namespace stapc::runtime;

static void usage(std::FILE *To) {
  std::fputs("usage: stapc-run [options] probe.bpf.o\n"
             "  -o FILE   write probe output to FILE instead of stdout\n"
             "  -c CMD    run CMD (via /bin/sh) once probes are attached; stop when it exits\n"
             "  -x PID    set target() to PID\n"
             "  -T SECS   stop after SECS seconds\n"
             "  -m NAME   name the session: procfs probes' files go in\n"
             "            /var/tmp/stapc-USER/NAME (default: the object's name up to\n"
             "            its first '.')\n"
             "  --procfs-dir DIR\n"
             "            put procfs probes' files in DIR instead\n"
             "  --kprobes attach kernel.function probes with kprobes, not fentry/fexit\n"
             "  --load-only\n"
             "            load every program (the kernel verifier checks them), unload\n"
             "            and exit 0; run nothing, attach nothing\n"
             "  -v        report the time each phase took (-vv: libbpf messages)\n"
             "  -h        show this help\n",
             To);
}

static bool parseNumber(const char *S, double &Out) {
  char *End;
  errno = 0;
  Out = std::strtod(S, &End);
  return errno == 0 && End != S && *End == '\0' && Out >= 0;
}

int main(int argc, char **argv) {
  SessionOptions Opts;
  int C;
  static const option Long[] = {{"kprobes", no_argument, nullptr, 'K'},
                                {"help", no_argument, nullptr, 'h'},
                                {"load-only", no_argument, nullptr, 'L'},
                                {"procfs-dir", required_argument, nullptr, 'P'},
                                {nullptr, 0, nullptr, 0}};
  while ((C = getopt_long(argc, argv, "+o:c:x:T:m:vh", Long, nullptr)) != -1) {
    double N;
    switch (C) {
    case 'o': Opts.OutputPath = optarg; break;
    case 'c': Opts.Command = optarg; break;
    case 'x':
      if (!parseNumber(optarg, N) || N < 1) {
        std::fprintf(stderr, "stapc-run: error: invalid pid '%s' for -x\n", optarg);
        return 1;
      }
      Opts.TargetPid = static_cast<int64_t>(N);
      break;
    case 'T':
      if (!parseNumber(optarg, N) || N <= 0) {
        std::fprintf(stderr, "stapc-run: error: invalid timeout '%s' for -T\n", optarg);
        return 1;
      }
      Opts.TimeoutSeconds = N;
      break;
    case 'm':
      if (!*optarg || std::strchr(optarg, '/') || optarg[0] == '.') {
        std::fprintf(stderr, "stapc-run: error: invalid name '%s' for -m (one file "
                             "name component)\n", optarg);
        return 1;
      }
      Opts.ModuleName = optarg;
      break;
    case 'P': Opts.ProcfsDir = optarg; break;
    case 'v': ++Opts.Verbosity; break;
    case 'K': Opts.ForceKprobes = true; break;
    case 'L': Opts.LoadOnly = true; break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 1;
    }
  }
  if (optind + 1 != argc) {
    std::fprintf(stderr, "stapc-run: error: expected exactly one object file\n");
    usage(stderr);
    return 1;
  }
  Opts.ObjectPath = argv[optind];
  return runSession(Opts);
}
