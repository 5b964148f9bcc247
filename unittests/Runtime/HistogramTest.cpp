//===- HistogramTest.cpp - stap's ASCII histogram charts ------------------===//
#include "stapc/Runtime/Histogram.h"
#include "stapc/Object/RecordFormat.h"

#include <gtest/gtest.h>

#include <vector>

using namespace stapc::runtime;

namespace {

std::string render(const HistogramLayout &L, const std::vector<int64_t> &C) {
  std::string Out;
  renderHistogram(L, C, Out);
  return Out;
}

HistogramLayout linear(int64_t Low, int64_t High, int64_t Width, int E = 2) {
  HistogramLayout L;
  L.Linear = true;
  L.Low = Low;
  L.High = High;
  L.Width = Width;
  L.Elision = E;
  return L;
}

/// Log buckets with Counts[label] set, labels given as bucket offsets from
/// the zero bucket (k for 2^(k-1), -k for -2^(k-1)).
std::vector<int64_t> logCounts(std::initializer_list<std::pair<int, int64_t>> C) {
  std::vector<int64_t> V(STAPC_HIST_LOG_BUCKETS);
  for (auto [K, N] : C)
    V[STAPC_HIST_LOG_ZERO + K] = N;
  return V;
}

TEST(HistogramTest, Labels) {
  HistogramLayout Log;
  EXPECT_EQ(Log.buckets(), 128u);
  EXPECT_EQ(Log.label(64), "0");
  EXPECT_EQ(Log.label(65), "1");
  EXPECT_EQ(Log.label(66), "2");
  EXPECT_EQ(Log.label(127), "4611686018427387904");
  EXPECT_EQ(Log.label(63), "-1");
  EXPECT_EQ(Log.label(61), "-4");
  EXPECT_EQ(Log.label(0), "-9223372036854775808");
  HistogramLayout Lin = linear(-10, 25, 10); // -10, 0, 10, 20 + 2
  EXPECT_EQ(Lin.buckets(), 6u);
  EXPECT_EQ(Lin.label(0), "<-10");
  EXPECT_EQ(Lin.label(1), "-10");
  EXPECT_EQ(Lin.label(4), "20");
  EXPECT_EQ(Lin.label(5), ">25");
}

// The langref's @hist_linear example (8.4.1), character for character
// without its indentation: a run of five empty buckets keeps two at each
// end, the empty buckets above 1400 are trimmed to two, and 1650 sets the
// scale so that it draws 50 '@'.
TEST(HistogramTest, LangrefLinearExample) {
  std::vector<int64_t> C(linear(0, 10240, 200).buckets());
  C[1] = 1650; // 0
  C[2] = 8;    // 200
  C[8] = 1;    // 1400
  EXPECT_EQ(render(linear(0, 10240, 200), C),
            "value |-------------------------------------------------- count\n"
            "    0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1650\n"
            "  200 |                                                      8\n"
            "  400 |                                                      0\n"
            "  600 |                                                      0\n"
            "      ~\n"
            " 1000 |                                                      0\n"
            " 1200 |                                                      0\n"
            " 1400 |                                                      1\n"
            " 1600 |                                                      0\n"
            " 1800 |                                                      0\n"
            "\n");
}

// The langref's @hist_log example (8.4.2): two empty buckets before 32 and
// after 1024, and 16689 drawn with 49 '@' (scale ceil(16689 / 50) = 334,
// under which 254 draws none). The langref prints its count column one
// space narrower than its linear example does; stapc aligns counts the
// same way in both.
TEST(HistogramTest, LangrefLogExample) {
  auto C = logCounts({{6, 254}, {7, 3}, {8, 2}, {9, 2}, {10, 4}, {11, 16689}});
  EXPECT_EQ(render(HistogramLayout(), C),
            "value |-------------------------------------------------- count\n"
            "    8 |                                                       0\n"
            "   16 |                                                       0\n"
            "   32 |                                                     254\n"
            "   64 |                                                       3\n"
            "  128 |                                                       2\n"
            "  256 |                                                       2\n"
            "  512 |                                                       4\n"
            " 1024 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@  16689\n"
            " 2048 |                                                       0\n"
            " 4096 |                                                       0\n"
            "\n");
}

TEST(HistogramTest, NegativeZeroAndWideLabels) {
  // -7, -1, 0 (x3), 1, 2, 3, 2^40: the bucket before -4 and two runs
  // longer than four elided.
  auto C = logCounts({{-3, 1}, {-1, 1}, {0, 3}, {1, 1}, {2, 2}, {41, 1}});
  EXPECT_EQ(render(HistogramLayout(), C),
            "        value |-------------------------------------------------- count\n"
            "          -16 |                                                   0\n"
            "           -8 |                                                   0\n"
            "           -4 |@                                                  1\n"
            "           -2 |                                                   0\n"
            "           -1 |@                                                  1\n"
            "            0 |@@@                                                3\n"
            "            1 |@                                                  1\n"
            "            2 |@@                                                 2\n"
            "            4 |                                                   0\n"
            "            8 |                                                   0\n"
            "              ~\n"
            " 274877906944 |                                                   0\n"
            " 549755813888 |                                                   0\n"
            "1099511627776 |@                                                  1\n"
            "2199023255552 |                                                   0\n"
            "4398046511104 |                                                   0\n"
            "\n");
}

TEST(HistogramTest, ScaleIsCeilingOfLargestOverFifty) {
  // 101 > 50: scale 3, so 101 draws 33 and 2 draws none.
  auto C = logCounts({{1, 101}, {2, 2}});
  std::string Out = render(HistogramLayout(), C);
  EXPECT_NE(Out.find("    1 |" + std::string(33, '@') + std::string(17, ' ') +
                     " 101\n"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("    2 |" + std::string(51, ' ') + "  2\n"),
            std::string::npos)
      << Out;
}

TEST(HistogramTest, LinearOutOfRangeRowsOnlyWhenCounted) {
  HistogramLayout L = linear(0, 100, 10); // 11 buckets + 2
  std::vector<int64_t> C(L.buckets());
  C[0] = 1;  // below 0
  C[1] = 2;  // 0
  C[12] = 2; // above 100
  EXPECT_EQ(render(L, C),
            "value |-------------------------------------------------- count\n"
            "   <0 |@                                                  1\n"
            "    0 |@@                                                 2\n"
            "   10 |                                                   0\n"
            "   20 |                                                   0\n"
            " >100 |@@                                                 2\n"
            "\n");
  C[0] = C[12] = 0;
  EXPECT_EQ(render(L, C).find("<0"), std::string::npos);
}

TEST(HistogramTest, ElisionSettings) {
  HistogramLayout L = linear(0, 60, 10); // 0..60: 7 buckets + 2
  std::vector<int64_t> C(L.buckets());
  C[1] = 1; // 0
  C[7] = 1; // 60
  // 0: every empty bucket goes; a run leaves a `~`.
  L.Elision = 0;
  EXPECT_EQ(render(L, C),
            "value |-------------------------------------------------- count\n"
            "    0 |@                                                  1\n"
            "      ~\n"
            "   60 |@                                                  1\n"
            "\n");
  // A run of exactly 2 * HIST_ELISION stays.
  L.Elision = 3;
  std::string Out = render(L, C);
  EXPECT_EQ(Out.find('~'), std::string::npos) << Out;
  // Negative: every bucket of the range; out-of-range rows still only
  // when they counted something.
  L.Elision = -1;
  Out = render(L, C);
  EXPECT_NE(Out.find("   50 |"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("<0"), std::string::npos) << Out;
}

TEST(HistogramTest, EmptyHistogramIsJustTheHeader) {
  EXPECT_EQ(render(HistogramLayout(), logCounts({})),
            "value |-------------------------------------------------- count\n"
            "\n");
}

} // namespace
