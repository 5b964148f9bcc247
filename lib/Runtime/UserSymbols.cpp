//===- UserSymbols.cpp - User-space symbols through /proc/PID/maps --------===//
//
// A user address means something only in its process: /proc/PID/maps says
// which file (and which offset in it) is mapped there; the file's ELF
// program headers turn the offset into a link-time address, and its symbol
// tables (.symtab, else .dynsym) name the function there. libelf only: the
// loader links no DWARF reader and no LLVM.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Symbolizer.h"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <gelf.h>
#include <libelf.h>
#include <sstream>
#include <unistd.h>

namespace stapc::runtime {

/// The function symbols and loadable segments of one ELF file.
struct UserSymbols::ElfFile {
  struct Segment {
    uint64_t Offset, Vaddr, Size;
  };
  struct Symbol {
    uint64_t Addr, Size;
    std::string Name;
  };
  std::vector<Segment> Segments;
  std::vector<Symbol> Symbols; ///< Sorted by address.

  /// The link-time address of file offset Off, if a segment maps it.
  std::optional<uint64_t> vaddrOf(uint64_t Off) const {
    for (const Segment &S : Segments)
      if (Off >= S.Offset && Off - S.Offset < S.Size)
        return Off - S.Offset + S.Vaddr;
    return std::nullopt;
  }

  const Symbol *symbolAt(uint64_t Addr) const {
    auto It = std::upper_bound(Symbols.begin(), Symbols.end(), Addr,
                               [](uint64_t A, const Symbol &S) { return A < S.Addr; });
    if (It == Symbols.begin())
      return nullptr;
    const Symbol &S = *--It;
    return Addr - S.Addr < std::max<uint64_t>(S.Size, 1) ? &S : nullptr;
  }

  void read(Elf *E) {
    size_t N = 0;
    elf_getphdrnum(E, &N);
    for (size_t I = 0; I < N; ++I) {
      GElf_Phdr P;
      if (gelf_getphdr(E, I, &P) && P.p_type == PT_LOAD)
        Segments.push_back({P.p_offset, P.p_vaddr, P.p_filesz});
    }
    // .symtab has the local functions too; stripped files keep .dynsym.
    if (!readTable(E, SHT_SYMTAB))
      readTable(E, SHT_DYNSYM);
    std::sort(Symbols.begin(), Symbols.end(),
              [](const Symbol &A, const Symbol &B) { return A.Addr < B.Addr; });
  }

  bool readTable(Elf *E, unsigned Type) {
    bool Found = false;
    for (Elf_Scn *Scn = elf_nextscn(E, nullptr); Scn; Scn = elf_nextscn(E, Scn)) {
      GElf_Shdr H;
      if (!gelf_getshdr(Scn, &H) || H.sh_type != Type || !H.sh_entsize)
        continue;
      Found = true;
      Elf_Data *D = elf_getdata(Scn, nullptr);
      for (size_t I = 0; D && I < H.sh_size / H.sh_entsize; ++I) {
        GElf_Sym S;
        if (!gelf_getsym(D, I, &S) || GELF_ST_TYPE(S.st_info) != STT_FUNC ||
            S.st_value == 0)
          continue;
        if (const char *Name = elf_strptr(E, H.sh_link, S.st_name))
          Symbols.push_back({S.st_value, S.st_size, Name});
      }
    }
    return Found;
  }
};

UserSymbols::UserSymbols() { elf_version(EV_CURRENT); }
UserSymbols::~UserSymbols() = default;


const UserSymbols::Mapping *UserSymbols::findMapping(uint32_t Pid, uint64_t Addr) {
  auto Find = [&]() -> const Mapping * {
    for (const Mapping &M : Maps[Pid])
      if (Addr >= M.Start && Addr < M.End)
        return &M;
    return nullptr;
  };
  if (const Mapping *M = Find())
    return M;
  // Not read yet, or mapped since (dlopen): read again while the process
  // lives; keep what we had once it is gone.
  std::ifstream In("/proc/" + std::to_string(Pid) + "/maps");
  if (!In)
    return nullptr;
  std::vector<Mapping> Fresh;
  std::string Line;
  while (std::getline(In, Line)) {
    std::istringstream L(Line);
    std::string Range, Perms, Offset, Dev, Inode, Path;
    if (!(L >> Range >> Perms >> Offset >> Dev >> Inode >> Path) ||
        Path.empty() || Path[0] != '/')
      continue;
    size_t Dash = Range.find('-');
    if (Dash == std::string::npos)
      continue;
    Fresh.push_back({std::strtoull(Range.c_str(), nullptr, 16),
                     std::strtoull(Range.substr(Dash + 1).c_str(), nullptr, 16),
                     std::strtoull(Offset.c_str(), nullptr, 16), Path});
  }
  if (!Fresh.empty())
    Maps[Pid] = std::move(Fresh);
  return Find();
}

UserSymbols::ElfFile *UserSymbols::elfFile(const std::string &Path) {
  auto [It, New] = Files.try_emplace(Path);
  if (!New)
    return It->second.get();
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return nullptr;
  if (Elf *E = elf_begin(Fd, ELF_C_READ, nullptr)) {
    It->second = std::make_unique<ElfFile>();
    It->second->read(E);
    elf_end(E);
  }
  close(Fd);
  return It->second.get();
}

std::optional<SymbolHit> UserSymbols::lookup(uint32_t Pid, uint64_t Addr) {
  const Mapping *M = findMapping(Pid, Addr);
  if (!M)
    return std::nullopt;
  ElfFile *F = elfFile(M->Path);
  std::optional<uint64_t> V =
      F ? F->vaddrOf(Addr - M->Start + M->FileOffset) : std::nullopt;
  const ElfFile::Symbol *S = V ? F->symbolAt(*V) : nullptr;
  if (!S)
    return SymbolHit{"", 0, 0, M->Path};
  return SymbolHit{S->Name, *V - S->Addr, S->Size, M->Path};
}

} // namespace stapc::runtime
