//===- MetaSection.cpp - Read .stapc.meta out of an ELF file --------------===//
//
// libbpf ignores the section, so the loader reads it itself with libelf
// before handing the file to libbpf. This is also where "not an object
// stapc-run can run" errors are diagnosed, with precise messages.
//
//===----------------------------------------------------------------------===//
#include "stapc/Object/RecordFormat.h"
#include "stapc/Runtime/ObjectMeta.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stapc::runtime {

namespace {
/// Closes the ELF handle and the descriptor on every path.
struct ElfFile {
  int Fd = -1;
  Elf *E = nullptr;
  ~ElfFile() {
    if (E)
      elf_end(E);
    if (Fd >= 0)
      close(Fd);
  }
};

Elf_Scn *findSection(Elf *E, const char *Name) {
  size_t StrIndex = 0;
  if (elf_getshdrstrndx(E, &StrIndex) != 0)
    return nullptr;
  for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
    GElf_Shdr H;
    if (!gelf_getshdr(S, &H))
      continue;
    const char *N = elf_strptr(E, StrIndex, H.sh_name);
    if (N && std::strcmp(N, Name) == 0)
      return S;
  }
  return nullptr;
}
/// Why the file cannot be a whole object: the section header table or a
/// section's contents lie past its end (a truncated copy loses the table
/// first: the linker-less objects stapc writes keep it at the end). "" if
/// everything is inside the file.
std::string truncation(const ElfFile &F) {
  struct stat St;
  if (fstat(F.Fd, &St) != 0)
    return "";
  uint64_t Size = St.st_size;
  GElf_Ehdr EH;
  if (!gelf_getehdr(F.E, &EH))
    return "no ELF header";
  // The header's own count: libelf quietly keeps only the headers that fit.
  size_t Count = EH.e_shnum;
  if (Count == 0 && elf_getshdrnum(F.E, &Count) != 0)
    Count = 0;
  if (EH.e_shoff == 0 || Count == 0 || EH.e_shoff > Size ||
      Count * uint64_t(EH.e_shentsize) > Size - EH.e_shoff)
    return "its section header table is missing or runs past the end of the "
           "file (" + std::to_string(Size) + " bytes)";
  size_t StrIndex = 0;
  elf_getshdrstrndx(F.E, &StrIndex);
  for (Elf_Scn *S = elf_nextscn(F.E, nullptr); S; S = elf_nextscn(F.E, S)) {
    GElf_Shdr H;
    if (!gelf_getshdr(S, &H))
      return "a section header cannot be read";
    if (H.sh_type == SHT_NOBITS)
      continue;
    if (H.sh_offset > Size || H.sh_size > Size - H.sh_offset) {
      const char *N = elf_strptr(F.E, StrIndex, H.sh_name);
      return std::string("section '") + (N ? N : "?") +
             "' runs past the end of the file (" + std::to_string(Size) + " bytes)";
    }
  }
  return "";
}
} // namespace

std::optional<std::string> readMetaSection(const std::string &Path, std::string &Err) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    Err = "libelf initialization failed";
    return std::nullopt;
  }
  ElfFile F;
  F.Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (F.Fd < 0) {
    Err = "cannot open '" + Path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  F.E = elf_begin(F.Fd, ELF_C_READ, nullptr);
  if (!F.E || elf_kind(F.E) != ELF_K_ELF) {
    Err = "'" + Path + "' is not an ELF file";
    return std::nullopt;
  }
  GElf_Ehdr EH;
  if (!gelf_getehdr(F.E, &EH) || EH.e_machine != EM_BPF) {
    Err = "'" + Path + "' is not a BPF object file";
    return std::nullopt;
  }
  if (std::string Why = truncation(F); !Why.empty()) {
    Err = "'" + Path + "' is truncated or corrupt: " + Why;
    return std::nullopt;
  }
  Elf_Scn *S = findSection(F.E, STAPC_META_SECTION);
  if (!S) {
    Err = "'" + Path + "' has no " STAPC_META_SECTION
          " section; is it a stapc object? (compile it with stapc)";
    return std::nullopt;
  }
  GElf_Shdr H;
  if (!gelf_getshdr(S, &H) || H.sh_type == SHT_NOBITS) {
    Err = "'" + Path + "': the " STAPC_META_SECTION " section has no contents";
    return std::nullopt;
  }
  std::string Text;
  for (Elf_Data *D = elf_getdata(S, nullptr); D; D = elf_getdata(S, D))
    if (D->d_buf)
      Text.append(static_cast<const char *>(D->d_buf), D->d_size);
  return Text;
}

} // namespace stapc::runtime
