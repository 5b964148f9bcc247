//===- ObjectMetaTest.cpp - The .stapc.meta parser -----------------------===//
#include "stapc/Runtime/ObjectMeta.h"

#include <gtest/gtest.h>

using namespace stapc::runtime;

namespace {

std::optional<ObjectMeta> parse(std::string_view Text, std::string *ErrOut = nullptr) {
  std::string Err;
  auto M = parseObjectMeta(Text, Err);
  if (ErrOut)
    *ErrOut = Err;
  return M;
}

std::string errorOf(std::string_view Text) {
  std::string Err;
  EXPECT_FALSE(parse(Text, &Err).has_value()) << Text;
  return Err;
}

TEST(ObjectMetaTest, FullExample) {
  auto M = parse("stapc-meta 1\n"
                 "probe b1 begin 0 \"begin\"\n"
                 "probe e1 end 0 \"end\"\n"
                 "probe x1 error 0 \"error\"\n"
                 "probe t1 event \"kernel.trace(\\\"sched_process_exec\\\")\"\n"
                 "probe p1 perf 1 0 period 100000000 one \"timer.ms(100)\"\n"
                 "probe p2 perf 0 0 freq 99 all \"perf.hw.cpu_cycles\"\n"
                 "format 0 \"%d: %s\\n\"\n"
                 "error 3 \"division by zero near %s\"\n");
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Version, 1u);
  ASSERT_EQ(M->Probes.size(), 6u);
  EXPECT_EQ(M->Probes[0].Kind, ProbeKind::Begin);
  EXPECT_EQ(M->Probes[0].Program, "b1");
  EXPECT_EQ(M->Probes[3].Kind, ProbeKind::Event);
  EXPECT_EQ(M->Probes[3].Point, "kernel.trace(\"sched_process_exec\")");
  const PerfSpec &T = M->Probes[4].Perf;
  EXPECT_EQ(M->Probes[4].Kind, ProbeKind::Perf);
  EXPECT_EQ(T.Type, 1u);
  EXPECT_EQ(T.Config, 0u);
  EXPECT_FALSE(T.UseFrequency);
  EXPECT_EQ(T.PeriodOrFrequency, 100000000u);
  EXPECT_FALSE(T.AllCpus);
  EXPECT_TRUE(M->Probes[5].Perf.UseFrequency);
  EXPECT_TRUE(M->Probes[5].Perf.AllCpus);
  ASSERT_EQ(M->Formats.count(0), 1u);
  EXPECT_EQ(M->Formats.at(0).argumentKinds().size(), 2u);
  ASSERT_EQ(M->Errors.count(3), 1u);
  EXPECT_EQ(M->pointOfProgram("t1"), "kernel.trace(\"sched_process_exec\")");
  EXPECT_EQ(M->pointOfProgram("nope"), "nope");
}

TEST(ObjectMetaTest, PriorityOrderThenObjectOrder) {
  auto M = parse("stapc-meta 1\n"
                 "probe a begin 5 \"begin(5)\"\n"
                 "probe b begin -1 \"begin(-1)\"\n"
                 "probe c begin 5 \"begin(5)\"\n"
                 "probe d end 0 \"end\"\n"
                 "probe e begin 0 \"begin\"\n");
  ASSERT_TRUE(M);
  auto Begins = M->probesOfKind(ProbeKind::Begin);
  ASSERT_EQ(Begins.size(), 4u);
  EXPECT_EQ(Begins[0]->Program, "b");
  EXPECT_EQ(Begins[1]->Program, "e");
  EXPECT_EQ(Begins[2]->Program, "a");
  EXPECT_EQ(Begins[3]->Program, "c");
  EXPECT_EQ(M->probesOfKind(ProbeKind::End).size(), 1u);
  EXPECT_TRUE(M->probesOfKind(ProbeKind::Error).empty());
}

TEST(ObjectMetaTest, StringEscapes) {
  auto M = parse("stapc-meta 1\nformat 0 \"a\\tb\\\\c\\\"d\\101\\0e\\n\"\n");
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Formats.at(0).format({}), std::string("a\tb\\c\"dA\0e\n", 11));
  size_t Pos = 0;
  EXPECT_EQ(parseQuoted("\"\\177x\"", Pos), std::string("\177x"));
  EXPECT_EQ(Pos, 7u);
  Pos = 0;
  EXPECT_FALSE(parseQuoted("\"abc", Pos));
  Pos = 0;
  EXPECT_FALSE(parseQuoted("\"\\q\"", Pos));
  Pos = 0;
  EXPECT_FALSE(parseQuoted("\"\\777\"", Pos)); // > 255
}

