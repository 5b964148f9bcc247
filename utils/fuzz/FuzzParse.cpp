//===- FuzzParse.cpp - libFuzzer target for the front end -----------------===//
//
// Feeds each input through the lexer, preprocessor and parser as a user
// script (guru mode, so embedded C is accepted), and, when it parses
// cleanly, through the printer and --check-roundtrip's print/parse/compare.
// Any crash, sanitizer report, hang or round-trip mismatch is a finding:
// the front end promises to diagnose every input and never crash on it.
//
// Set STAPC_FUZZ_NO_ROUNDTRIP=1 in the environment to fuzz for crashes only.
//
//===----------------------------------------------------------------------===//
#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Driver/RoundTrip.h"
#include "stapc/Parse/Parser.h"
#include "stapc/Parse/Preprocessor.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace stapc;

static bool roundTripEnabled() {
  static const bool Enabled = [] {
    const char *V = std::getenv("STAPC_FUZZ_NO_ROUNDTRIP");
    return !V || !*V || *V == '0';
  }();
  return Enabled;
}

static PreprocessorOptions fuzzOptions() {
  PreprocessorOptions Opts;
  Opts.GuruMode = true;
  Opts.Args = {"1", "two", "3"}; // so $1..$3 / @1..@3 are defined
  return Opts;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static const PreprocessorOptions Opts = fuzzOptions();
  StringRef Text(reinterpret_cast<const char *>(Data), Size);

  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM, llvm::nulls());
  ASTContext Ctx;
  Preprocessor PP(SM, Diags, Ctx, Opts);
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "fuzz.stp"), llvm::SMLoc());
  PP.enterMainBuffer(ID);
  ScriptFile F = parseScript(PP, Ctx, Diags, "fuzz.stp", ID, false);
  if (Diags.hasErrors() || !roundTripEnabled())
    return 0;

  std::string Why;
  llvm::raw_string_ostream WhyOS(Why);
  if (!checkRoundTrip(F, Opts, WhyOS)) {
    std::fprintf(stderr, "stapc-fuzz-parse: round-trip failure\n%s\n",
                 Why.c_str());
    std::abort();
  }
  return 0;
}
