//===- Histogram.cpp - Draw stap's ASCII histogram charts -----------------===//
//
// The chart, as the langref's examples show it:
//
//   value |-------------------------------------------------- count
//       0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1650
//     200 |                                                      8
//         ~
//    1400 |                                                      1
//
// The value column is right-aligned to its widest label (at least
// "value"), the count column to its widest count. A count of n draws
// n / scale '@', where scale is 1 up to a largest count of 50 and
// ceil(largest / 50) beyond, so no bar is longer than 50. Shown are the
// buckets from HIST_ELISION before the first non-empty one to HIST_ELISION
// after the last; inside that range a run of more than 2 * HIST_ELISION
// empty buckets keeps HIST_ELISION at each end and a `~` line in between.
// A linear histogram's underflow and overflow rows appear only when they
// counted something. An empty line ends the chart.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Histogram.h"
#include "stapc/Object/RecordFormat.h"

#include <algorithm>
#include <vector>

namespace stapc::runtime {

namespace {
constexpr unsigned BarWidth = 50;

struct Row {
  std::string Label;
  int64_t Count = 0;
  bool Elided = false; // the `~` line
};

void pad(std::string &Out, const std::string &S, size_t Width) {
  if (S.size() < Width)
    Out.append(Width - S.size(), ' ');
  Out += S;
}

/// The rows to print: trimmed ends, elided runs of empty buckets.
std::vector<Row> chooseRows(const HistogramLayout &L,
                            std::span<const int64_t> Counts) {
  std::vector<Row> Rows;
  auto Add = [&](long I) { Rows.push_back({L.label(I), Counts[I], false}); };
  long First = L.Linear ? 1 : 0;
  long Last = static_cast<long>(Counts.size()) - (L.Linear ? 2 : 1);
  long Lo = First;
  while (Lo <= Last && Counts[Lo] == 0)
    ++Lo;
  long Hi = Last;
  while (Hi >= First && Counts[Hi] == 0)
    --Hi;
  long E = L.Elision;
  long Start = First, End = Last;
  if (E >= 0) {
    Start = std::max(First, Lo - E);
    End = Lo > Last ? Start - 1 : std::min(Last, Hi + E); // all empty: none
  }
  if (L.Linear && Counts[0])
    Add(0);
  for (long I = Start; I <= End; ++I) {
    if (Counts[I] != 0 || E < 0) {
      Add(I);
      continue;
    }
    long J = I; // the run of empty buckets is [I, J)
    while (J <= End && Counts[J] == 0)
      ++J;
    bool Inside = I > Lo && J <= Hi;
    if (Inside && J - I > 2 * E) {
      for (long K = I; K < I + E; ++K)
        Add(K);
      Rows.push_back({"", 0, true});
      for (long K = J - E; K < J; ++K)
        Add(K);
    } else {
      for (long K = I; K < J; ++K)
        Add(K);
    }
    I = J - 1;
  }
  if (L.Linear && Counts[Last + 1])
    Add(Last + 1);
  return Rows;
}
} // namespace

unsigned HistogramLayout::buckets() const {
  if (!Linear)
    return STAPC_HIST_LOG_BUCKETS;
  uint64_t Span = static_cast<uint64_t>(High) - static_cast<uint64_t>(Low);
  return static_cast<unsigned>(Span / static_cast<uint64_t>(Width)) + 3;
}

std::string HistogramLayout::label(unsigned I) const {
  if (Linear) {
    if (I == 0)
      return "<" + std::to_string(Low);
    if (I + 1 == buckets())
      return ">" + std::to_string(High);
    return std::to_string(Low + static_cast<int64_t>(I - 1) * Width);
  }
  if (I == STAPC_HIST_LOG_ZERO)
    return "0";
  // Bucket ZERO+k starts at 2^(k-1), bucket ZERO-k at -2^(k-1).
  if (I > STAPC_HIST_LOG_ZERO)
    return std::to_string(uint64_t(1) << (I - STAPC_HIST_LOG_ZERO - 1));
  return "-" + std::to_string(uint64_t(1) << (STAPC_HIST_LOG_ZERO - I - 1));
}

void renderHistogram(const HistogramLayout &L, std::span<const int64_t> Counts,
                     std::string &Out) {
  std::vector<Row> Rows = chooseRows(L, Counts);
  size_t ValueWidth = 5, CountWidth = 1;
  int64_t Largest = 0;
  for (const Row &R : Rows) {
    ValueWidth = std::max(ValueWidth, R.Label.size());
    CountWidth = std::max(CountWidth, std::to_string(R.Count).size());
    Largest = std::max(Largest, R.Count);
  }
  int64_t Scale = Largest <= BarWidth ? 1 : (Largest + BarWidth - 1) / BarWidth;
  pad(Out, "value", ValueWidth);
  Out += " |";
  Out.append(BarWidth, '-');
  Out += " count\n";
  for (const Row &R : Rows) {
    if (R.Elided) {
      Out.append(ValueWidth, ' ');
      Out += " ~\n";
      continue;
    }
    pad(Out, R.Label, ValueWidth);
    Out += " |";
    size_t Bar = R.Count > 0 ? static_cast<size_t>(R.Count / Scale) : 0;
    Out.append(Bar, '@');
    Out.append(BarWidth - Bar + 1, ' ');
    pad(Out, std::to_string(R.Count), CountWidth);
    Out += '\n';
  }
  Out += '\n';
}

} // namespace stapc::runtime
