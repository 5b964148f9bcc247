//===- UsdtArgsTest.cpp - SDT marker argument specs -----------------------===//
#include "stapc/Sema/UserProbe.h"

#include <gtest/gtest.h>

using namespace stapc;

namespace {
bool lookup(llvm::StringRef Sym, uint64_t &Addr) {
  if (Sym != "counter")
    return false;
  Addr = 0x4010;
  return true;
}

UsdtArg parse(const char *Spec) { return parseUsdtArg(Spec, lookup); }
} // namespace

TEST(UsdtArgsTest, Registers) {
  UsdtArg A = parse("-4@%eax");
  EXPECT_EQ(A.Kind, UsdtArg::Register);
  EXPECT_EQ(A.Size, 4u);
  EXPECT_TRUE(A.Signed);
  EXPECT_EQ(A.RegOffset, 80); // pt_regs.ax
  EXPECT_EQ(A.RegBytes, 4u);
  A = parse("8@%rdi");
  EXPECT_EQ(A.RegOffset, 112);
  EXPECT_FALSE(A.Signed);
  EXPECT_EQ(A.RegBytes, 8u);
  A = parse("1@%ah");
  EXPECT_TRUE(A.HighByte);
  EXPECT_EQ(A.RegOffset, 80);
  A = parse("-2@%r9w");
  EXPECT_EQ(A.RegOffset, 64);
  EXPECT_EQ(A.RegBytes, 2u);
  A = parse("1@%sil");
  EXPECT_EQ(A.RegOffset, 104);
  EXPECT_EQ(A.RegBytes, 1u);
  A = parse("%r15d"); // no size: the register's width
  EXPECT_EQ(A.RegOffset, 0);
  EXPECT_EQ(A.Size, 4u);
}

TEST(UsdtArgsTest, MemoryAndConstants) {
  UsdtArg A = parse("8@-16(%rbp)");
  EXPECT_EQ(A.Kind, UsdtArg::Memory);
  EXPECT_EQ(A.RegOffset, 32);
  EXPECT_EQ(A.Value, -16);
  A = parse("-2@54(%rsp)");
  EXPECT_EQ(A.RegOffset, 152);
  EXPECT_EQ(A.Value, 54);
  EXPECT_TRUE(A.Signed);
  EXPECT_EQ(A.Size, 2u);
  A = parse("4@(%rax)");
  EXPECT_EQ(A.Value, 0);
  A = parse("-4@$5");
  EXPECT_EQ(A.Kind, UsdtArg::Constant);
  EXPECT_EQ(A.Value, 5);
  A = parse("-8@$-1099511627776");
  EXPECT_EQ(A.Value, -1099511627776);
  A = parse("8@counter+8(%rip)");
  EXPECT_EQ(A.Kind, UsdtArg::Memory);
  EXPECT_TRUE(A.RipRelative);
  EXPECT_EQ(A.Value, 0x4018);
  A = parse("4@counter(%rip)");
  EXPECT_EQ(A.Value, 0x4010);
}

TEST(UsdtArgsTest, Refused) {
  EXPECT_EQ(parse("8@(%rax,%rbx,8)").Error,
            "indexed operand '(%rax,%rbx,8)' is not supported");
  EXPECT_EQ(parse("8@nosuch(%rip)").Error,
            "symbol 'nosuch' of 'nosuch(%rip)' not found");
  EXPECT_EQ(parse("3@%eax").Error, "bad size in '3@%eax'");
  EXPECT_EQ(parse("8@%xmm0").Error, "unknown register '%xmm0'");
  EXPECT_EQ(parse("4@8(%eax)").Error, "unsupported base register in '8(%eax)'");
  EXPECT_EQ(parse("8@%xmm0").Kind, UsdtArg::Invalid);
}
