//===- RecordReaderTest.cpp - Ring buffer record decoding -----------------===//
#include "stapc/Runtime/RecordReader.h"
#include "stapc/Object/RecordFormat.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace stapc::runtime;

namespace {

/// Builds a record the way the BPF side does.
class RecordBuilder {
public:
  RecordBuilder(uint32_t Type, uint32_t Id) {
    stapc_record_header H{Type, Id};
    append(&H, sizeof(H));
  }
  RecordBuilder &addLong(int64_t V) {
    align();
    append(&V, sizeof(V));
    return *this;
  }
  RecordBuilder &addString(std::string_view S) {
    align();
    uint32_t Len = S.size();
    append(&Len, sizeof(Len));
    append(S.data(), S.size());
    return *this;
  }
  std::span<const char> bytes() {
    align();
    return Bytes;
  }
  std::string Bytes;

private:
  void align() { Bytes.resize(STAPC_ALIGN8(Bytes.size()), '\0'); }
  void append(const void *P, size_t N) { Bytes.append(static_cast<const char *>(P), N); }
};

TEST(RecordReaderTest, DecodeLongsAndStrings) {
  RecordBuilder R(STAPC_REC_PRINTF, 0);
  R.addLong(-5).addString("hello").addLong(7).addString("");
  std::string Err;
  auto Args = decodeArguments(
      R.bytes(), {ArgKind::Long, ArgKind::String, ArgKind::Long, ArgKind::String}, Err);
  ASSERT_TRUE(Args) << Err;
  ASSERT_EQ(Args->size(), 4u);
  EXPECT_EQ((*Args)[0].Long, -5);
  EXPECT_EQ((*Args)[1].Bytes, "hello");
  EXPECT_EQ((*Args)[2].Long, 7);
  EXPECT_EQ((*Args)[3].Bytes, "");
  // "hello" ends at 8+8+4+5 = 25; the next long starts at 32.
  EXPECT_EQ(R.bytes().size(), 48u);
}

TEST(RecordReaderTest, DecodeRejectsShortRecords) {
  std::string Err;
  RecordBuilder R(STAPC_REC_PRINTF, 0);
  R.addLong(1);
  EXPECT_FALSE(decodeArguments(R.bytes(), {ArgKind::Long, ArgKind::Long}, Err));
  EXPECT_EQ(Err, "record too short for argument 2");

  RecordBuilder S(STAPC_REC_PRINTF, 0);
  S.addString("abc");
  std::string Bytes(S.bytes().begin(), S.bytes().end());
  uint32_t Huge = 1000;
  std::memcpy(Bytes.data() + 8, &Huge, 4);
  EXPECT_FALSE(decodeArguments(Bytes, {ArgKind::String}, Err));
  EXPECT_EQ(Err, "string argument 1 runs past the end of the record");
}

/// Runs records through a RecordReader with temporary files as streams.
struct ReaderHarness {
  ObjectMeta Meta;
  std::FILE *Out = std::tmpfile();
  std::FILE *Err = std::tmpfile();
  RecordReader Reader{Meta, Out, Err};

