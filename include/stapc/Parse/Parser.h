//===- Parser.h - Recursive-descent parser ---------------------*- C++ -*-===//
#ifndef STAPC_PARSE_PARSER_H
#define STAPC_PARSE_PARSER_H

#include "stapc/AST/AST.h"
#include "stapc/Parse/Preprocessor.h"

namespace stapc {

/// Parse one file (already entered into PP) into a ScriptFile whose
/// declarations live in Ctx. Reports errors through Diags and recovers at
/// declaration and statement boundaries so that one run shows several
/// errors. Never crashes or loops on any input.
ScriptFile parseScript(Preprocessor &PP, ASTContext &Ctx,
                       DiagnosticEngine &Diags, StringRef FileName,
                       unsigned BufferID, bool IsTapset);

} // namespace stapc

#endif
