//===- Histogram.h - Draw stap's ASCII histogram charts ---------*- C++ -*-===//
//
// A HIST record carries the bucket counts of one statistic (summed over
// CPUs); a `hist` metadata line says how its buckets are labelled. This
// renders them the way stap prints @hist_log/@hist_linear.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_HISTOGRAM_H
#define STAPC_RUNTIME_HISTOGRAM_H

#include <cstdint>
#include <span>
#include <string>

namespace stapc::runtime {

/// How a histogram's buckets are laid out (docs/ObjectFormat.md).
struct HistogramLayout {
  bool Linear = false;
  int64_t Low = 0, High = 0, Width = 0; ///< @hist_linear only.
  /// HIST_ELISION: empty buckets kept at each end of a run of empty
  /// buckets (and around the non-empty range); negative keeps them all.
  int Elision = 2;

  /// Buckets a record carries: 128 for log; (High-Low)/Width + 3 for
  /// linear (with underflow and overflow).
  unsigned buckets() const;
  /// The value column text of bucket I ("<Low" and ">High" for the
  /// out-of-range buckets of a linear histogram).
  std::string label(unsigned I) const;
};

/// Appends the chart of Counts (buckets() entries) to Out: a header, one
/// row per shown bucket with a bar of '@' (at most 50), `~` for elided runs
/// of empty buckets, and an empty line.
void renderHistogram(const HistogramLayout &L, std::span<const int64_t> Counts,
                     std::string &Out);

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_HISTOGRAM_H
