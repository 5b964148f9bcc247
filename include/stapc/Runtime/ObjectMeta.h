//===- ObjectMeta.h - The .stapc.meta section of a stapc object -*- C++ -*-===//
//
// Parses the metadata text (see docs/ObjectFormat.md) into probe
// declarations and format/error tables, and reads it out of an ELF file
// with libelf. Everything reports problems as a message string; nothing
// here aborts on bad input.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_OBJECTMETA_H
#define STAPC_RUNTIME_OBJECTMETA_H

#include "stapc/Runtime/Formatter.h"
#include "stapc/Runtime/Histogram.h"
#include "stapc/Runtime/Symbolizer.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stapc::runtime {

enum class ProbeKind { Begin, End, Error, Event, Perf, Uprobe, Procfs };

/// A `procfs read|write ID NAME MODE MAXSIZE` probe's file.
struct ProcfsSpec {
  bool Write = false;   ///< `write`: the probe consumes what is written.
  uint32_t Id = 0;      ///< The file's number in PROCFS records.
  std::string Name;     ///< File name in the session's procfs directory.
  unsigned Mode = 0;    ///< Permission bits.
  uint64_t MaxSize = 0; ///< read: most bytes served; write: per run.
};

/// The largest MAXSIZE a loader accepts.
inline constexpr uint64_t MaxProcfsFileSize = 16u << 20;

/// A `uprobe entry|return OFFSET REFCTR PATH` probe's attach point.
struct UprobeSpec {
  std::string Path;
  uint64_t Offset = 0;       ///< file offset of the probed instruction
  uint64_t RefCtrOffset = 0; ///< file offset of an SDT semaphore, or 0
  bool Return = false;
};

/// A `perf TYPE CONFIG period|freq N all|one` probe's event.
struct PerfSpec {
  uint32_t Type = 0;
  uint64_t Config = 0;
  bool UseFrequency = false; ///< `freq`: N is a frequency in Hz.
  uint64_t PeriodOrFrequency = 0;
  bool AllCpus = true; ///< `all`: one event per CPU; `one`: CPU 0 only.
};

struct ProbeDecl {
  ProbeKind Kind = ProbeKind::Event;
  std::string Program;   ///< BPF program (function) name.
  std::string Point;     ///< The stap probe point, for messages.
  int64_t Priority = 0;  ///< begin/end/error only.
  PerfSpec Perf;         ///< perf only.
  UprobeSpec Uprobe;     ///< uprobe only.
  ProcfsSpec Procfs;     ///< procfs only.
  unsigned Line = 0;     ///< Line in the metadata text.
};

/// One column of a global's storage: a long (8 bytes), a string (Size
/// bytes, NUL-terminated unless full) or a statistic (one 40-byte record
/// {count, sum, min, max, sumsq} per possible CPU).
struct SlotType {
  enum Kind { Long, String, Stats } K = Long;
  uint32_t Size = 8;
  /// A long that is a formatted-later value (symname, kstack-hex...): shown
  /// as the text the Symbolizer makes of it.
  Rendering Render = Rendering::None;
};

/// A `global` line: a global the script writes but never reads, printed
/// when the session ends.
struct GlobalVarDecl {
  enum class Storage { Bss, Data, Map };
  std::string Name;     ///< The script's name for it.
  SlotType Value;       ///< The scalar, or the array's element.
  Storage Where = Storage::Bss;
  std::string Symbol;   ///< Variable (bss/data) or map name.
  std::vector<SlotType> Keys; ///< Key columns; empty for scalars.
  unsigned Line = 0;    ///< Line in the metadata text.
  bool isArray() const { return !Keys.empty(); }
};

/// An `alternative MAIN KPROBE ENTRY|-` line: a kernel.function probe
/// whose trampoline program MAIN (fentry/fexit, declared by its own
/// `probe` line) has a kprobe twin KPROBE for kernels where trampolines
/// cannot attach; ENTRY is the twin's entry-argument saver, if any.
struct AlternativeDecl {
  std::string Trampoline;
  std::string Kprobe;
  std::string KprobeEntry; ///< Empty when the line says `-`.
  unsigned Line = 0;
};

struct ObjectMeta {
  unsigned Version = 0;
  std::vector<ProbeDecl> Probes; ///< In metadata (object) order.
  std::vector<GlobalVarDecl> Globals; ///< In print order.
  std::vector<AlternativeDecl> Alternatives;
  std::map<uint32_t, Format> Formats;
  std::map<uint32_t, Format> Errors;
  std::map<uint32_t, HistogramLayout> Histograms;
  /// `render ID ARG KIND` lines: per format id, the payload arguments that
  /// are formatted-later longs and how to show them (with %s).
  std::map<uint32_t, std::vector<std::pair<unsigned, Rendering>>> Renders;
  /// MAXERRORS: the session ends at the error after this many.
  unsigned MaxErrors = 0;

  /// Probes of one kind; begin/end/error sorted by priority, then order.
  std::vector<const ProbeDecl *> probesOfKind(ProbeKind K) const;
  /// The probe point of a program, or the program name if unknown.
  std::string pointOfProgram(std::string_view Program) const;
};

/// Parses metadata text. On failure returns nullopt and sets Err to a
/// message of the form "line N: what is wrong".
std::optional<ObjectMeta> parseObjectMeta(std::string_view Text, std::string &Err);

/// Decodes a double-quoted string with C escapes starting at Text[Pos];
/// advances Pos past the closing quote. Exposed for the unit tests.
std::optional<std::string> parseQuoted(std::string_view Text, size_t &Pos);

/// Reads the STAPC_META_SECTION of the ELF file at Path. Messages:
/// "cannot open ...", "not an ELF file", "no .stapc.meta section ...".
std::optional<std::string> readMetaSection(const std::string &Path, std::string &Err);

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_OBJECTMETA_H
