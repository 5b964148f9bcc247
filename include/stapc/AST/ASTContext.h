//===- ASTContext.h - Arena for AST nodes and strings ----------*- C++ -*-===//
#ifndef STAPC_AST_ASTCONTEXT_H
#define STAPC_AST_ASTCONTEXT_H

#include "stapc/AST/AST.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>
#include <vector>

namespace stapc {

/// Owns every AST node, every string the front end creates (decoded string
/// literals, names built by macro expansion) and the list of parsed files.
class ASTContext {
public:
  ASTContext() : Saver(Alloc) {}
  ASTContext(const ASTContext &) = delete;
  ASTContext &operator=(const ASTContext &) = delete;

  void *allocate(size_t Size, size_t Align) { return Alloc.Allocate(Size, Align); }

  /// Copy a string into the arena.
  StringRef save(StringRef S) { return Saver.save(S); }

  /// Copy a vector of trivially destructible elements into the arena.
  template <typename T> MutableArrayRef<T> copyArray(ArrayRef<T> Src) {
    if (Src.empty())
      return {};
    T *Mem = static_cast<T *>(Alloc.Allocate(sizeof(T) * Src.size(), alignof(T)));
    std::uninitialized_copy(Src.begin(), Src.end(), Mem);
    return MutableArrayRef<T>(Mem, Src.size());
  }

  /// Files in the order they were parsed: user script(s) first, then tapsets.
  std::vector<ScriptFile> Files;

  size_t getBytesAllocated() const { return Alloc.getBytesAllocated(); }

private:
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saver;
};

inline void *Node::operator new(size_t Size, ASTContext &Ctx, size_t Align) {
  return Ctx.allocate(Size, Align);
}

} // namespace stapc

#endif
