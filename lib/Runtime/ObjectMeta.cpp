//===- ObjectMeta.cpp - Parse the .stapc.meta text ------------------------===//
//
// Line-oriented: a keyword, space-separated fields, and at most one
// double-quoted string at the end of the line. Unknown keywords are
// skipped so that newer compilers can add lines older loaders ignore; a
// version outside STAPC_FORMAT_VERSION_MIN..STAPC_FORMAT_VERSION is refused.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/ObjectMeta.h"
#include "stapc/Object/RecordFormat.h"

#include <algorithm>
#include <charconv>

namespace stapc::runtime {

std::optional<std::string> parseQuoted(std::string_view Text, size_t &Pos) {
  if (Pos >= Text.size() || Text[Pos] != '"')
    return std::nullopt;
  std::string Out;
  for (++Pos; Pos < Text.size(); ++Pos) {
    char C = Text[Pos];
    if (C == '"') {
      ++Pos;
      return Out;
    }
    if (C != '\\') {
      Out += C;
      continue;
    }
    if (++Pos >= Text.size())
      return std::nullopt;
    char E = Text[Pos];
    switch (E) {
    case 'n': Out += '\n'; break;
    case 't': Out += '\t'; break;
    case 'r': Out += '\r'; break;
    case 'a': Out += '\a'; break;
    case 'b': Out += '\b'; break;
    case 'f': Out += '\f'; break;
    case 'v': Out += '\v'; break;
    case '\\': case '"': case '\'': case '?': Out += E; break;
    default: {
      if (E < '0' || E > '7')
        return std::nullopt;
      // Up to three octal digits.
      unsigned V = 0;
      for (int I = 0; I < 3 && Pos < Text.size() && Text[Pos] >= '0' &&
                      Text[Pos] <= '7';
           ++I, ++Pos)
        V = V * 8 + (Text[Pos] - '0');
      --Pos;
      if (V > 255)
        return std::nullopt;
      Out += static_cast<char>(V);
    }
    }
  }
  return std::nullopt; // Unterminated.
}

namespace {
/// Splits one metadata line into leading words and an optional final
/// quoted string.
struct LineFields {
  std::vector<std::string_view> Words;
  std::optional<std::string> Quoted;
};

std::optional<LineFields> splitLine(std::string_view Line) {
  LineFields F;
  size_t Pos = 0;
  while (Pos < Line.size()) {
    if (Line[Pos] == ' ' || Line[Pos] == '\t' || Line[Pos] == '\r') {
      ++Pos;
      continue;
    }
    if (Line[Pos] == '"') {
      if (F.Quoted)
        return std::nullopt;
      F.Quoted = parseQuoted(Line, Pos);
      if (!F.Quoted)
        return std::nullopt;
      continue;
    }
    if (F.Quoted) // Words after the string are not allowed.
      return std::nullopt;
    size_t End = Line.find_first_of(" \t\r\"", Pos);
    if (End == std::string_view::npos)
      End = Line.size();
    F.Words.push_back(Line.substr(Pos, End - Pos));
    Pos = End;
  }
  return F;
}

template <typename T> bool parseNumber(std::string_view S, T &Out) {
  if (S.empty())
    return false;
  const char *End = S.data() + S.size();
  auto R = std::from_chars(S.data(), End, Out);
  return R.ec == std::errc() && R.ptr == End;
}

class MetaParser {
public:
  std::optional<ObjectMeta> parse(std::string_view Text, std::string &Err);

private:
  bool parseLine(const LineFields &F);
  bool parseProbe(const LineFields &F);
  bool parsePerf(const LineFields &F, ProbeDecl &P);
  bool parseProcfs(const LineFields &F, ProbeDecl &P);
  bool parseTable(const LineFields &F, std::map<uint32_t, Format> &Table);
  bool parseHistogram(const LineFields &F);
  bool parseGlobal(const LineFields &F);
  bool parseRender(const LineFields &F);
  bool parseAlternative(const LineFields &F);
  bool fail(std::string Msg) {
    Error = "line " + std::to_string(LineNo) + ": " + std::move(Msg);
    return false;
  }

