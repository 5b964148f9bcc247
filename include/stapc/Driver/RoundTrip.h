//===- RoundTrip.h - Check that printing and parsing agree -----*- C++ -*-===//
//
// `stapc --check-roundtrip` and the fuzzer use this to test the printer and
// the parser against each other: print a parsed file, parse the text again
// into a fresh context, print that, and require equal text and equal trees.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_DRIVER_ROUNDTRIP_H
#define STAPC_DRIVER_ROUNDTRIP_H

#include "stapc/AST/AST.h"
#include "stapc/Parse/Preprocessor.h"

#include "llvm/Support/raw_ostream.h"

namespace stapc {

/// Returns true when F survives print -> parse -> print unchanged. On
/// failure, explains what differed on Err (parse errors of the printed text
/// go there too, in the usual diagnostic format).
bool checkRoundTrip(const ScriptFile &F, const PreprocessorOptions &Opts,
                    llvm::raw_ostream &Err);

} // namespace stapc

#endif
