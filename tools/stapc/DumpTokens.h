//===- DumpTokens.h - The hidden `stapc --dump-tokens` test aid -*- C++ -*-===//
#ifndef STAPC_TOOLS_DUMPTOKENS_H
#define STAPC_TOOLS_DUMPTOKENS_H

#include "stapc/Parse/Preprocessor.h"

#include <string>
#include <vector>

namespace stapc {
/// Preprocess File (with the .stpm libraries under MacroDirs) and print one
/// token per line on stdout. Returns the process exit code.
int dumpTokens(const std::string &File, const std::vector<std::string> &MacroDirs,
               const PreprocessorOptions &Opts);
/// Preprocess each of Files on its own (library macros shared, 16
/// placeholder script arguments), printing diagnostics and a summary line.
int preprocessEach(const std::vector<std::string> &Files,
                   const std::vector<std::string> &MacroDirs,
                   const PreprocessorOptions &Opts);
} // namespace stapc

#endif
