//===- GlobalReader.h - Print unread globals after a session -*- C++ -*-===//
#ifndef STAPC_LIB_RUNTIME_GLOBALREADER_H
#define STAPC_LIB_RUNTIME_GLOBALREADER_H

#include "stapc/Runtime/ObjectMeta.h"

#include <cstdio>

struct bpf_object;

namespace stapc::runtime {

/// Prints every global of Meta.Globals, in order, to Out as stap does at
/// the end of a session (see GlobalDisplay.h). Call it after the end probes
/// ran, once nothing is attached any more. A global that cannot be read
/// (missing or mis-sized map or variable) gets a warning on Err and the
/// others still print; returns false if that happened.
/// Sym renders the formatted-later columns (symbols, backtraces).
bool printUnreadGlobals(bpf_object *Obj, const ObjectMeta &Meta, std::FILE *Out,
                        std::FILE *Err, Symbolizer &Sym);

} // namespace stapc::runtime

#endif
