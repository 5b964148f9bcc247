//===- GlobalDisplay.cpp - Print unread globals as stap does --------------===//
//
// The formats are the ones stap's translator generates for its display
// probes (checked against stap 4.8's elaborated output): `%d` for long
// values, `%#d` for long keys and statistics (the same digits), `"%#s"` for
// strings (quoted, not escaped).
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/GlobalDisplay.h"

#include <algorithm>
#include <cstring>

namespace stapc::runtime {

namespace {
constexpr size_t StatRecordSize = 40; // count, sum, min, max, sumsq

int64_t readLong(const char *P) {
  int64_t V;
  std::memcpy(&V, P, sizeof(V));
  return V;
}

/// Adds two values with the wrap-around of the BPF side's 64-bit adds.
int64_t wrapAdd(int64_t A, int64_t B) {
  return static_cast<int64_t>(static_cast<uint64_t>(A) + static_cast<uint64_t>(B));
}

StatSummary combineCpus(std::span<const char> Bytes) {
  StatSummary S;
  for (size_t Off = 0; Off + StatRecordSize <= Bytes.size(); Off += StatRecordSize) {
    const char *R = Bytes.data() + Off;
    int64_t N = readLong(R);
    if (N <= 0) // this CPU saw no values: its min/max mean nothing
      continue;
    int64_t Min = readLong(R + 16), Max = readLong(R + 24);
    S.Min = S.Count == 0 ? Min : std::min(S.Min, Min);
    S.Max = S.Count == 0 ? Max : std::max(S.Max, Max);
    S.Count = wrapAdd(S.Count, N);
    S.Sum = wrapAdd(S.Sum, readLong(R + 8));
  }
  return S;
}

std::string quoted(const std::string &S) { return "\"" + S + "\""; }

std::string formatSlot(const SlotType &T, const SlotValue &V) {
  // A rendered long (a symbol, a backtrace) is text, as in stap.
  return T.K == SlotType::String || T.Render != Rendering::None
             ? quoted(V.Str)
             : std::to_string(V.Long);
}

/// ` @count=N @min=... @avg=...`, or stap's ` @count=0x0` when empty.
std::string formatStat(const StatSummary &S) {
  if (S.Count == 0)
    return " @count=0x0";
  // Count > 0: no division by zero; truncates toward zero like stap.
  return " @count=" + std::to_string(S.Count) + " @min=" + std::to_string(S.Min) +
         " @max=" + std::to_string(S.Max) + " @sum=" + std::to_string(S.Sum) +
         " @avg=" + std::to_string(S.Sum / S.Count);
}

/// <0, 0, >0 as A sorts before, with, after B in ascending order.
int compareSlot(const SlotType &T, const SlotValue &A, const SlotValue &B) {
  switch (T.K) {
  case SlotType::String:
    return A.Str.compare(B.Str);
  case SlotType::Stats:
    return A.Stat.Count < B.Stat.Count ? -1 : A.Stat.Count > B.Stat.Count;
  case SlotType::Long:
    break;
  }
  return A.Long < B.Long ? -1 : A.Long > B.Long;
}

/// stap's display order: value descending; ties by ascending key.
void sortElements(const GlobalVarDecl &G, std::vector<GlobalElement> &Elements) {
  std::sort(Elements.begin(), Elements.end(),
            [&](const GlobalElement &A, const GlobalElement &B) {
              if (int C = compareSlot(G.Value, A.Value, B.Value))
                return C > 0;
              for (size_t I = 0; I < G.Keys.size(); ++I)
                if (int C = compareSlot(G.Keys[I], A.Keys[I], B.Keys[I]))
                  return C < 0;
              return false;
            });
}
} // namespace

SlotValue decodeSlot(const SlotType &T, std::span<const char> Bytes) {
  SlotValue V;
  switch (T.K) {
  case SlotType::Long:
    if (Bytes.size() >= 8)
      V.Long = readLong(Bytes.data());
    break;
  case SlotType::String: {
    size_t N = std::min<size_t>(T.Size, Bytes.size());
    V.Str.assign(Bytes.data(), strnlen(Bytes.data(), N));
    break;
  }
  case SlotType::Stats:
    V.Stat = combineCpus(Bytes);
    break;
  }
  return V;
}

std::vector<SlotValue> decodeKey(const GlobalVarDecl &G, std::span<const char> Key) {
  std::vector<SlotValue> Out;
  size_t Off = 0;
  for (const SlotType &K : G.Keys) {
    Out.push_back(decodeSlot(K, Key.subspan(std::min(Off, Key.size()))));
    Off += K.Size;
  }
  return Out;
}

std::string formatGlobal(const GlobalVarDecl &G, std::vector<GlobalElement> Elements) {
  if (!G.isArray()) {
    if (Elements.empty())
      return "";
    const SlotValue &V = Elements.front().Value;
    if (G.Value.K == SlotType::Stats)
      return G.Name + formatStat(V.Stat) + "\n";
    return G.Name + "=" + formatSlot(G.Value, V) + "\n";
  }
  sortElements(G, Elements);
  std::string Out;
  for (const GlobalElement &E : Elements) {
    if (G.Value.K == SlotType::Stats && E.Value.Stat.Count == 0)
      continue;
    Out += G.Name + "[";
    for (size_t I = 0; I < G.Keys.size(); ++I)
      Out += (I ? "," : "") + formatSlot(G.Keys[I], E.Keys[I]);
    Out += "]";
    Out += G.Value.K == SlotType::Stats ? formatStat(E.Value.Stat)
                                        : "=" + formatSlot(G.Value, E.Value);
    Out += "\n";
  }
  return Out;
}

} // namespace stapc::runtime
