//===- FuzzCompile.cpp - libFuzzer target for the whole compiler ----------===//
//
// Feeds each input through every pass stapc runs before loading: parse
// (with the tapsets), elaborate against a fixed kernel BTF, LLVM IR (checked
// with the IR verifier), and the BPF object, written to memory. Nothing is
// loaded. Diagnostics are expected; a crash, a sanitizer report, a hang,
// invalid IR, report_fatal_error or an LLVM backend error (whose default
// handler exits the process) is a finding: the compiler promises to
// diagnose every input and to emit only objects LLVM accepts.
//
// STAPC_FUZZ_BTF names the BTF file (default: the test fixture,
// test/Inputs/btf/kernel-fixture.btf, small enough to read per input).
//
//===----------------------------------------------------------------------===//
#include "stapc/Driver/Compilation.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

using namespace stapc;

static const std::string &btfPath() {
  static const std::string Path = [] {
    const char *V = std::getenv("STAPC_FUZZ_BTF");
    return std::string(V && *V ? V
                               : STAPC_SOURCE_DIR "/test/Inputs/btf/kernel-fixture.btf");
  }();
  return Path;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  CompilerOptions Opts;
  Opts.ScriptText.assign(reinterpret_cast<const char *>(Data), Size);
  Opts.HaveScriptText = true;
  Opts.DefaultTapsetDir = STAPC_TAPSET_DIR;
  Opts.BTFPath = btfPath();
  Opts.PP.Args = {"1", "two", "3"}; // so $1..$3 / @1..@3 are defined
  Opts.DiagStream = &llvm::nulls();

  Compilation C(std::move(Opts));
  if (!C.parse() || !C.elaborate() || !C.generateIR())
    return 0;
  std::string Why;
  llvm::raw_string_ostream WhyOS(Why);
  if (llvm::verifyModule(*C.getModule(), &WhyOS)) {
    std::fprintf(stderr, "stapc-fuzz-compile: invalid IR\n%s\n", Why.c_str());
    std::abort();
  }
  // The BPF backend runs in a child process: a second object emission in
  // one process read memory freed with the first module's LLVMContext
  // (heap-use-after-free under BPFAdjustOptPass, bench/RESULTS.md), which
  // stapc itself never does (one module per process). LLVM is not
  // instrumented for coverage, so nothing is lost; ASan still watches the
  // child, and its crash or non-zero exit is the parent's finding.
  pid_t Child = fork();
  if (Child == 0) {
    llvm::SmallVector<char, 0> Object;
    llvm::raw_svector_ostream OS(Object);
    // emitBPF's own errors (no BPF target) are not about the input, but
    // say so loudly rather than hide them.
    _exit(C.emit(OS, OutputKind::Object) ? 0 : 3);
  }
  int Status = 0;
  pid_t Waited = -1;
  if (Child > 0) // libFuzzer's timer signals interrupt the wait
    while ((Waited = waitpid(Child, &Status, 0)) < 0 && errno == EINTR) {
    }
  if (Waited != Child || !WIFEXITED(Status) || WEXITSTATUS(Status) != 0) {
    std::fprintf(stderr, "stapc-fuzz-compile: object emission failed (status %#x)\n",
                 Status);
    std::abort();
  }
  return 0;
}
