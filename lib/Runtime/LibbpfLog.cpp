//===- LibbpfLog.cpp - Capture libbpf's messages --------------------------===//
#include "LibbpfLog.h"

#include <bpf/libbpf.h>
#include <cstdarg>
#include <cstdio>
#include <vector>

namespace stapc::runtime {

static std::string CapturedLog;
static int LogVerbosity = 0;
// A verifier log can be megabytes; we only ever print its tail.
static constexpr size_t MaxCapturedLog = 4 << 20;

static int printCallback(enum libbpf_print_level Level, const char *Fmt, va_list Args) {
  if (Level == LIBBPF_DEBUG && LogVerbosity < 3)
    return 0;
  if (Level == LIBBPF_INFO && LogVerbosity < 2)
    return 0;
  va_list Copy;
  va_copy(Copy, Args);
  char Small[512];
  int N = std::vsnprintf(Small, sizeof(Small), Fmt, Copy);
  va_end(Copy);
  if (N < 0)
    return 0;
  std::string Msg;
  if (static_cast<size_t>(N) < sizeof(Small)) {
    Msg.assign(Small, N);
  } else {
    Msg.resize(N + 1);
    std::vsnprintf(Msg.data(), Msg.size(), Fmt, Args);
    Msg.resize(N);
  }
  if (LogVerbosity >= 2)
    std::fputs(Msg.c_str(), stderr);
  if (CapturedLog.size() + Msg.size() > MaxCapturedLog)
    CapturedLog.erase(0, CapturedLog.size() + Msg.size() - MaxCapturedLog);
  CapturedLog += Msg;
  return N;
}

void installLibbpfLog(int Verbosity) {
  LogVerbosity = Verbosity;
  libbpf_set_print(printCallback);
}

std::string takeLibbpfLog() {
  std::string S;
  S.swap(CapturedLog);
  return S;
}

static std::vector<std::string> splitLines(const std::string &S) {
  std::vector<std::string> Lines;
  size_t Pos = 0;
  while (Pos < S.size()) {
    size_t NL = S.find('\n', Pos);
    if (NL == std::string::npos)
      NL = S.size();
    Lines.push_back(S.substr(Pos, NL - Pos));
    Pos = NL + 1;
  }
  return Lines;
}

// The verifier's statistics lines say nothing about what went wrong.
static bool isStatisticsLine(const std::string &L) {
  return L.empty() || L.rfind("processed ", 0) == 0 ||
         L.rfind("verification time", 0) == 0 || L.rfind("stack depth", 0) == 0;
}

std::optional<VerifierFailure> findVerifierFailure(const std::string &Log,
                                                   unsigned TailLines) {
  // libbpf 1.x: "libbpf: prog 'NAME': BPF program load failed: ..." then
  // "libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --" ... "-- END PROG LOAD LOG --".
  static const std::string Failed = "': BPF program load failed";
  size_t F = Log.find(Failed);
  if (F == std::string::npos)
    return std::nullopt;
  size_t Quote = Log.rfind("prog '", F);
  if (Quote == std::string::npos)
    return std::nullopt;
  VerifierFailure V;
  V.Program = Log.substr(Quote + 6, F - Quote - 6);

  size_t Begin = Log.find("-- BEGIN PROG LOAD LOG --", F);
  size_t End = Begin == std::string::npos ? std::string::npos
                                          : Log.find("-- END PROG LOAD LOG --", Begin);
  std::vector<std::string> Lines;
  if (End != std::string::npos) {
    size_t Start = Log.find('\n', Begin);
    if (Start != std::string::npos && Start < End)
      Lines = splitLines(Log.substr(Start + 1, End - Start - 1));
  }
  for (auto It = Lines.rbegin(); It != Lines.rend(); ++It)
    if (!isStatisticsLine(*It)) {
      V.Summary = *It;
      break;
    }
  if (V.Summary.empty()) {
    size_t EOL = Log.find('\n', F);
    V.Summary = Log.substr(F + Failed.size() + 2, EOL - F - Failed.size() - 2);
  }
  size_t First = Lines.size() > TailLines ? Lines.size() - TailLines : 0;
  for (size_t I = First; I < Lines.size(); ++I)
    V.Tail += "  " + Lines[I] + "\n";
  return V;
}

} // namespace stapc::runtime
