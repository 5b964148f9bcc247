//===- Symbolizer.h - Text of symbols and backtraces for the loader -*- C++ -*-===//
//
// symname(), backtrace() and their family are "formatted later": the BPF
// side sends a long (an address or a stack id) and a `render` metadata line
// says how to show it (docs/ObjectFormat.md). This is the loader's half:
// kernel symbols from /proc/kallsyms, user symbols from the process's
// mappings (/proc/PID/maps) and the mapped files' ELF symbol tables
// (libelf), stacks from the object's stack trace maps.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_SYMBOLIZER_H
#define STAPC_RUNTIME_SYMBOLIZER_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stapc::runtime {

/// How a formatted-later long is shown (the words of `render` lines).
enum class Rendering : uint8_t {
  None,
  SymName,     ///< "symname": name, or the address in hex
  SymData,     ///< "symdata": name+0xOFF/0xSIZE [module]
  KStackHex,   ///< "kstack-hex": stap's backtrace() string, "0x... 0x..."
  KStackBrief, ///< "kstack-brief": sprint_backtrace(), a line per frame
  KStackFull,  ///< "kstack-full": print_backtrace(), " 0x... : symdata"
  UStackHex,   ///< "ustack-hex": the same for ubacktrace() values
  UStackBrief, ///< "ustack-brief"
  UStackFull,  ///< "ustack-full"
  USymName,    ///< "usymname": a user symbol's name, or the address in hex
  USymData,    ///< "usymdata": name+0xOFF/0xSIZE [path]
};

/// The rendering a `render` word names, or nullopt.
std::optional<Rendering> parseRendering(std::string_view Word);

/// Where an address falls: its symbol, the offset into it and its size,
/// and the module ("kernel", a kernel module, or a file's path).
struct SymbolHit {
  std::string Name;
  uint64_t Offset = 0;
  uint64_t Size = 0;
  std::string Module;
};

/// Function symbols of the running kernel and its modules.
class KernelSymbols {
public:
  /// Reads kallsyms-format text ("ADDR TYPE NAME [MODULE]" lines); only
  /// text symbols are kept. Without a call, lookup() reads /proc/kallsyms.
  void load(std::string_view Text);
  std::optional<SymbolHit> lookup(uint64_t Addr);

private:
  struct Symbol {
    uint64_t Addr;
    std::string Name;
    std::string Module;
  };
  std::vector<Symbol> Symbols; ///< Sorted by address.
  bool Loaded = false;
};

/// Symbols of user processes, through their mappings and ELF files.
class UserSymbols {
public:
  UserSymbols();
  ~UserSymbols();
  /// The symbol at Addr in process Pid. A process's mappings are read
  /// when first needed and read again when an address is in none of them;
  /// once the process has exited only what was read before is known.
  std::optional<SymbolHit> lookup(uint32_t Pid, uint64_t Addr);

  struct ElfFile;

private:
  struct Mapping {
    uint64_t Start, End, FileOffset;
    std::string Path;
  };
  const Mapping *findMapping(uint32_t Pid, uint64_t Addr);
  ElfFile *elfFile(const std::string &Path);
  std::map<uint32_t, std::vector<Mapping>> Maps;
  std::map<std::string, std::unique_ptr<ElfFile>> Files;
};

class Symbolizer {
public:
  /// The object's stack trace maps (file descriptors; -1 if absent).
  void setStackMaps(int KernelFd, int UserFd) {
    StackFds[0] = KernelFd;
    StackFds[1] = UserFd;
  }
  /// The object's STAPC_USYM_KEYS_MAP (-1 if absent).
  void setUserSymbolKeys(int Fd) { UserSymbolKeysFd = Fd; }
  /// The text of V shown as R.
  std::string render(Rendering R, int64_t V);
  /// Backtraces printed empty because the stack map had no room for them.
  unsigned lostStacks() const { return LostStacks; }

  KernelSymbols Kernel;
  UserSymbols User;

private:
  std::vector<uint64_t> frames(bool User, int64_t V);
  void dropProbeFrames(std::vector<uint64_t> &Frames);
  std::string symbolData(bool User, uint32_t Pid, uint64_t Addr);
  std::string renderStack(Rendering R, int64_t V);
  std::string userSymbol(Rendering R, int64_t Id);
  int StackFds[2] = {-1, -1};
  int UserSymbolKeysFd = -1;
  unsigned LostStacks = 0;
};

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_SYMBOLIZER_H
