//===- Builtins.cpp - The builtin registry --------------------------------===//
#include "stapc/Sema/Builtins.h"

#include "llvm/ADT/StringMap.h"

using namespace stapc;

namespace {
constexpr TypeKind Long = TypeKind::Long;
constexpr TypeKind String = TypeKind::String;
constexpr TypeKind Void = TypeKind::Void;
constexpr TypeKind SymName = TypeKind::SymName;
constexpr TypeKind SymData = TypeKind::SymData;
constexpr TypeKind KStack = TypeKind::KStack;
constexpr TypeKind UStack = TypeKind::UStack;
constexpr TypeKind KStackText = TypeKind::KStackText;
constexpr TypeKind UStackText = TypeKind::UStackText;
constexpr TypeKind USymName = TypeKind::USymName;
constexpr TypeKind USymData = TypeKind::USymData;
constexpr bool Variadic = true;
constexpr bool None = false;

struct Table {
  std::vector<std::vector<TypeKind>> ParamStore;
  std::vector<BuiltinInfo> Infos;
  llvm::StringMap<unsigned> ByName;

  Table() {
#define BUILTIN(ID, Name, Ret, Flags, ...)                                     \
  add(BuiltinID::ID, Name, Ret, std::vector<TypeKind>{__VA_ARGS__}, Flags);
#include "stapc/Sema/Builtins.def"
  }

  void add(BuiltinID ID, StringRef Name, TypeKind Ret,
           std::vector<TypeKind> Params, bool IsVariadic) {
    ParamStore.push_back(std::move(Params));
    ByName[Name] = Infos.size();
    Infos.push_back({ID, Name, Ret, {}, IsVariadic});
  }

  void finish() {
    for (size_t I = 0; I < Infos.size(); ++I)
      Infos[I].Params = ParamStore[I];
  }
};

Table &table() {
  static Table T = [] {
    Table X;
    X.finish();
    return X;
  }();
  return T;
}
} // namespace

const BuiltinInfo *stapc::lookupBuiltin(StringRef Name) {
  auto It = table().ByName.find(Name);
  return It == table().ByName.end() ? nullptr : &table().Infos[It->second];
}

const BuiltinInfo &stapc::getBuiltin(BuiltinID ID) {
  return table().Infos[static_cast<unsigned>(ID)];
}
