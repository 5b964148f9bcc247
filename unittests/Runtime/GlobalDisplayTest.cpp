//===- GlobalDisplayTest.cpp - Decoding and printing unread globals -------===//
#include "stapc/Runtime/GlobalDisplay.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace stapc::runtime;

namespace {

GlobalVarDecl decl(const char *Name, SlotType Value, std::vector<SlotType> Keys = {}) {
  GlobalVarDecl G;
  G.Name = Name;
  G.Value = Value;
  G.Keys = std::move(Keys);
  return G;
}

const SlotType Long{SlotType::Long, 8}, Str{SlotType::String, 8},
    Stats{SlotType::Stats, 40};

SlotValue num(int64_t V) {
  SlotValue S;
  S.Long = V;
  return S;
}
SlotValue str(const char *V) {
  SlotValue S;
  S.Str = V;
  return S;
}
SlotValue stat(int64_t Count, int64_t Sum, int64_t Min, int64_t Max) {
  SlotValue S;
  S.Stat = {Count, Sum, Min, Max};
  return S;
}

/// One CPU's statistic record {count, sum, min, max, sumsq}.
void putRecord(std::vector<char> &Buf, int64_t Count, int64_t Sum, int64_t Min,
               int64_t Max) {
  int64_t R[5] = {Count, Sum, Min, Max, 0};
  const char *P = reinterpret_cast<const char *>(R);
  Buf.insert(Buf.end(), P, P + sizeof(R));
}

TEST(GlobalDisplayTest, Scalars) {
  EXPECT_EQ(formatGlobal(decl("x", Long), {{{}, num(-5)}}), "x=-5\n");
  EXPECT_EQ(formatGlobal(decl("s", Str), {{{}, str("a b\"c")}}), "s=\"a b\"c\"\n");
  EXPECT_EQ(formatGlobal(decl("st", Stats), {{{}, stat(3, 10, -2, 9)}}),
            "st @count=3 @min=-2 @max=9 @sum=10 @avg=3\n");
  EXPECT_EQ(formatGlobal(decl("st", Stats), {{{}, stat(0, 0, 0, 0)}}), "st @count=0x0\n");
  // @avg truncates toward zero.
  EXPECT_EQ(formatGlobal(decl("st", Stats), {{{}, stat(2, -3, -2, -1)}}),
            "st @count=2 @min=-2 @max=-1 @sum=-3 @avg=-1\n");
}

TEST(GlobalDisplayTest, ArraysSortDescendingByValueThenKey) {
  GlobalVarDecl A = decl("a", Long, {Long, Str});
  std::string Out = formatGlobal(A, {{{num(1), str("x")}, num(5)},
                                     {{num(2), str("b")}, num(7)},
                                     {{num(2), str("a")}, num(5)},
                                     {{num(-1), str("z")}, num(5)}});
  EXPECT_EQ(Out, "a[2,\"b\"]=7\n"
                 "a[-1,\"z\"]=5\n"
                 "a[1,\"x\"]=5\n"
                 "a[2,\"a\"]=5\n");
  EXPECT_EQ(formatGlobal(decl("s", Str, {Long}), {{{num(1)}, str("a")}, {{num(2)}, str("b")}}),
            "s[2]=\"b\"\ns[1]=\"a\"\n");
  EXPECT_EQ(formatGlobal(A, {}), "");
}

TEST(GlobalDisplayTest, StatArraysSortByCountAndSkipEmpty) {
  GlobalVarDecl S = decl("sa", Stats, {Str});
  std::string Out = formatGlobal(S, {{{str("a")}, stat(1, 4, 4, 4)},
                                     {{str("b")}, stat(2, 3, 1, 2)},
                                     {{str("c")}, stat(0, 0, 0, 0)}});
  EXPECT_EQ(Out, "sa[\"b\"] @count=2 @min=1 @max=2 @sum=3 @avg=1\n"
                 "sa[\"a\"] @count=1 @min=4 @max=4 @sum=4 @avg=4\n");
}

TEST(GlobalDisplayTest, DecodeSumsCpusAndSkipsIdleOnes) {
  std::vector<char> Buf;
  putRecord(Buf, 2, 10, 3, 7);
  putRecord(Buf, 0, 0, 0, 0); // an idle CPU: its min of 0 must not count
  putRecord(Buf, 1, -4, -4, -4);
  SlotValue V = decodeSlot(Stats, Buf);
  EXPECT_EQ(V.Stat.Count, 3);
  EXPECT_EQ(V.Stat.Sum, 6);
  EXPECT_EQ(V.Stat.Min, -4);
  EXPECT_EQ(V.Stat.Max, 7);
}

TEST(GlobalDisplayTest, DecodeKeyColumns) {
  GlobalVarDecl G = decl("a", Long, {Long, Str, Long});
  std::vector<char> Key(24, '\0');
  int64_t A = -7, C = 9;
  std::memcpy(Key.data(), &A, 8);
  std::memcpy(Key.data() + 8, "full8chr", 8); // a full slot has no NUL
  std::memcpy(Key.data() + 16, &C, 8);
  std::vector<SlotValue> K = decodeKey(G, Key);
  ASSERT_EQ(K.size(), 3u);
  EXPECT_EQ(K[0].Long, -7);
  EXPECT_EQ(K[1].Str, "full8chr");
  EXPECT_EQ(K[2].Long, 9);
}

} // namespace
