//===- KernelBTFTest.cpp - Type and tracepoint queries on the fixture -----===//

#include "stapc/BTF/KernelBTF.h"
#include "stapc/BTF/Tracepoints.h"

#include "gtest/gtest.h"

using namespace stapc;
using namespace llvm;

namespace {

class KernelBTFTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto Opened = KernelBTF::openFile(STAPC_BTF_FIXTURE);
    ASSERT_TRUE(bool(Opened)) << toString(Opened.takeError());
    K = std::move(*Opened);
  }
  uint32_t type(StringRef Name) {
    Expected<uint32_t> Id = K->findType(Name);
    EXPECT_TRUE(bool(Id)) << toString(Id.takeError());
    return Id ? *Id : 0;
  }
  uint32_t memberType(StringRef Agg, StringRef Member) {
    Expected<MemberPath> P = K->findMember(type(Agg), Member);
    EXPECT_TRUE(bool(P)) << toString(P.takeError());
    return P ? P->fieldTypeId() : 0;
  }
  std::unique_ptr<KernelBTF> K;
};

TEST(KernelBTFOpen, MissingAndBadFilesAreErrors) {
  auto Missing = KernelBTF::openFile("/nonexistent/vmlinux");
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(toString(Missing.takeError()).find("no such file"),
            std::string::npos);
  auto NotBTF = KernelBTF::openFile("/proc/self/cmdline");
  ASSERT_FALSE(bool(NotBTF));
  consumeError(NotBTF.takeError());
}

TEST_F(KernelBTFTest, FindTypeFollowsStapOrder) {
  uint32_t Task = type("task_struct");
  EXPECT_EQ(Task, type("struct task_struct"));
  EXPECT_EQ(K->describe(Task).Kind, BTFTypeKind::Struct);
  // A typedef name resolves to the typedef itself; describe() strips it.
  uint32_t Pid = type("pid_t");
  EXPECT_NE(Pid, K->strip(Pid));
  EXPECT_EQ(K->describe(Pid).Kind, BTFTypeKind::Integer);
  EXPECT_TRUE(K->describe(Pid).IsSigned);
  EXPECT_EQ(K->describe(type("enum hrtimer_mode")).Kind, BTFTypeKind::Enum);
  EXPECT_FALSE(bool(K->findType("union task_struct")));
  consumeError(K->findType("union task_struct").takeError());
  // Only a FWD exists for hrtimer_clock_base: not a usable type.
  Expected<uint32_t> Fwd = K->findType("struct hrtimer_clock_base");
  EXPECT_FALSE(bool(Fwd));
  consumeError(Fwd.takeError());
}

TEST_F(KernelBTFTest, Classification) {
  uint32_t Comm = memberType("task_struct", "comm");
  TypeInfo TI = K->describe(Comm);
  EXPECT_EQ(TI.Kind, BTFTypeKind::Array);
  EXPECT_EQ(TI.Count, 16u);
  EXPECT_EQ(TI.Size, 16u);
  EXPECT_TRUE(K->isStringLike(Comm));
  EXPECT_FALSE(K->isIntegerLike(Comm));

  uint32_t Filename = memberType("linux_binprm", "filename"); // const char *
  EXPECT_TRUE(K->isStringLike(Filename));
  EXPECT_TRUE(K->isIntegerLike(Filename));

  uint32_t Parent = memberType("task_struct", "real_parent");
  Expected<uint32_t> Pointee = K->pointee(Parent);
  ASSERT_TRUE(bool(Pointee));
  EXPECT_EQ(*Pointee, type("task_struct"));
  EXPECT_FALSE(K->isStringLike(Parent));

  EXPECT_TRUE(K->isIntegerLike(memberType("hrtimer", "state")));
  EXPECT_TRUE(K->isIntegerLike(memberType("task_struct", "last_state")));
  EXPECT_TRUE(K->isAggregate(memberType("folio", "page")));
  EXPECT_EQ(K->describe(0).Kind, BTFTypeKind::Void);
  EXPECT_EQ(K->describe(1u << 30).Kind, BTFTypeKind::Unknown);
}

