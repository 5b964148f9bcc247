//===- Builtins.h - Registry of natively implemented functions -*- C++ -*-===//
#ifndef STAPC_SEMA_BUILTINS_H
#define STAPC_SEMA_BUILTINS_H

#include "stapc/AST/AST.h"

#include <initializer_list>

namespace stapc {

enum class BuiltinID : uint16_t {
#define BUILTIN(ID, Name, Ret, Flags, ...) ID,
#include "stapc/Sema/Builtins.def"
  NumBuiltins
};

struct BuiltinInfo {
  BuiltinID ID;
  StringRef Name;
  TypeKind Return;
  ArrayRef<TypeKind> Params;
  bool Variadic;
};

/// The builtin called Name, or null.
const BuiltinInfo *lookupBuiltin(StringRef Name);
const BuiltinInfo &getBuiltin(BuiltinID ID);

} // namespace stapc

#endif
