//===- GlobalReader.cpp - Read and print unread globals after a session ---===//
//
// Scalars are read from the internal .bss/.data map (one value holding the
// whole section), arrays and statistics from their own maps with the
// ordinary syscall interface: by the time this runs no probe is attached,
// so the values are final.
//
//===----------------------------------------------------------------------===//
#include "GlobalReader.h"
#include "Globals.h"
#include "stapc/Runtime/GlobalDisplay.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

namespace stapc::runtime {

namespace {
/// Bytes of one key or value as bpf_map_lookup_elem returns it: per-CPU
/// maps give each possible CPU's copy, each rounded up to 8 bytes.
size_t lookupSize(bpf_map *Map, size_t ValueSize) {
  bpf_map_type T = bpf_map__type(Map);
  if (T != BPF_MAP_TYPE_PERCPU_ARRAY && T != BPF_MAP_TYPE_PERCPU_HASH)
    return ValueSize;
  int Cpus = libbpf_num_possible_cpus();
  return ((ValueSize + 7) & ~size_t(7)) * (Cpus > 0 ? Cpus : 1);
}

class GlobalReader {
public:
  GlobalReader(bpf_object *Obj, const GlobalVarDecl &G) : Obj(Obj), G(G) {}
  /// The global's elements (one for a scalar); false with Error set if it
  /// cannot be read.
  bool read(std::vector<GlobalElement> &Out);
  std::string Error;

private:
  bool readVariable(std::vector<GlobalElement> &Out);
  bool readMap(std::vector<GlobalElement> &Out);
  bool fail(std::string Msg) {
    Error = std::move(Msg);
    return false;
  }

  bpf_object *Obj;
  const GlobalVarDecl &G;
};
} // namespace

bool GlobalReader::read(std::vector<GlobalElement> &Out) {
  return G.Where == GlobalVarDecl::Storage::Map ? readMap(Out) : readVariable(Out);
}

bool GlobalReader::readVariable(std::vector<GlobalElement> &Out) {
  const char *Section = G.Where == GlobalVarDecl::Storage::Bss ? ".bss" : ".data";
  std::optional<GlobalLocation> L = findGlobal(Obj, Section, G.Symbol.c_str());
  if (!L)
    return fail("no variable '" + G.Symbol + "' in " + Section);
  if (L->Size != G.Value.Size)
    return fail("variable '" + G.Symbol + "' has " + std::to_string(L->Size) +
                " bytes, expected " + std::to_string(G.Value.Size));
  std::vector<char> Value(bpf_map__value_size(L->Map));
  uint32_t Zero = 0;
  if (L->Offset + L->Size > Value.size() ||
      bpf_map_lookup_elem(bpf_map__fd(L->Map), &Zero, Value.data()) != 0)
    return fail(std::string("cannot read ") + Section + ": " + std::strerror(errno));
  GlobalElement E;
  E.Value = decodeSlot(G.Value, std::span<const char>(Value).subspan(L->Offset, L->Size));
  Out.push_back(std::move(E));
  return true;
}

bool GlobalReader::readMap(std::vector<GlobalElement> &Out) {
  bpf_map *Map = bpf_object__find_map_by_name(Obj, G.Symbol.c_str());
  if (!Map)
    return fail("no map '" + G.Symbol + "'");
  size_t KeySize = 0;
  for (const SlotType &K : G.Keys)
    KeySize += K.Size;
  if (G.Keys.empty())
    KeySize = 4; // a scalar statistic: a one-entry array
  if (bpf_map__key_size(Map) != KeySize || bpf_map__value_size(Map) != G.Value.Size)
    return fail("map '" + G.Symbol + "' has key/value sizes " +
                std::to_string(bpf_map__key_size(Map)) + "/" +
                std::to_string(bpf_map__value_size(Map)) + ", expected " +
                std::to_string(KeySize) + "/" + std::to_string(G.Value.Size));
  int Fd = bpf_map__fd(Map);
  std::vector<char> Key(KeySize), Next(KeySize), Value(lookupSize(Map, G.Value.Size));
  // Scalar statistic: key 0 of the per-CPU array (Key is zeroed).
  bool Have = G.Keys.empty() || bpf_map_get_next_key(Fd, nullptr, Key.data()) == 0;
  while (Have) {
    // An element deleted under us is simply skipped.
    if (bpf_map_lookup_elem(Fd, Key.data(), Value.data()) == 0) {
      GlobalElement E;
      E.Keys = decodeKey(G, Key);
      E.Value = decodeSlot(G.Value, Value);
      Out.push_back(std::move(E));
    } else if (G.Keys.empty()) {
      return fail("cannot read map '" + G.Symbol + "': " + std::strerror(errno));
    }
    Have = !G.Keys.empty() && bpf_map_get_next_key(Fd, Key.data(), Next.data()) == 0;
    Key.swap(Next);
  }
  return true;
}

/// Fills in the text of V when T is a formatted-later column.
static void render(const SlotType &T, SlotValue &V, Symbolizer &Sym) {
  if (T.Render != Rendering::None)
    V.Str = Sym.render(T.Render, V.Long);
}

bool printUnreadGlobals(bpf_object *Obj, const ObjectMeta &Meta, std::FILE *Out,
                        std::FILE *Err, Symbolizer &Sym) {
  bool OK = true;
  for (const GlobalVarDecl &G : Meta.Globals) {
    GlobalReader R(Obj, G);
    std::vector<GlobalElement> Elements;
    if (!R.read(Elements)) {
      std::fprintf(Err, "WARNING: cannot print global '%s': %s\n", G.Name.c_str(),
                   R.Error.c_str());
      OK = false;
      continue;
    }
    for (GlobalElement &E : Elements) {
      for (size_t I = 0; I < E.Keys.size() && I < G.Keys.size(); ++I)
        render(G.Keys[I], E.Keys[I], Sym);
      render(G.Value, E.Value, Sym);
    }
    std::string Text = formatGlobal(G, std::move(Elements));
    std::fwrite(Text.data(), 1, Text.size(), Out);
  }
  std::fflush(Out);
  return OK;
}

} // namespace stapc::runtime