TEST_F(KernelBTFTest, TypeNames) {
  EXPECT_EQ(K->typeName(memberType("task_struct", "real_parent")),
            "struct task_struct *");
  EXPECT_EQ(K->typeName(memberType("task_struct", "comm")), "char[16]");
  EXPECT_EQ(K->typeName(memberType("linux_binprm", "filename")), "char *");
  EXPECT_EQ(K->typeName(memberType("hrtimer", "state")), "u8");
  EXPECT_EQ(K->typeName(0), "void");
}

TEST_F(KernelBTFTest, MembersOfAnonymousAggregates) {
  Expected<MemberPath> P = K->findMember(type("folio"), "mapping");
  ASSERT_TRUE(bool(P));
  ASSERT_EQ(P->Steps.size(), 3u);
  EXPECT_FALSE(P->Steps[0].ParentIsUnion);
  EXPECT_TRUE(P->Steps[1].ParentIsUnion);
  EXPECT_EQ(P->Steps[2].MemberIndex, 2u);
  EXPECT_EQ(P->Steps[2].Name, "mapping");
  EXPECT_EQ(P->totalBitOffset(), 192u);
  EXPECT_FALSE(P->isBitfield());

  Expected<MemberPath> B = K->findMember(type("task_struct"), "in_execve");
  ASSERT_TRUE(bool(B));
  EXPECT_TRUE(B->isBitfield());
  EXPECT_EQ(B->Steps.back().BitfieldSize, 1u);
  EXPECT_EQ(B->totalBitOffset(), 130u);

  Expected<MemberPath> Missing = K->findMember(type("task_struct"), "nope");
  ASSERT_FALSE(bool(Missing));
  EXPECT_EQ(toString(Missing.takeError()),
            "'struct task_struct' has no member named 'nope'");

  std::vector<std::string> Names = K->memberNames(type("task_struct"));
  EXPECT_NE(std::find(Names.begin(), Names.end(), "utime_hi"), Names.end());
}

TEST_F(KernelBTFTest, TracepointPrototypes) {
  Expected<TracepointProto> TP = findTracepoint(*K, "sched_switch");
  ASSERT_TRUE(bool(TP)) << toString(TP.takeError());
  ASSERT_EQ(TP->Args.size(), 4u);
  EXPECT_EQ(TP->Args[0].Name, "preempt");
  EXPECT_EQ(TP->Args[2].Name, "next");
  EXPECT_EQ(K->typeName(TP->Args[2].TypeId), "struct task_struct *");
  EXPECT_EQ(TP->Args[3].Name, "prev_state");

  // hrtimer_init has only __bpf_trace_hrtimer_init to name its arguments.
  Expected<TracepointProto> Init = findTracepoint(*K, "hrtimer_init");
  ASSERT_TRUE(bool(Init));
  ASSERT_EQ(Init->Args.size(), 3u);
  EXPECT_EQ(Init->Args[1].Name, "clockid");

  Expected<TracepointProto> Missing = findTracepoint(*K, "nope");
  EXPECT_FALSE(bool(Missing));
  consumeError(Missing.takeError());
}

TEST_F(KernelBTFTest, TracepointPatterns) {
  auto Names = matchTracepoints(*K, "hrtimer_*");
  ASSERT_TRUE(bool(Names));
  EXPECT_EQ(*Names, (std::vector<std::string>{"hrtimer_init", "hrtimer_setup",
                                              "hrtimer_start"}));
  auto Bad = matchTracepoints(*K, "sched_[");
  EXPECT_FALSE(bool(Bad));
  consumeError(Bad.takeError());

  auto [Sys, Name] = splitTracepointPattern("sched:sched_switch");
  EXPECT_EQ(Sys, "sched");
  EXPECT_EQ(Name, "sched_switch");
  auto [NoSys, Bare] = splitTracepointPattern("sched_switch");
  EXPECT_EQ(NoSys, "");
  EXPECT_EQ(Bare, "sched_switch");
}

TEST(Tracefs, MissingRootIsNullopt) {
  EXPECT_FALSE(listTracefsEvents("/nonexistent").has_value());
}

} // namespace
