//===- KernelSymbols.cpp - Kernel function symbols from kallsyms ----------===//
//
// /proc/kallsyms lists every kernel and module symbol with its address
// (root sees real addresses). Only text symbols matter for code addresses;
// a symbol's size is the distance to the next one, as the list has no
// sizes.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Symbolizer.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stapc::runtime {

void KernelSymbols::load(std::string_view Text) {
  Loaded = true;
  Symbols.clear();
  std::istringstream In{std::string(Text)};
  std::string Line;
  while (std::getline(In, Line)) {
    std::istringstream L(Line);
    std::string Addr, Type, Name, Module;
    if (!(L >> Addr >> Type >> Name) || Type.size() != 1)
      continue;
    char T = Type[0] | 0x20; // lowercase: local and global alike
    if (T != 't' && T != 'w')
      continue;
    L >> Module; // "[ext4]" for a module's symbols
    if (Module.size() > 2 && Module.front() == '[' && Module.back() == ']')
      Module = Module.substr(1, Module.size() - 2);
    else
      Module = "kernel";
    Symbols.push_back({std::strtoull(Addr.c_str(), nullptr, 16), Name, Module});
  }
  // Aliases (one address, several names) in name order: deterministic.
  std::sort(Symbols.begin(), Symbols.end(), [](const Symbol &A, const Symbol &B) {
    return A.Addr != B.Addr ? A.Addr < B.Addr : A.Name < B.Name;
  });
}

std::optional<SymbolHit> KernelSymbols::lookup(uint64_t Addr) {
  if (!Loaded) {
    std::ifstream F("/proc/kallsyms");
    std::stringstream S;
    S << F.rdbuf();
    load(S.str());
  }
  auto It = std::upper_bound(Symbols.begin(), Symbols.end(), Addr,
                             [](uint64_t A, const Symbol &S) { return A < S.Addr; });
  if (It == Symbols.begin() || Addr == 0)
    return std::nullopt;
  auto Next = It;
  const Symbol &S = *--It;
  // Aliases share an address: the size runs to the next address.
  uint64_t Size = Next == Symbols.end() ? 0 : Next->Addr - S.Addr;
  if (S.Addr == 0 || (Size && Addr - S.Addr >= Size))
    return std::nullopt; // unprivileged (all zero) or past the last symbol
  return SymbolHit{S.Name, Addr - S.Addr, Size, S.Module};
}

} // namespace stapc::runtime
