//===- RecordReader.cpp - Decode and print ring buffer records ------------===//
#include "stapc/Runtime/RecordReader.h"
#include "stapc/Object/RecordFormat.h"

#include <cstring>

namespace stapc::runtime {

std::optional<std::vector<FormatArg>>
decodeArguments(std::span<const char> Record, const std::vector<ArgKind> &Kinds,
                std::string &Err) {
  std::vector<FormatArg> Args;
  size_t Offset = sizeof(stapc_record_header);
  for (ArgKind K : Kinds) {
    Offset = STAPC_ALIGN8(Offset);
    if (K == ArgKind::Long) {
      int64_t V;
      if (Offset + sizeof(V) > Record.size()) {
        Err = "record too short for argument " + std::to_string(Args.size() + 1);
        return std::nullopt;
      }
      std::memcpy(&V, Record.data() + Offset, sizeof(V));
      Args.push_back(FormatArg::ofLong(V));
      Offset += sizeof(V);
      continue;
    }
    stapc_string_header H;
    if (Offset + sizeof(H) > Record.size()) {
      Err = "record too short for argument " + std::to_string(Args.size() + 1);
      return std::nullopt;
    }
    std::memcpy(&H, Record.data() + Offset, sizeof(H));
    Offset += sizeof(H);
    if (H.len > Record.size() - Offset) {
      Err = "string argument " + std::to_string(Args.size() + 1) +
            " runs past the end of the record";
      return std::nullopt;
    }
    Args.push_back(FormatArg::ofString(std::string_view(Record.data() + Offset, H.len)));
    Offset += H.len;
  }
  return Args;
}

void RecordReader::handle(std::span<const char> Record) {
  stapc_record_header H;
  if (Record.size() < sizeof(H)) {
    malformed("record shorter than its header");
    return;
  }
  std::memcpy(&H, Record.data(), sizeof(H));
  switch (H.type) {
  case STAPC_REC_PRINTF:
    handlePrintf(H.id, Record);
    return;
  case STAPC_REC_EXIT:
    SawExit = true;
    SawAbort |= H.id == STAPC_EXIT_ABORT;
    return;
  case STAPC_REC_ERROR:
    handleError(H.id, Record);
    return;
  case STAPC_REC_WARN:
    handleWarn(H.id, Record);
    return;
  case STAPC_REC_HIST:
    handleHistogram(H.id, Record);
    return;
  case STAPC_REC_PROCFS_SET:
  case STAPC_REC_PROCFS_APPEND:
    handleProcfs(H.type, H.id, Record);
    return;
  default:
    malformed("unknown record type " + std::to_string(H.type));
  }
}

void RecordReader::handlePrintf(uint32_t Id, std::span<const char> Record) {
  auto It = Meta.Formats.find(Id);
  if (It == Meta.Formats.end()) {
    malformed("printf record names unknown format " + std::to_string(Id));
    return;
  }
  std::string Why;
  std::vector<std::string> Texts;
  auto Args = decodePrintf(Id, It->second, Record, Texts, Why);
  if (!Args) {
    malformed("format " + std::to_string(Id) + ": " + Why);
    return;
  }
  It->second.format(*Args, Pending);
}

std::optional<std::vector<FormatArg>>
RecordReader::decodePrintf(uint32_t Id, const Format &F,
                           std::span<const char> Record,
                           std::vector<std::string> &Texts, std::string &Why) {
  auto R = Meta.Renders.find(Id);
  if (R == Meta.Renders.end())
    return decodeArguments(Record, F.argumentKinds(), Why);
  // A rendered argument travels as a long but prints with %s.
  std::vector<ArgKind> Kinds = F.argumentKinds();
  for (auto [Arg, Kind] : R->second) {
    if (Arg >= Kinds.size() || Kinds[Arg] != ArgKind::String) {
      Why = "render line names argument " + std::to_string(Arg) +
            ", which is not a %s conversion";
      return std::nullopt;
    }
    Kinds[Arg] = ArgKind::Long;
  }
  auto Args = decodeArguments(Record, Kinds, Why);
  if (!Args)
    return Args;
  Texts.reserve(R->second.size()); // the views below must stay valid
  for (auto [Arg, Kind] : R->second) {
    int64_t V = (*Args)[Arg].Long;
    Texts.push_back(Sym ? Sym->render(Kind, V) : std::to_string(V));
    (*Args)[Arg] = FormatArg::ofString(Texts.back());
  }
  return Args;
}

void RecordReader::handleHistogram(uint32_t Id, std::span<const char> Record) {
  auto It = Meta.Histograms.find(Id);
  if (It == Meta.Histograms.end()) {
    malformed("histogram record names unknown histogram " + std::to_string(Id));
    return;
  }
  std::vector<int64_t> Counts(It->second.buckets());
  size_t Bytes = Counts.size() * sizeof(int64_t);
  if (Record.size() < sizeof(stapc_record_header) + Bytes) {
    malformed("histogram " + std::to_string(Id) + ": record too short for " +
              std::to_string(Counts.size()) + " buckets");
    return;
  }
  std::memcpy(Counts.data(), Record.data() + sizeof(stapc_record_header), Bytes);
  renderHistogram(It->second, Counts, Pending);
}

void RecordReader::handleWarn(uint32_t Id, std::span<const char> Record) {
  auto It = Meta.Formats.find(Id);
  std::string Why;
  std::optional<std::vector<FormatArg>> Args;
  if (It != Meta.Formats.end())
    Args = decodeArguments(Record, It->second.argumentKinds(), Why);
  if (!Args) {
    malformed("warn record: " + (Why.empty() ? "unknown format" : Why));
    return;
  }
  std::string Message;
  It->second.format(*Args, Message);
  // Keep stdout and stderr in the order the records were written.
  flush();
  std::fprintf(Err, "WARNING: %s\n", Message.c_str());
  std::fflush(Err);
}

void RecordReader::handleError(uint32_t Id, std::span<const char> Record) {
  ++Errors;
  std::string Message;
  auto It = Meta.Errors.find(Id);
  if (It == Meta.Errors.end()) {
    Message = "runtime error " + std::to_string(Id) + " (no message in the object)";
  } else {
    std::string Why;
    auto Args = decodeArguments(Record, It->second.argumentKinds(), Why);
    Message = Args ? It->second.format(*Args) : It->second.format({});
  }
  // Keep stdout and stderr in the order the records were written.
  flush();
  std::fprintf(Err, "ERROR: %s\n", Message.c_str());
  std::fflush(Err);
}

void RecordReader::handleProcfs(uint32_t Type, uint32_t Id,
                                std::span<const char> Record) {
  std::string Why;
  auto Args = decodeArguments(Record, {ArgKind::String}, Why);
  if (!Args) {
    malformed("procfs record: " + Why);
    return;
  }
  std::string &Text = ProcfsText[Id];
  if (Type == STAPC_REC_PROCFS_SET)
    Text.clear();
  Text += (*Args)[0].Bytes;
}

std::string RecordReader::takeProcfsText(uint32_t Id) {
  auto It = ProcfsText.find(Id);
  if (It == ProcfsText.end())
    return {};
  std::string Text = std::move(It->second);
  ProcfsText.erase(It);
  return Text;
}

void RecordReader::malformed(const std::string &Why) {
  ++Malformed;
  flush();
  std::fprintf(Err, "WARNING: malformed output record skipped: %s\n", Why.c_str());
}

void RecordReader::flush() {
  if (!Pending.empty())
    std::fwrite(Pending.data(), 1, Pending.size(), Out);
  Pending.clear();
  std::fflush(Out);
}

} // namespace stapc::runtime
