//===- Tracefs.cpp - Listing tracepoint events from tracefs ---------------===//
//
// BTF names tracepoints but not their systems; tracefs has both, as
// directories events/<system>/<event>/. Only directories holding a `format`
// file are events (the others are per-system controls like `enable`).
//
//===----------------------------------------------------------------------===//

#include "stapc/BTF/Tracepoints.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace llvm;

namespace stapc {

std::optional<std::string> findTracefsRoot() {
  for (const char *Root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    SmallString<64> Events(Root);
    sys::path::append(Events, "events");
    if (sys::fs::is_directory(Events))
      return std::string(Root);
  }
  return std::nullopt;
}

/// Subdirectory names of \p Dir, or nullopt if it cannot be read.
static std::optional<std::vector<std::string>> subdirs(StringRef Dir) {
  std::error_code EC;
  std::vector<std::string> Names;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    if (It->type() == sys::fs::file_type::directory_file)
      Names.push_back(sys::path::filename(It->path()).str());
  }
  if (EC)
    return std::nullopt;
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::optional<std::vector<TracefsEvent>> listTracefsEvents(StringRef Root) {
  std::string RootDir = Root.str();
  if (RootDir.empty()) {
    std::optional<std::string> Found = findTracefsRoot();
    if (!Found)
      return std::nullopt;
    RootDir = *Found;
  }
  SmallString<128> EventsDir(RootDir);
  sys::path::append(EventsDir, "events");
  std::optional<std::vector<std::string>> Systems = subdirs(EventsDir);
  if (!Systems)
    return std::nullopt;
  std::vector<TracefsEvent> Events;
  for (const std::string &System : *Systems) {
    SmallString<128> SysDir(EventsDir);
    sys::path::append(SysDir, System);
    std::optional<std::vector<std::string>> Names = subdirs(SysDir);
    if (!Names)
      continue;
    for (const std::string &Name : *Names) {
      SmallString<128> Format(SysDir);
      sys::path::append(Format, Name, "format");
      if (sys::fs::exists(Format))
        Events.push_back({System, Name});
    }
  }
  return Events;
}

} // namespace stapc
