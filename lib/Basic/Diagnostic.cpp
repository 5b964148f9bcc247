//===- Diagnostic.cpp -----------------------------------------------------===//
#include "stapc/Basic/Diagnostic.h"

using namespace stapc;

void DiagnosticEngine::emit(SMLoc Loc, llvm::SourceMgr::DiagKind Kind,
                            const llvm::Twine &Msg,
                            llvm::ArrayRef<SMRange> Ranges) {
  if (Loc.isValid() &&
      !Printed.insert({Loc.getPointer(), int(Kind), Msg.str()}).second)
    return;
  if (Kind == llvm::SourceMgr::DK_Error) {
    ++NumErrors;
    if (ErrorLimit && NumErrors > ErrorLimit) {
      if (!LimitReported)
        OS << "stapc: too many errors emitted, stopping now\n";
      LimitReported = true;
      return;
    }
  }
  if (!Loc.isValid()) {
    const char *Label = Kind == llvm::SourceMgr::DK_Error     ? "error"
                        : Kind == llvm::SourceMgr::DK_Warning ? "warning"
                                                              : "note";
    OS << "stapc: " << Label << ": " << Msg << "\n";
    return;
  }
  SM.PrintMessage(OS, Loc, Kind, Msg, Ranges, {}, /*ShowColors=*/false);
}

void DiagnosticEngine::error(SMLoc Loc, const llvm::Twine &Msg,
                             llvm::ArrayRef<SMRange> Ranges) {
  emit(Loc, llvm::SourceMgr::DK_Error, Msg, Ranges);
}

void DiagnosticEngine::warning(SMLoc Loc, const llvm::Twine &Msg,
                               llvm::ArrayRef<SMRange> Ranges) {
  if (SuppressWarnings)
    return;
  if (WarningsAsErrors)
    return error(Loc, Msg, Ranges);
  ++NumWarnings;
  emit(Loc, llvm::SourceMgr::DK_Warning, Msg, Ranges);
}

void DiagnosticEngine::note(SMLoc Loc, const llvm::Twine &Msg,
                            llvm::ArrayRef<SMRange> Ranges) {
  if (ErrorLimit && NumErrors > ErrorLimit)
    return;
  emit(Loc, llvm::SourceMgr::DK_Note, Msg, Ranges);
}

void DiagnosticEngine::error(const llvm::Twine &Msg) {
  emit(SMLoc(), llvm::SourceMgr::DK_Error, Msg, {});
}

std::string DiagnosticEngine::formatLocation(SMLoc Loc) const {
  if (!Loc.isValid())
    return "<unknown>";
  unsigned Buf = SM.FindBufferContainingLoc(Loc);
  if (!Buf)
    return "<unknown>";
  auto [Line, Col] = SM.getLineAndColumn(Loc, Buf);
  return (SM.getMemoryBuffer(Buf)->getBufferIdentifier() + ":" +
          llvm::Twine(Line) + ":" + llvm::Twine(Col))
      .str();
}
