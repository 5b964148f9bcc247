//===- GlobalDisplay.h - Print unread globals as stap does ------*- C++ -*-===//
//
// At the end of a session stap prints every global the script writes but
// never reads. The loader reads their bytes (GlobalReader) and this part,
// which knows nothing of libbpf, decodes, sorts and formats them:
//
//   x=5                 s="text"            a[1,"k"]=7
//   st @count=2 @min=1 @max=4 @sum=5 @avg=2
//   st @count=0x0       (an empty statistic, stap's own spelling)
//
// Array elements come in stap's order for this display, descending by
// value (statistics: by @count); equal values are ordered by ascending key
// so that the output is deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_GLOBALDISPLAY_H
#define STAPC_RUNTIME_GLOBALDISPLAY_H

#include "stapc/Runtime/ObjectMeta.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace stapc::runtime {

/// A statistic combined over CPUs (Min/Max are meaningful when Count > 0).
struct StatSummary {
  int64_t Count = 0, Sum = 0, Min = 0, Max = 0;
};

/// A decoded long, string or statistic.
struct SlotValue {
  int64_t Long = 0;
  std::string Str;
  StatSummary Stat;
};

struct GlobalElement {
  std::vector<SlotValue> Keys; ///< One per key column; empty for scalars.
  SlotValue Value;
};

/// Decodes one column. For statistics Bytes holds one 40-byte record per
/// CPU (the per-CPU layout of a BPF map value); CPUs with no values are
/// skipped. Bytes must hold at least T.Size bytes (times CPUs for stats).
SlotValue decodeSlot(const SlotType &T, std::span<const char> Bytes);

/// Decodes a packed key (columns back to back) of an array.
std::vector<SlotValue> decodeKey(const GlobalVarDecl &G, std::span<const char> Key);

/// The lines stap prints for G (each ending in '\n'). Sorts Elements.
/// Array elements of a statistic with no values are left out.
std::string formatGlobal(const GlobalVarDecl &G, std::vector<GlobalElement> Elements);

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_GLOBALDISPLAY_H
