//===- Globals.cpp - The loader's view of an object's globals -------------===//
#include "Globals.h"
#include "stapc/Object/RecordFormat.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cstring>
#include <ctime>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace stapc::runtime {

/// libbpf names internal maps "<object prefix><section>", e.g. "probe.rodata".
static bpf_map *findInternalMap(bpf_object *Obj, const char *Section) {
  size_t SectionLen = std::strlen(Section);
  bpf_map *M;
  bpf_object__for_each_map(M, Obj) {
    if (!bpf_map__is_internal(M))
      continue;
    const char *Name = bpf_map__name(M);
    size_t Len = std::strlen(Name);
    if (Len >= SectionLen && std::strcmp(Name + Len - SectionLen, Section) == 0)
      return M;
  }
  return nullptr;
}

std::optional<GlobalLocation> findGlobal(bpf_object *Obj, const char *Section,
                                         const char *Var) {
  const btf *B = bpf_object__btf(Obj);
  bpf_map *Map = findInternalMap(Obj, Section);
  if (!B || !Map)
    return std::nullopt;
  int SecId = btf__find_by_name_kind(B, Section, BTF_KIND_DATASEC);
  if (SecId < 0)
    return std::nullopt;
  const btf_type *Sec = btf__type_by_id(B, SecId);
  const btf_var_secinfo *Info = btf_var_secinfos(Sec);
  for (unsigned I = 0, N = btf_vlen(Sec); I < N; ++I) {
    const btf_type *V = btf__type_by_id(B, Info[I].type);
    if (!V || std::strcmp(btf__name_by_offset(B, V->name_off), Var) != 0)
      continue;
    return GlobalLocation{Map, Info[I].offset, Info[I].size};
  }
  return std::nullopt;
}

bool setRodataInteger(bpf_object *Obj, const char *Var, int64_t V, std::string &Err) {
  std::optional<GlobalLocation> L = findGlobal(Obj, ".rodata", Var);
  if (!L)
    return true;
  size_t Size = 0;
  // libbpf 1.1 returns const, but before load this is the map's private
  // initial image, which skeletons write in exactly this way.
  char *Data = static_cast<char *>(
      const_cast<void *>(static_cast<const void *>(bpf_map__initial_value(L->Map, &Size))));
  if (!Data || L->Offset + L->Size > Size || (L->Size != 4 && L->Size != 8)) {
    Err = std::string("cannot set .rodata variable '") + Var + "'";
    return false;
  }
  if (L->Size == 8) {
    std::memcpy(Data + L->Offset, &V, 8);
  } else {
    int32_t V32 = static_cast<int32_t>(V);
    std::memcpy(Data + L->Offset, &V32, 4);
  }
  return true;
}

/// tz_gmtoff() and tz_name(): the local time zone now, as staprun passes
/// it at startup (a later change of daylight saving time is not seen).
bool setTimeZoneGlobals(bpf_object *O, std::string &Err) {
  time_t Now = time(nullptr);
  struct tm Local;
  if (!localtime_r(&Now, &Local))
    return true; // the BPF side reads UTC
  int64_t Name = 0;
  if (Local.tm_zone)
    std::memcpy(&Name, Local.tm_zone, strnlen(Local.tm_zone, sizeof Name));
  return setRodataInteger(O, STAPC_TZ_GMTOFF_VAR, -Local.tm_gmtoff, Err) &&
         setRodataInteger(O, STAPC_TZ_NAME_VAR, Name, Err);
}

BssGlobals::~BssGlobals() {
  if (Mapped)
    munmap(Mapped, MappedSize);
}

void BssGlobals::attach(bpf_object *Obj) {
  Exiting = findGlobal(Obj, ".bss", STAPC_EXITING_VAR);
  Dropped = findGlobal(Obj, ".bss", STAPC_DROPPED_VAR);
  Skipped = findGlobal(Obj, ".bss", STAPC_SKIPPED_VAR);
  Errors = findGlobal(Obj, ".bss", STAPC_ERRORS_VAR);
  bpf_map *Map = Exiting ? Exiting->Map : Dropped ? Dropped->Map : nullptr;
  if (!Map)
    return;
  // Writing the whole value with bpf_map_update_elem would race with the
  // BPF side updating other globals; an mmap lets us store one word.
  long Page = sysconf(_SC_PAGESIZE);
  size_t Size = (bpf_map__value_size(Map) + Page - 1) / Page * Page;
  void *P = mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(Map), 0);
  if (P != MAP_FAILED) {
    Mapped = P;
    MappedSize = Size;
  }
}

uint64_t BssGlobals::read(const GlobalLocation &L) const {
  uint64_t V = 0;
  size_t N = L.Size < sizeof(V) ? L.Size : sizeof(V);
  if (Mapped) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    std::memcpy(&V, static_cast<char *>(Mapped) + L.Offset, N);
    return V;
  }
  std::vector<char> Value(bpf_map__value_size(L.Map));
  uint32_t Key = 0;
  if (bpf_map_lookup_elem(bpf_map__fd(L.Map), &Key, Value.data()) == 0 &&
      L.Offset + N <= Value.size())
    std::memcpy(&V, Value.data() + L.Offset, N);
  return V;
}

void BssGlobals::write(const GlobalLocation &L, uint64_t V) {
  if (Mapped) {
    char *P = static_cast<char *>(Mapped) + L.Offset;
    if (L.Size == 4)
      __atomic_store_n(reinterpret_cast<uint32_t *>(P), static_cast<uint32_t>(V),
                       __ATOMIC_SEQ_CST);
    else if (L.Size == 8)
      __atomic_store_n(reinterpret_cast<uint64_t *>(P), V, __ATOMIC_SEQ_CST);
    return;
  }
  std::vector<char> Value(bpf_map__value_size(L.Map));
  uint32_t Key = 0;
  int Fd = bpf_map__fd(L.Map);
  if (bpf_map_lookup_elem(Fd, &Key, Value.data()) != 0 || L.Offset + L.Size > Value.size())
    return;
  std::memcpy(Value.data() + L.Offset, &V, L.Size < 8 ? L.Size : 8);
  bpf_map_update_elem(Fd, &Key, Value.data(), BPF_ANY);
}

void BssGlobals::setExiting() {
  if (Exiting)
    write(*Exiting, 1);
}

uint64_t BssGlobals::dropped() const { return Dropped ? read(*Dropped) : 0; }

uint64_t BssGlobals::skipped() const { return Skipped ? read(*Skipped) : 0; }

uint64_t BssGlobals::errors() const { return Errors ? read(*Errors) : 0; }

} // namespace stapc::runtime