TEST(ObjectMetaTest, NulPaddingAndBlankLinesAndUnknownKeywords) {
  static const char Raw[] = "stapc-meta 1\n\nfuture-thing 1 2 \"x\"\nformat 1 \"x\"\n\0\0\0\0";
  std::string Text(Raw, sizeof(Raw) - 1);
  auto M = parse(Text);
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Formats.size(), 1u);
  // No trailing newline is fine too.
  EXPECT_TRUE(parse("stapc-meta 1"));
}

TEST(ObjectMetaTest, VersionErrors) {
  EXPECT_EQ(errorOf("stapc-meta 3\n"),
            "line 1: unsupported object format version 3 (this stapc-run reads versions 1 to 2)");
  EXPECT_EQ(errorOf("stapc-meta\n"), "line 1: expected 'stapc-meta VERSION' as the first line");
  EXPECT_EQ(errorOf("probe a begin 0 \"begin\"\n"),
            "line 1: expected 'stapc-meta VERSION' as the first line");
  EXPECT_EQ(errorOf("stapc-meta x\n"), "line 1: expected 'stapc-meta VERSION' as the first line");
  EXPECT_EQ(errorOf(""), "empty metadata (no 'stapc-meta' line)");
  EXPECT_EQ(errorOf(std::string_view("\0\0", 2)), "empty metadata (no 'stapc-meta' line)");
  EXPECT_EQ(errorOf(std::string_view("stapc-meta 1\n\0x\n", 16)),
            "metadata contains a NUL byte before its end");
}

TEST(ObjectMetaTest, MalformedLines) {
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe a begin \"begin\"\n"),
            "line 2: expected 'probe PROG begin PRIORITY \"POINT\"'");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe a begin x \"begin\"\n"),
            "line 2: expected 'probe PROG begin PRIORITY \"POINT\"'");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe a end 0\n"),
            "line 2: expected 'probe PROG KIND ... \"POINT\"'");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe a event 3 \"x\"\n"),
            "line 2: expected 'probe PROG event \"POINT\"'");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe a kprobe \"x\"\n"), "line 2: unknown probe kind 'kprobe'");
  EXPECT_EQ(errorOf("stapc-meta 1\nformat 0 \"unterminated\n"),
            "line 2: malformed quoted string");
  EXPECT_EQ(errorOf("stapc-meta 1\nformat 0 \"a\" trailing\n"),
            "line 2: malformed quoted string");
  EXPECT_EQ(errorOf("stapc-meta 1\nformat x \"a\"\n"), "line 2: expected 'format ID \"TEXT\"'");
  EXPECT_EQ(errorOf("stapc-meta 1\nformat 1 \"a\"\nformat 1 \"b\"\n"),
            "line 3: duplicate format id 1");
  EXPECT_EQ(errorOf("stapc-meta 1\nerror -1 \"a\"\n"), "line 2: expected 'error ID \"TEXT\"'");
}

TEST(ObjectMetaTest, Alternatives) {
  auto M = parse("stapc-meta 1\n"
                 "probe probe_0 event \"kernel.function(\\\"f\\\")\"\n"
                 "alternative probe_0 probe_0_kp -\n"
                 "alternative probe_1 probe_1_kp probe_1_kpe\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Alternatives.size(), 2u);
  EXPECT_EQ(M->Alternatives[0].Trampoline, "probe_0");
  EXPECT_EQ(M->Alternatives[0].Kprobe, "probe_0_kp");
  EXPECT_EQ(M->Alternatives[0].KprobeEntry, "");
  EXPECT_EQ(M->Alternatives[0].Line, 3u);
  EXPECT_EQ(M->Alternatives[1].KprobeEntry, "probe_1_kpe");
  EXPECT_EQ(errorOf("stapc-meta 1\nalternative a b\n"),
            "line 2: expected 'alternative MAIN KPROBE ENTRY|-'");
  EXPECT_EQ(errorOf("stapc-meta 1\nalternative a b c \"x\"\n"),
            "line 2: expected 'alternative MAIN KPROBE ENTRY|-'");
}

TEST(ObjectMetaTest, MalformedPerf) {
  const char *Usage =
      "line 2: expected 'probe PROG perf TYPE CONFIG period|freq N all|one \"POINT\"'";
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p perf 1 0 period 10 \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p perf 1 0 every 10 one \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p perf 1 0 period 10 some \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p perf x 0 period 10 one \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p perf 1 0 period 0 one \"t\"\n"),
            "line 2: perf period or frequency must be positive");
}

