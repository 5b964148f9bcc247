//===- CGFormat.h - Format pieces shared by printf and sprintf -*- C++ -*-===//
//
// printf sends its arguments to the loader; sprintf formats in BPF. Both
// read `*` fields the way the loader's Formatter.cpp does.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_CGFORMAT_H
#define STAPC_LIB_CODEGEN_CGFORMAT_H

#include "BPFIRBuilder.h"

#include <utility>

namespace stapc {

/// A `*` precision: the argument as a C int, clamped to [0, MaxFieldWidth].
llvm::Value *emitStarPrecision(BPFIRBuilder &B, llvm::Value *Arg);

/// A `*` width: {|int(Arg)| clamped to MaxFieldWidth, whether it was
/// negative (which left-justifies)}.
std::pair<llvm::Value *, llvm::Value *> emitStarWidth(BPFIRBuilder &B,
                                                      llvm::Value *Arg);

/// The C-escaped form of the byte Ch (0-255) at P: itself if printable,
/// else \a \b \f \n \r \t \v, \\ and \<Quote>, or \ooo. Writes 4 bytes
/// (the tail is junk when shorter); returns the length, 1, 2 or 4.
llvm::Value *emitCharEscape(BPFIRBuilder &B, llvm::Value *Ch, llvm::Value *P,
                            char Quote);

} // namespace stapc

#endif