  ObjectMeta Meta;
  unsigned LineNo = 0;
  std::string Error;
};
} // namespace

std::optional<ObjectMeta> MetaParser::parse(std::string_view Text, std::string &Err) {
  // Trailing NUL padding (the section is a C char array) is ignored.
  size_t Last = Text.find_last_not_of('\0');
  Text = Last == std::string_view::npos ? std::string_view() : Text.substr(0, Last + 1);
  if (Text.find('\0') != std::string_view::npos) {
    Err = "metadata contains a NUL byte before its end";
    return std::nullopt;
  }
  while (!Text.empty()) {
    size_t NL = Text.find('\n');
    std::string_view Line = Text.substr(0, NL);
    Text = NL == std::string_view::npos ? std::string_view() : Text.substr(NL + 1);
    ++LineNo;
    std::optional<LineFields> F = splitLine(Line);
    if (!F) {
      fail("malformed quoted string");
      Err = Error;
      return std::nullopt;
    }
    if (!parseLine(*F)) {
      Err = Error;
      return std::nullopt;
    }
  }
  if (Meta.Version == 0) {
    Err = "empty metadata (no 'stapc-meta' line)";
    return std::nullopt;
  }
  return std::move(Meta);
}

bool MetaParser::parseLine(const LineFields &F) {
  if (LineNo == 1) {
    unsigned V = 0;
    if (F.Words.size() != 2 || F.Words[0] != STAPC_META_MAGIC || F.Quoted ||
        !parseNumber(F.Words[1], V))
      return fail("expected '" STAPC_META_MAGIC " VERSION' as the first line");
    if (V < STAPC_FORMAT_VERSION_MIN || V > STAPC_FORMAT_VERSION)
      return fail("unsupported object format version " + std::to_string(V) +
                  " (this stapc-run reads versions " +
                  std::to_string(STAPC_FORMAT_VERSION_MIN) + " to " +
                  std::to_string(STAPC_FORMAT_VERSION) + ")");
    Meta.Version = V;
    return true;
  }
  if (F.Words.empty())
    return F.Quoted ? fail("line starts with a string") : true; // Blank line.
  if (F.Words[0] == "probe")
    return parseProbe(F);
  if (F.Words[0] == "format")
    return parseTable(F, Meta.Formats);
  if (F.Words[0] == "error")
    return parseTable(F, Meta.Errors);
  if (F.Words[0] == "hist")
    return parseHistogram(F);
  if (F.Words[0] == "global")
    return parseGlobal(F);
  if (F.Words[0] == "render")
    return parseRender(F);
  if (F.Words[0] == "alternative")
    return parseAlternative(F);
  if (F.Words[0] == "maxerrors") {
    if (F.Quoted || F.Words.size() != 2 || !parseNumber(F.Words[1], Meta.MaxErrors))
      return fail("expected 'maxerrors N'");
    return true;
  }
  return true; // Unknown keyword: ignored for forward compatibility.
}

bool MetaParser::parseProbe(const LineFields &F) {
  if (F.Words.size() < 3 || !F.Quoted)
    return fail("expected 'probe PROG KIND ... \"POINT\"'");
  ProbeDecl P;
  P.Program = std::string(F.Words[1]);
  P.Point = *F.Quoted;
  P.Line = LineNo;
  std::string_view Kind = F.Words[2];
  if (Kind == "begin" || Kind == "end" || Kind == "error") {
    P.Kind = Kind == "begin" ? ProbeKind::Begin
             : Kind == "end" ? ProbeKind::End
                             : ProbeKind::Error;
    if (F.Words.size() != 4 || !parseNumber(F.Words[3], P.Priority))
      return fail("expected 'probe PROG " + std::string(Kind) + " PRIORITY \"POINT\"'");
  } else if (Kind == "event") {
    P.Kind = ProbeKind::Event;
    if (F.Words.size() != 3)
      return fail("expected 'probe PROG event \"POINT\"'");
  } else if (Kind == "perf") {
    P.Kind = ProbeKind::Perf;
    if (!parsePerf(F, P))
      return false;
  } else if (Kind == "uprobe") {
    P.Kind = ProbeKind::Uprobe;
    UprobeSpec &U = P.Uprobe;
    if (F.Words.size() != 7 || (F.Words[3] != "entry" && F.Words[3] != "return") ||
        !parseNumber(F.Words[4], U.Offset) || !parseNumber(F.Words[5], U.RefCtrOffset) ||
        F.Words[6].empty() || F.Words[6][0] != '/')
      return fail("expected 'probe PROG uprobe entry|return OFFSET REFCTR /PATH \"POINT\"'");
    U.Return = F.Words[3] == "return";
    U.Path = std::string(F.Words[6]);
  } else if (Kind == "procfs") {
    P.Kind = ProbeKind::Procfs;
    if (!parseProcfs(F, P))
      return false;
  } else {
    return fail("unknown probe kind '" + std::string(Kind) + "'");
  }
  Meta.Probes.push_back(std::move(P));
  return true;
}

bool MetaParser::parseAlternative(const LineFields &F) {
  if (F.Quoted || F.Words.size() != 4)
    return fail("expected 'alternative MAIN KPROBE ENTRY|-'");
  AlternativeDecl A;
  A.Trampoline = std::string(F.Words[1]);
  A.Kprobe = std::string(F.Words[2]);
  if (F.Words[3] != "-")
    A.KprobeEntry = std::string(F.Words[3]);
  A.Line = LineNo;
  Meta.Alternatives.push_back(std::move(A));
  return true;
}

bool MetaParser::parsePerf(const LineFields &F, ProbeDecl &P) {
  const char *Usage = "expected 'probe PROG perf TYPE CONFIG period|freq N all|one \"POINT\"'";
  if (F.Words.size() != 8)
    return fail(Usage);
  PerfSpec &S = P.Perf;
  if (!parseNumber(F.Words[3], S.Type) || !parseNumber(F.Words[4], S.Config) ||
      !parseNumber(F.Words[6], S.PeriodOrFrequency))
    return fail(Usage);
  if (F.Words[5] != "period" && F.Words[5] != "freq")
    return fail(Usage);
  if (F.Words[7] != "all" && F.Words[7] != "one")
    return fail(Usage);
  if (S.PeriodOrFrequency == 0)
    return fail("perf period or frequency must be positive");
  S.UseFrequency = F.Words[5] == "freq";
  S.AllCpus = F.Words[7] == "all";
  return true;
}

/// A file name the loader may create: one path component, no dot first.
static bool safeProcfsName(std::string_view N) {
  if (N.empty() || N.size() > 200 || N[0] == '.')
    return false;
  return std::all_of(N.begin(), N.end(), [](char C) {
    return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
           (C >= '0' && C <= '9') || C == '_' || C == '-' || C == '.';
  });
}

/// `probe PROG procfs read|write ID NAME MODE MAXSIZE "POINT"`.
bool MetaParser::parseProcfs(const LineFields &F, ProbeDecl &P) {
  const char *Usage =
      "expected 'probe PROG procfs read|write ID NAME MODE MAXSIZE \"POINT\"'";
  ProcfsSpec &S = P.Procfs;
  if (F.Words.size() != 8 || (F.Words[3] != "read" && F.Words[3] != "write") ||
      !parseNumber(F.Words[4], S.Id))
    return fail(Usage);
  S.Write = F.Words[3] == "write";
  S.Name = std::string(F.Words[5]);
  if (!safeProcfsName(S.Name))
    return fail("procfs file name '" + S.Name +
                "' is not one plain path component");
  std::string_view Mode = F.Words[6];
  auto R = std::from_chars(Mode.data(), Mode.data() + Mode.size(), S.Mode, 8);
  if (Mode.empty() || R.ec != std::errc() || R.ptr != Mode.data() + Mode.size() ||
      S.Mode > 0777)
    return fail("procfs file mode '" + std::string(Mode) + "' is not octal 0..0777");
  if (!parseNumber(F.Words[7], S.MaxSize) || S.MaxSize == 0 ||
      S.MaxSize > MaxProcfsFileSize)
    return fail("procfs MAXSIZE must be 1.." + std::to_string(MaxProcfsFileSize));
  for (const ProbeDecl &Other : Meta.Probes)
    if (Other.Kind == ProbeKind::Procfs && Other.Procfs.Name == S.Name)
      return fail("procfs file '" + S.Name + "' has a probe already (line " +
                  std::to_string(Other.Line) + ")");
  return true;
}

bool MetaParser::parseTable(const LineFields &F, std::map<uint32_t, Format> &Table) {
  uint32_t Id = 0;
  if (F.Words.size() != 2 || !F.Quoted || !parseNumber(F.Words[1], Id))
    return fail("expected '" + std::string(F.Words[0]) + " ID \"TEXT\"'");
  if (!Table.emplace(Id, Format::parse(*F.Quoted)).second)
    return fail("duplicate " + std::string(F.Words[0]) + " id " + std::to_string(Id));
  return true;
}

/// `hist ID log ELISION` or `hist ID linear ELISION LOW HIGH WIDTH`.
bool MetaParser::parseHistogram(const LineFields &F) {
  const char *Usage =
      "expected 'hist ID log ELISION' or 'hist ID linear ELISION LOW HIGH WIDTH'";
  uint32_t Id = 0;
  HistogramLayout H;
  if (F.Quoted || F.Words.size() < 4 || !parseNumber(F.Words[1], Id) ||
      !parseNumber(F.Words[3], H.Elision))
    return fail(Usage);
  H.Linear = F.Words[2] == "linear";
  if (!H.Linear && (F.Words[2] != "log" || F.Words.size() != 4))
    return fail(Usage);
  if (H.Linear) {
    if (F.Words.size() != 7 || !parseNumber(F.Words[4], H.Low) ||
        !parseNumber(F.Words[5], H.High) || !parseNumber(F.Words[6], H.Width))
      return fail(Usage);
    if (H.Width <= 0 || H.High <= H.Low)
      return fail("histogram " + std::to_string(Id) +
                  ": WIDTH must be positive and HIGH above LOW");
    uint64_t Span = static_cast<uint64_t>(H.High) - static_cast<uint64_t>(H.Low);
    if (Span / static_cast<uint64_t>(H.Width) + 3 > STAPC_HIST_MAX_BUCKETS)
      return fail("histogram " + std::to_string(Id) + " has more than " +
                  std::to_string(STAPC_HIST_MAX_BUCKETS) + " buckets");
  }
  if (!Meta.Histograms.emplace(Id, H).second)
    return fail("duplicate hist id " + std::to_string(Id));
  return true;
}

/// `render ID ARG KIND`: argument ARG of format ID is a long shown as KIND.
bool MetaParser::parseRender(const LineFields &F) {
  uint32_t Id = 0;
  unsigned Arg = 0;
  std::optional<Rendering> R;
  if (F.Quoted || F.Words.size() != 4 || !parseNumber(F.Words[1], Id) ||
      !parseNumber(F.Words[2], Arg) || !(R = parseRendering(F.Words[3])))
    return fail("expected 'render ID ARG KIND' with a known KIND");
  Meta.Renders[Id].push_back({Arg, *R});
  return true;
}

/// `long`, `stats`, `string:N` (N a positive multiple of 8), or a render
/// kind (a long shown as text).
static bool parseSlotType(std::string_view W, SlotType &T) {
  if (W == "long") {
    T = {SlotType::Long, 8};
    return true;
  }
  if (std::optional<Rendering> R = parseRendering(W)) {
    T = {SlotType::Long, 8, *R};
    return true;
  }
  if (W == "stats") {
    T = {SlotType::Stats, 40};
    return true;
  }
  constexpr std::string_view Prefix = "string:";
  if (W.substr(0, Prefix.size()) != Prefix)
    return false;
  T.K = SlotType::String;
  return parseNumber(W.substr(Prefix.size()), T.Size) && T.Size > 0 &&
         T.Size % 8 == 0;
}

bool MetaParser::parseGlobal(const LineFields &F) {
  const char *Usage = "expected 'global NAME TYPE bss|data|map SYMBOL [KEYTYPE...]'";
  if (F.Words.size() < 5 || F.Quoted)
    return fail(Usage);
  GlobalVarDecl G;
  G.Name = std::string(F.Words[1]);
  G.Symbol = std::string(F.Words[4]);
  G.Line = LineNo;
  if (!parseSlotType(F.Words[2], G.Value))
    return fail("unknown type '" + std::string(F.Words[2]) + "' of global '" + G.Name + "'");
  std::string_view Where = F.Words[3];
  if (Where == "bss" || Where == "data") {
    G.Where = Where == "bss" ? GlobalVarDecl::Storage::Bss : GlobalVarDecl::Storage::Data;
    if (F.Words.size() != 5 || G.Value.K == SlotType::Stats)
      return fail("global '" + G.Name + "' in ." + std::string(Where) +
                  " must be a long or string scalar");
  } else if (Where == "map") {
    G.Where = GlobalVarDecl::Storage::Map;
    for (size_t I = 5; I < F.Words.size(); ++I) {
      SlotType K;
      if (!parseSlotType(F.Words[I], K) || K.K == SlotType::Stats)
        return fail("bad key type '" + std::string(F.Words[I]) + "' of global '" + G.Name + "'");
      G.Keys.push_back(K);
    }
    if (G.Keys.empty() && G.Value.K != SlotType::Stats)
      return fail("global '" + G.Name + "' in a map needs key types");
  } else {
    return fail(Usage);
  }
  Meta.Globals.push_back(std::move(G));
  return true;
}

std::optional<ObjectMeta> parseObjectMeta(std::string_view Text, std::string &Err) {
  return MetaParser().parse(Text, Err);
}

std::vector<const ProbeDecl *> ObjectMeta::probesOfKind(ProbeKind K) const {
  std::vector<const ProbeDecl *> Out;
  for (const ProbeDecl &P : Probes)
    if (P.Kind == K)
      Out.push_back(&P);
  // Equal priorities keep object order (Probes is in object order, so the
  // address breaks ties).
  std::sort(Out.begin(), Out.end(), [](const ProbeDecl *A, const ProbeDecl *B) {
    return A->Priority != B->Priority ? A->Priority < B->Priority : A < B;
  });
  return Out;
}

std::string ObjectMeta::pointOfProgram(std::string_view Program) const {
  for (const ProbeDecl &P : Probes)
    if (P.Program == Program)
      return P.Point;
  return std::string(Program);
}

} // namespace stapc::runtime