TEST(ObjectMetaTest, Uprobes) {
  auto M = parse("stapc-meta 1\n"
                 "probe p0 uprobe entry 4448 12336 /tmp/a.out \"process(\\\"/tmp/a.out\\\").mark(\\\"m\\\")\"\n"
                 "probe p1 uprobe return 4464 0 /tmp/a.out \"f.return\"\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Probes.size(), 2u);
  const ProbeDecl &E = M->Probes[0];
  EXPECT_EQ(E.Kind, ProbeKind::Uprobe);
  EXPECT_EQ(E.Point, "process(\"/tmp/a.out\").mark(\"m\")");
  EXPECT_EQ(E.Uprobe.Path, "/tmp/a.out");
  EXPECT_EQ(E.Uprobe.Offset, 4448u);
  EXPECT_EQ(E.Uprobe.RefCtrOffset, 12336u);
  EXPECT_FALSE(E.Uprobe.Return);
  EXPECT_TRUE(M->Probes[1].Uprobe.Return);
  const char *Usage =
      "line 2: expected 'probe PROG uprobe entry|return OFFSET REFCTR /PATH \"POINT\"'";
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p uprobe entry 1 0 \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p uprobe call 1 0 /a \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p uprobe entry x 0 /a \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p uprobe entry 1 0 rel \"t\"\n"), Usage);
}

TEST(ObjectMetaTest, Procfs) {
  auto M = parse("stapc-meta 1\n"
                 "probe p0 procfs read 0 __prometheus 0444 65536 \"prometheus\"\n"
                 "probe p1 procfs write 1 block 0200 511 \"procfs(\\\"block\\\").write\"\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Probes.size(), 2u);
  const ProcfsSpec &R = M->Probes[0].Procfs;
  EXPECT_EQ(M->Probes[0].Kind, ProbeKind::Procfs);
  EXPECT_FALSE(R.Write);
  EXPECT_EQ(R.Id, 0u);
  EXPECT_EQ(R.Name, "__prometheus");
  EXPECT_EQ(R.Mode, 0444u);
  EXPECT_EQ(R.MaxSize, 65536u);
  EXPECT_TRUE(M->Probes[1].Procfs.Write);
  EXPECT_EQ(M->Probes[1].Procfs.Mode, 0200u);
  const char *Usage =
      "line 2: expected 'probe PROG procfs read|write ID NAME MODE MAXSIZE \"POINT\"'";
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs read 0 f 0400 \"t\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs both 0 f 0400 1 \"t\"\n"), Usage);
  // Names from the object cannot leave the session's directory.
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs read 0 ../f 0400 1 \"t\"\n"),
            "line 2: procfs file name '../f' is not one plain path component");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs read 0 f 0800 1 \"t\"\n"),
            "line 2: procfs file mode '0800' is not octal 0..0777");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs read 0 f 0400 0 \"t\"\n"),
            "line 2: procfs MAXSIZE must be 1..16777216");
  EXPECT_EQ(errorOf("stapc-meta 1\nprobe p procfs read 0 f 0400 1 \"t\"\n"
                    "probe q procfs write 1 f 0200 1 \"u\"\n"),
            "line 3: procfs file 'f' has a probe already (line 2)");
}

TEST(ObjectMetaTest, Histograms) {
  auto M = parse("stapc-meta 1\nhist 0 log 2\nhist 3 linear -1 -10 25 5\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Histograms.size(), 2u);
  const HistogramLayout &Log = M->Histograms.at(0);
  EXPECT_FALSE(Log.Linear);
  EXPECT_EQ(Log.Elision, 2);
  const HistogramLayout &Lin = M->Histograms.at(3);
  EXPECT_TRUE(Lin.Linear);
  EXPECT_EQ(Lin.Elision, -1);
  EXPECT_EQ(Lin.Low, -10);
  EXPECT_EQ(Lin.High, 25);
  EXPECT_EQ(Lin.Width, 5);
  EXPECT_EQ(Lin.buckets(), 10u);

  const char *Usage = "line 2: expected 'hist ID log ELISION' or "
                      "'hist ID linear ELISION LOW HIGH WIDTH'";
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 log\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 log 2 5\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 square 2\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 linear 2 0 10\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 linear 2 0 10 0\n"),
            "line 2: histogram 0: WIDTH must be positive and HIGH above LOW");
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 linear 2 10 10 1\n"),
            "line 2: histogram 0: WIDTH must be positive and HIGH above LOW");
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 0 linear 2 0 126 1\n"),
            "line 2: histogram 0 has more than 128 buckets");
  EXPECT_EQ(errorOf("stapc-meta 1\nhist 1 log 2\nhist 1 log 2\n"),
            "line 3: duplicate hist id 1");
}