  explicit ReaderHarness(std::string_view MetaText) {
    std::string E;
    Meta = *parseObjectMeta(MetaText, E);
  }
  ~ReaderHarness() {
    std::fclose(Out);
    std::fclose(Err);
  }
  static std::string contents(std::FILE *F) {
    std::fflush(F);
    std::rewind(F);
    std::string S;
    char Buf[256];
    size_t N;
    while ((N = std::fread(Buf, 1, sizeof(Buf), F)) > 0)
      S.append(Buf, N);
    return S;
  }
};

TEST(RecordReaderTest, PrintfExitAndErrorRecords) {
  ReaderHarness H("stapc-meta 1\nformat 0 \"%s=%d\\n\"\nerror 2 \"bad value %d\"\n");
  RecordBuilder P(STAPC_REC_PRINTF, 0);
  P.addString("x").addLong(3);
  H.Reader.handle(P.bytes());
  EXPECT_FALSE(H.Reader.sawExit());
  RecordBuilder E(STAPC_REC_ERROR, 2);
  E.addLong(-1);
  H.Reader.handle(E.bytes());
  RecordBuilder X(STAPC_REC_EXIT, 0);
  H.Reader.handle(X.bytes());
  H.Reader.flush();
  EXPECT_TRUE(H.Reader.sawExit());
  EXPECT_EQ(H.Reader.errorCount(), 1u);
  EXPECT_EQ(ReaderHarness::contents(H.Out), "x=3\n");
  EXPECT_EQ(ReaderHarness::contents(H.Err), "ERROR: bad value -1\n");
}

TEST(RecordReaderTest, ProcfsRecordsBuildAFileText) {
  ReaderHarness H("stapc-meta 1\n");
  auto Send = [&](uint32_t Type, uint32_t Id, std::string_view S) {
    RecordBuilder R(Type, Id);
    R.addString(S);
    H.Reader.handle(R.bytes());
  };
  Send(STAPC_REC_PROCFS_APPEND, 1, "lost ");
  Send(STAPC_REC_PROCFS_SET, 1, "a=");
  Send(STAPC_REC_PROCFS_APPEND, 2, "other");
  Send(STAPC_REC_PROCFS_APPEND, 1, "1\n");
  EXPECT_EQ(H.Reader.takeProcfsText(1), "a=1\n");
  EXPECT_EQ(H.Reader.takeProcfsText(1), ""); // taken
  EXPECT_EQ(H.Reader.takeProcfsText(2), "other");
  H.Reader.flush();
  EXPECT_EQ(ReaderHarness::contents(H.Out), "");
  EXPECT_EQ(H.Reader.malformedCount(), 0u);
}

TEST(RecordReaderTest, HistogramRecords) {
  ReaderHarness H("stapc-meta 1\nhist 0 linear 2 0 20 10\nformat 0 \"end\\n\"\n");
  RecordBuilder R(STAPC_REC_HIST, 0);
  for (int64_t Count : {0, 3, 0, 1, 0}) // <0, 0, 10, 20, >20
    R.addLong(Count);
  H.Reader.handle(R.bytes());
  RecordBuilder Short(STAPC_REC_HIST, 0);
  Short.addLong(1);
  H.Reader.handle(Short.bytes());
  RecordBuilder Unknown(STAPC_REC_HIST, 4);
  H.Reader.handle(Unknown.bytes());
  RecordBuilder P(STAPC_REC_PRINTF, 0);
  H.Reader.handle(P.bytes());
  H.Reader.flush();
  EXPECT_EQ(ReaderHarness::contents(H.Out),
            "value |-------------------------------------------------- count\n"
            "    0 |@@@                                                3\n"
            "   10 |                                                   0\n"
            "   20 |@                                                  1\n"
            "\n"
            "end\n");
  std::string Err = ReaderHarness::contents(H.Err);
  EXPECT_NE(Err.find("histogram 0: record too short for 5 buckets"), std::string::npos);
  EXPECT_NE(Err.find("histogram record names unknown histogram 4"), std::string::npos);
}

TEST(RecordReaderTest, MalformedRecordsAreReportedNotFatal) {
  ReaderHarness H("stapc-meta 1\nformat 0 \"%d\\n\"\n");
  H.Reader.handle(std::span<const char>("abc", 3));
  RecordBuilder Unknown(STAPC_REC_PRINTF, 9);
  H.Reader.handle(Unknown.bytes());
  RecordBuilder Short(STAPC_REC_PRINTF, 0);
  H.Reader.handle(Short.bytes());
  RecordBuilder Type(77, 0);
  H.Reader.handle(Type.bytes());
  RecordBuilder Good(STAPC_REC_PRINTF, 0);
  Good.addLong(5);
  H.Reader.handle(Good.bytes());
  H.Reader.flush();
  EXPECT_EQ(H.Reader.malformedCount(), 4u);
  EXPECT_EQ(ReaderHarness::contents(H.Out), "5\n");
  std::string Err = ReaderHarness::contents(H.Err);
  EXPECT_NE(Err.find("record shorter than its header"), std::string::npos);
  EXPECT_NE(Err.find("printf record names unknown format 9"), std::string::npos);
  EXPECT_NE(Err.find("format 0: record too short for argument 1"), std::string::npos);
  EXPECT_NE(Err.find("unknown record type 77"), std::string::npos);
}

TEST(RecordReaderTest, ErrorWithUnknownIdStillCounts) {
  ReaderHarness H("stapc-meta 1\n");
  RecordBuilder E(STAPC_REC_ERROR, 4);
  H.Reader.handle(E.bytes());
  EXPECT_EQ(H.Reader.errorCount(), 1u);
  EXPECT_EQ(ReaderHarness::contents(H.Err), "ERROR: runtime error 4 (no message in the object)\n");
}

} // namespace

namespace {
// `render` arguments travel as longs and print as the Symbolizer's text.
TEST(RecordReaderTest, RenderedArguments) {
  ReaderHarness H("stapc-meta 2\nformat 0 \"[%-8s|%s|%d]\\n\"\n"
                  "render 0 0 symname\nrender 0 1 symdata\n");
  Symbolizer Sym;
  Sym.Kernel.load("ffffffff81000000 T _stext\n"
                  "ffffffff81000100 t do_work\n"
                  "ffffffff81000180 t helper [mymod]\n"
                  "ffffffff810001c0 D some_data\n" // data: not a function
                  "ffffffff81000200 t after [mymod]\n");
  H.Reader.setSymbolizer(&Sym);
  RecordBuilder R(STAPC_REC_PRINTF, 0);
  R.addLong(int64_t(0xffffffff81000104)).addLong(int64_t(0xffffffff81000181)).addLong(5);
  H.Reader.handle(R.bytes());
  RecordBuilder U(STAPC_REC_PRINTF, 0); // below every symbol: hex
  U.addLong(0x10).addLong(0x20).addLong(6);
  H.Reader.handle(U.bytes());
  H.Reader.flush();
  EXPECT_EQ(ReaderHarness::contents(H.Out),
            "[do_work |helper+0x1/0x80 [mymod]|5]\n[0x10    |0x20|6]\n");
}

TEST(RecordReaderTest, RenderLineMustNameAStringConversion) {
  ReaderHarness H("stapc-meta 2\nformat 0 \"%d\\n\"\nrender 0 0 symname\n");
  RecordBuilder R(STAPC_REC_PRINTF, 0);
  R.addLong(1);
  H.Reader.handle(R.bytes());
  EXPECT_EQ(H.Reader.malformedCount(), 1u);
}
} // namespace
