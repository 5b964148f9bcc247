//===- Globals.h - The loader's view of an object's globals ----*- C++ -*-===//
//
// The loader talks to a running object through three globals (see
// docs/ObjectFormat.md): it writes .rodata stapc_target_pid before load,
// and after load sets .bss stapc_exiting and reads .bss stapc_dropped.
// Any of them may be absent.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_RUNTIME_GLOBALS_H
#define STAPC_LIB_RUNTIME_GLOBALS_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

struct bpf_object;
struct bpf_map;

namespace stapc::runtime {

/// Where a global lives: its internal map and its byte offset and size in
/// the map's single value.
struct GlobalLocation {
  bpf_map *Map = nullptr;
  size_t Offset = 0;
  size_t Size = 0;
};

/// Finds variable Var in the object's DATASEC Section (".rodata", ".bss",
/// ".data") through the object's BTF. nullopt if absent.
std::optional<GlobalLocation> findGlobal(bpf_object *Obj, const char *Section,
                                         const char *Var);

/// Before load: stores V into a .rodata integer global (4 or 8 bytes).
/// Absent variable: nothing to do, returns true.
bool setRodataInteger(bpf_object *Obj, const char *Var, int64_t V, std::string &Err);

/// Before load: the local time zone's offset and name for tz_gmtoff() and
/// tz_name() (docs/ObjectFormat.md, section 5).
bool setTimeZoneGlobals(bpf_object *Obj, std::string &Err);

/// After load: live access to .bss globals through an mmap of the .bss map
/// (falling back to map lookups/updates where mmap is not possible).
class BssGlobals {
public:
  BssGlobals() = default;
  BssGlobals(const BssGlobals &) = delete;
  BssGlobals &operator=(const BssGlobals &) = delete;
  ~BssGlobals();

  void attach(bpf_object *Obj);
  /// Sets stapc_exiting to 1 (if the object has it).
  void setExiting();
  /// Has the BPF side (exit() or an error) set stapc_exiting? The EXIT
  /// record itself can be lost when the ring buffer is full.
  bool exitingSet() const { return Exiting && read(*Exiting) != 0; }
  /// The value of stapc_dropped (0 if the object has no such variable).
  uint64_t dropped() const;
  uint64_t skipped() const;
  /// Uncaught runtime errors so far (stapc_errors), records lost or not.
  uint64_t errors() const;

private:
  uint64_t read(const GlobalLocation &L) const;
  void write(const GlobalLocation &L, uint64_t V);

  std::optional<GlobalLocation> Exiting, Dropped, Skipped, Errors;
  void *Mapped = nullptr;
  size_t MappedSize = 0;
};

} // namespace stapc::runtime

#endif