TEST(ObjectMetaTest, ReadMetaSectionErrors) {
  std::string Err;
  EXPECT_FALSE(readMetaSection("/nonexistent/x.o", Err));
  EXPECT_EQ(Err, "cannot open '/nonexistent/x.o': No such file or directory");
  EXPECT_FALSE(readMetaSection("/proc/self/cmdline", Err));
  EXPECT_EQ(Err, "'/proc/self/cmdline' is not an ELF file");
  // An ELF, but not a BPF one.
  EXPECT_FALSE(readMetaSection("/proc/self/exe", Err));
  EXPECT_EQ(Err, "'/proc/self/exe' is not a BPF object file");
}

} // namespace

TEST(ObjectMetaTest, GlobalLines) {
  auto M = parse("stapc-meta 1\n"
                 "global x long bss g_x\n"
                 "global s string:512 data g_s\n"
                 "global st stats map g_st\n"
                 "global a string:16 map g_a long string:16 long\n"
                 "global sa stats map g_sa string:8\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Globals.size(), 5u);
  const GlobalVarDecl &X = M->Globals[0];
  EXPECT_EQ(X.Name, "x");
  EXPECT_EQ(X.Value.K, SlotType::Long);
  EXPECT_EQ(X.Where, GlobalVarDecl::Storage::Bss);
  EXPECT_EQ(X.Symbol, "g_x");
  EXPECT_FALSE(X.isArray());
  EXPECT_EQ(M->Globals[1].Value.K, SlotType::String);
  EXPECT_EQ(M->Globals[1].Value.Size, 512u);
  EXPECT_EQ(M->Globals[1].Where, GlobalVarDecl::Storage::Data);
  EXPECT_EQ(M->Globals[2].Value.K, SlotType::Stats);
  EXPECT_FALSE(M->Globals[2].isArray());
  const GlobalVarDecl &A = M->Globals[3];
  ASSERT_EQ(A.Keys.size(), 3u);
  EXPECT_EQ(A.Keys[1].K, SlotType::String);
  EXPECT_EQ(A.Keys[1].Size, 16u);
  EXPECT_EQ(A.Where, GlobalVarDecl::Storage::Map);
  EXPECT_EQ(M->Globals[4].Keys.size(), 1u);
}

TEST(ObjectMetaTest, MalformedGlobalLines) {
  const char *Usage = "line 2: expected 'global NAME TYPE bss|data|map SYMBOL [KEYTYPE...]'";
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long bss\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long stack g_x\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long bss g_x \"q\"\n"), Usage);
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x double bss g_x\n"),
            "line 2: unknown type 'double' of global 'x'");
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x string:12 bss g_x\n"),
            "line 2: unknown type 'string:12' of global 'x'");
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long bss g_x long\n"),
            "line 2: global 'x' in .bss must be a long or string scalar");
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x stats data g_x\n"),
            "line 2: global 'x' in .data must be a long or string scalar");
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long map g_x\n"),
            "line 2: global 'x' in a map needs key types");
  EXPECT_EQ(errorOf("stapc-meta 1\nglobal x long map g_x stats\n"),
            "line 2: bad key type 'stats' of global 'x'");
}

TEST(ObjectMetaTest, RenderLines) {
  auto M = parse("stapc-meta 2\nformat 0 \"%s %s\"\nrender 0 1 kstack-full\n"
                 "global g symname map g_g ustack-hex\n");
  ASSERT_TRUE(M);
  ASSERT_EQ(M->Renders[0].size(), 1u);
  EXPECT_EQ(M->Renders[0][0].first, 1u);
  EXPECT_EQ(M->Renders[0][0].second, Rendering::KStackFull);
  ASSERT_EQ(M->Globals.size(), 1u);
  EXPECT_EQ(M->Globals[0].Value.Render, Rendering::SymName);
  EXPECT_EQ(M->Globals[0].Keys[0].Render, Rendering::UStackHex);
  EXPECT_EQ(errorOf("stapc-meta 2\nrender 0 0 nonsense\n"),
            "line 2: expected 'render ID ARG KIND' with a known KIND");
}
