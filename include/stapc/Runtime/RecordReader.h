//===- RecordReader.h - Decode and print ring buffer records -----*- C++ -*-===//
//
// Turns the records a stapc object writes into its STAPC_RINGBUF_MAP into
// output: PRINTF records become text on the output stream, HIST records
// histogram charts there, ERROR records "ERROR: ..." lines on stderr, EXIT
// records a request to stop.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_RECORDREADER_H
#define STAPC_RUNTIME_RECORDREADER_H

#include "stapc/Runtime/Formatter.h"
#include "stapc/Runtime/ObjectMeta.h"

#include <cstdio>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stapc::runtime {

/// Decodes the payload of a record (Record includes the 8-byte header)
/// into arguments of the given kinds. Each argument starts on an 8-byte
/// boundary from the record start. Returns nullopt and sets Err if the
/// record is too short or a string length runs past its end.
std::optional<std::vector<FormatArg>>
decodeArguments(std::span<const char> Record, const std::vector<ArgKind> &Kinds,
                std::string &Err);

class RecordReader {
public:
  RecordReader(const ObjectMeta &Meta, std::FILE *Out, std::FILE *Err)
      : Meta(Meta), Out(Out), Err(Err) {}

  /// Renders the formatted-later arguments of printf records (symbols,
  /// backtraces). Without one they print as their raw numbers.
  void setSymbolizer(Symbolizer *S) { Sym = S; }

  /// Handles one record. Output is buffered until flush().
  void handle(std::span<const char> Record);
  /// Writes buffered output and flushes the stream.
  void flush();

  bool sawExit() const { return SawExit; }
  /// abort() ran: the session ends without end probes.
  bool sawAbort() const { return SawAbort; }
  unsigned errorCount() const { return Errors; }
  unsigned malformedCount() const { return Malformed; }
  /// The text procfs read probes sent for file Id since the last call
  /// (PROCFS_SET replaces it, PROCFS_APPEND extends it), then forgotten.
  std::string takeProcfsText(uint32_t Id);

private:
  void handlePrintf(uint32_t Id, std::span<const char> Record);
  void handleError(uint32_t Id, std::span<const char> Record);
  void handleHistogram(uint32_t Id, std::span<const char> Record);
  void malformed(const std::string &Why);
  /// Decodes a PRINTF record of format Id, rendering its `render`
  /// arguments into Texts (which the returned views point into).
  std::optional<std::vector<FormatArg>>
  decodePrintf(uint32_t Id, const Format &F, std::span<const char> Record,
               std::vector<std::string> &Texts, std::string &Why);
  Symbolizer *Sym = nullptr;

  const ObjectMeta &Meta;
  std::FILE *Out;
  std::FILE *Err;
  std::string Pending;
  void handleWarn(uint32_t Id, std::span<const char> Record);
  void handleProcfs(uint32_t Type, uint32_t Id, std::span<const char> Record);
  std::map<uint32_t, std::string> ProcfsText;
  bool SawExit = false;
  bool SawAbort = false;
  unsigned Errors = 0;
  unsigned Malformed = 0;
};

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_RECORDREADER_H
