//===- UserBinary.h - What Sema and CodeGen need from user ELF files -*- C++ -*-===//
//
// The narrow view of a user-space executable or library that process(...)
// probes use: its function symbols, its SystemTap SDT markers, its globals
// and the DWARF types of parameters, return values and globals.
// lib/UserDebug implements it with libelf and libdw; tests may implement it
// over a fixture. Type ids are opaque (0: no type known).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_SEMA_USERBINARY_H
#define STAPC_SEMA_USERBINARY_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stapc {

using UserTypeId = uint64_t;

/// How a DWARF type reads as a script value.
struct UserTypeInfo {
  enum KindTy { Integer, Pointer, Array, Aggregate, Float, Unknown } Kind = Unknown;
  uint64_t Size = 0;     // bytes
  bool IsSigned = false; // Integer
  UserTypeId Target = 0; // Pointer: pointee; Array: element (0: void)
};

/// A parameter or global with its DWARF type.
struct UserVariable {
  std::string Name;
  UserTypeId Type = 0;
};

class UserBinary {
public:
  virtual ~UserBinary() = default;

  /// A defined function symbol: its link-time address and file offset.
  struct Function {
    std::string Name;
    uint64_t Address = 0;
    uint64_t FileOffset = 0;
  };
  /// One site of an SDT marker (`.note.stapsdt`), addresses adjusted for
  /// prelinking; SemaphoreOffset is a file offset (0: no semaphore).
  struct Marker {
    std::string Provider, Name, Args;
    uint64_t Address = 0, FileOffset = 0, SemaphoreOffset = 0;
  };

  virtual const std::string &path() const = 0;
  /// Whether the file is position independent (ET_DYN): its addresses are
  /// relative to a load bias only known at run time.
  virtual bool isRelocatable() const = 0;
  /// Defined functions (symtab, else dynsym) whose name matches Glob,
  /// sorted by name, one per name.
  virtual std::vector<Function> findFunctions(llvm::StringRef Glob) = 0;
  /// SDT marker sites whose provider and name match the globs, in note
  /// order.
  virtual std::vector<Marker> findMarkers(llvm::StringRef ProviderGlob,
                                          llvm::StringRef NameGlob) = 0;
  /// DT_NEEDED entries of the dynamic section.
  virtual std::vector<std::string> neededLibraries() = 0;

  /// Whether there is DWARF for the function at Address.
  virtual bool hasDebugInfo(const Function &F) = 0;
  /// The function's formal parameters and return type (0: void), from
  /// DWARF; false when it has none.
  virtual bool getParams(const Function &F, std::vector<UserVariable> &Params,
                         UserTypeId &Return) = 0;
  /// A global variable's link-time address and type (0 when only the
  /// symbol table knows it).
  virtual bool findGlobal(llvm::StringRef Name, uint64_t &Address,
                          UserTypeId &Type) = 0;

  virtual UserTypeInfo describe(UserTypeId T) = 0;
  /// A member of a struct or union (looking through anonymous members):
  /// its byte offset and type.
  virtual std::optional<std::pair<uint64_t, UserTypeId>>
  findMember(UserTypeId Aggregate, llvm::StringRef Name) = 0;
  /// A C spelling ("struct point *").
  virtual std::string typeName(UserTypeId T) = 0;
};

/// Opens user binaries by path, each once.
class UserBinaries {
public:
  virtual ~UserBinaries() = default;
  /// Null and Err set when Path is not a readable ELF file.
  virtual std::shared_ptr<UserBinary> open(llvm::StringRef Path,
                                           std::string &Err) = 0;
};

} // namespace stapc

#endif
