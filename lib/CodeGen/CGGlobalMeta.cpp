//===- CGGlobalMeta.cpp - .stapc.meta lines for end-of-session globals ----===//
//
// Sema lists the globals the script writes but never reads; stap prints
// them when the session ends. The printing happens in the loader (it reads
// maps and variables with libbpf after the end probes), so CodeGen only
// says where each one lives and how its bytes are laid out:
//
//   global NAME long|string:N bss|data SYMBOL      scalar variable
//   global NAME stats map MAP                      scalar statistic
//   global NAME long|string:N|stats map MAP KEY... array, KEY = long|string:N
//
// A formatted-later value (symname(), backtrace()...) is a long whose word
// is its `render` kind instead (symname, kstack-hex, ...).
//
// N is the bytes a string occupies in storage (MAXSTRINGLEN rounded up to
// 8); see docs/ObjectFormat.md.
//
//===----------------------------------------------------------------------===//
#include "CodeGenModule.h"

#include "llvm/IR/GlobalVariable.h"
#include "llvm/Support/raw_ostream.h"

using namespace stapc;
using namespace llvm;

static std::string slotWord(const SlotLayout &L, bool &Renders) {
  switch (L.Ty) {
  case TypeKind::String:
    return "string:" + std::to_string(L.Size);
  case TypeKind::Stats:
    return "stats";
  default:
    // A formatted-later value: a long the loader renders (CGSymbols.cpp).
    if (isFormattedLater(L.Ty)) {
      Renders = true;
      return CodeGenModule::renderingOf(L.Ty).str();
    }
    return "long";
  }
}

void CodeGenModule::emitUnreadGlobalLines(raw_ostream &OS) {
  for (GlobalDecl *G : Prog.UnreadGlobals) {
    auto It = Globals.find(&G->getVar());
    if (It == Globals.end())
      continue; // no storage: never used after all
    const GlobalStorage &S = It->second;
    OS << "global " << G->getName() << " " << slotWord(S.Value, UnreadGlobalsRender) << " ";
    if (!S.IsArray && !S.IsStats) {
      // ".bss" -> "bss": the loader finds SYMBOL in that section's DATASEC.
      OS << S.GV->getSection().drop_front() << " " << S.GV->getName() << "\n";
      continue;
    }
    OS << "map " << S.GV->getName();
    for (const SlotLayout &K : S.Keys)
      OS << " " << slotWord(K, UnreadGlobalsRender);
    OS << "\n";
  }
}
