//===- ElfUserBinaries.h - UserBinaries over libelf and libdw ---*- C++ -*-===//
#ifndef STAPC_USERDEBUG_ELFUSERBINARIES_H
#define STAPC_USERDEBUG_ELFUSERBINARIES_H

#include "stapc/Sema/UserBinary.h"

#include <map>

namespace stapc {

/// Opens ELF files with libelf; DWARF (in the file itself) with libdw.
class ElfUserBinaries : public UserBinaries {
public:
  std::shared_ptr<UserBinary> open(llvm::StringRef Path,
                                   std::string &Err) override;

private:
  std::map<std::string, std::shared_ptr<UserBinary>> Open;
};

} // namespace stapc

#endif
