//===- Symbolizer.cpp - The text of formatted-later values ----------------===//
//
// The renderings follow stap's tapset documentation (context-symbols,
// context-unwind, ucontext-*): symname is the bare name, symdata
// "name+0xOFF/0xSIZE [module]", backtrace() a string of hex addresses,
// print_backtrace one " 0xADDR : symdata" line per frame, sprint_backtrace
// one "name+0xOFF [module]" line per frame. An address without a symbol
// shows as hex. docs/Semantics.md has the details.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Symbolizer.h"
#include "stapc/Object/RecordFormat.h"

#include <bpf/bpf.h>
#include <cerrno>
#include <cinttypes>
#include <cstdio>

namespace stapc::runtime {

std::optional<Rendering> parseRendering(std::string_view Word) {
  static const std::pair<std::string_view, Rendering> Words[] = {
      {"symname", Rendering::SymName},
      {"symdata", Rendering::SymData},
      {"kstack-hex", Rendering::KStackHex},
      {"kstack-brief", Rendering::KStackBrief},
      {"kstack-full", Rendering::KStackFull},
      {"ustack-hex", Rendering::UStackHex},
      {"ustack-brief", Rendering::UStackBrief},
      {"ustack-full", Rendering::UStackFull},
      {"usymname", Rendering::USymName},
      {"usymdata", Rendering::USymData},
  };
  for (const auto &[W, R] : Words)
    if (W == Word)
      return R;
  return std::nullopt;
}

static std::string hex(uint64_t V, bool Pad = false) {
  char Buf[24];
  std::snprintf(Buf, sizeof(Buf), Pad ? "0x%016" PRIx64 : "0x%" PRIx64, V);
  return Buf;
}

static bool isUserStack(Rendering R) {
  return R == Rendering::UStackHex || R == Rendering::UStackBrief ||
         R == Rendering::UStackFull;
}

/// The frames of stack V (a stack id; for user stacks with the process in
/// the high half). Empty when no stack was taken.
std::vector<uint64_t> Symbolizer::frames(bool User, int64_t V) {
  std::vector<uint64_t> Frames;
  if (V < 0) {
    LostStacks += V == -EEXIST || V == -ENOMEM;
    return Frames;
  }
  int Fd = StackFds[User];
  uint32_t Id = User ? STAPC_USTACK_ID(V) : uint32_t(V);
  struct bpf_map_info Info = {};
  uint32_t Len = sizeof(Info);
  if (Fd < 0 || bpf_obj_get_info_by_fd(Fd, &Info, &Len) || !Info.value_size)
    return Frames;
  Frames.resize(Info.value_size / sizeof(uint64_t));
  if (bpf_map_lookup_elem(Fd, &Id, Frames.data()))
    Frames.clear();
  while (!Frames.empty() && Frames.back() == 0)
    Frames.pop_back();
  if (!User)
    dropProbeFrames(Frames);
  return Frames;
}

/// A kernel stack starts in the probe itself: the BPF program (module
/// "bpf" in kallsyms) and the kernel's BPF dispatcher (bpf_trace_runN).
/// stap's backtraces start where its handler was called from; so do ours.
void Symbolizer::dropProbeFrames(std::vector<uint64_t> &Frames) {
  size_t Skip = 0;
  while (Skip < Frames.size()) {
    std::optional<SymbolHit> H = Kernel.lookup(Frames[Skip]);
    if (!H || (H->Module != "bpf" && H->Name.rfind("bpf_trace_run", 0) != 0))
      break;
    ++Skip;
  }
  Frames.erase(Frames.begin(), Frames.begin() + Skip);
}

std::string Symbolizer::symbolData(bool IsUser, uint32_t Pid, uint64_t Addr) {
  std::optional<SymbolHit> H = IsUser ? User.lookup(Pid, Addr) : Kernel.lookup(Addr);
  if (!H)
    return hex(Addr);
  if (H->Name.empty())
    return hex(Addr) + " [" + H->Module + "]";
  return H->Name + "+" + hex(H->Offset) + "/" + hex(H->Size) + " [" + H->Module + "]";
}

std::string Symbolizer::renderStack(Rendering R, int64_t V) {
  bool IsUser = isUserStack(R);
  uint32_t Pid = IsUser && V >= 0 ? STAPC_USTACK_TGID(V) : 0;
  std::string Out;
  for (uint64_t A : frames(IsUser, V)) {
    switch (R) {
    case Rendering::KStackHex:
    case Rendering::UStackHex:
      Out += (Out.empty() ? "" : " ") + hex(A);
      break;
    case Rendering::KStackFull:
    case Rendering::UStackFull:
      Out += " " + hex(A, true) + " : " + symbolData(IsUser, Pid, A) + "\n";
      break;
    default: {
      std::optional<SymbolHit> H = IsUser ? User.lookup(Pid, A) : Kernel.lookup(A);
      if (H && !H->Name.empty())
        Out += H->Name + "+" + hex(H->Offset) + " [" + H->Module + "]\n";
      else
        Out += hex(A) + (H ? " [" + H->Module + "]\n" : "\n");
    }
    }
  }
  return Out;
}

/// A usymname()/usymdata() id: its (address, process) from the keys map.
std::string Symbolizer::userSymbol(Rendering R, int64_t Id) {
  uint64_t Pair[2] = {0, 0}; // {address, tgid}
  uint32_t Key = uint32_t(Id);
  if (Id < 0 || UserSymbolKeysFd < 0 ||
      bpf_map_lookup_elem(UserSymbolKeysFd, &Key, Pair))
    return "";
  if (R == Rendering::USymData)
    return symbolData(true, uint32_t(Pair[1]), Pair[0]);
  std::optional<SymbolHit> H = User.lookup(uint32_t(Pair[1]), Pair[0]);
  return H && !H->Name.empty() ? H->Name : hex(Pair[0]);
}

std::string Symbolizer::render(Rendering R, int64_t V) {
  switch (R) {
  case Rendering::None:
    return std::to_string(V);
  case Rendering::SymName: {
    std::optional<SymbolHit> H = Kernel.lookup(uint64_t(V));
    return H && !H->Name.empty() ? H->Name : hex(uint64_t(V));
  }
  case Rendering::SymData:
    return symbolData(false, 0, uint64_t(V));
  case Rendering::USymName:
  case Rendering::USymData:
    return userSymbol(R, V);
  default:
    return renderStack(R, V);
  }
}

} // namespace stapc::runtime
