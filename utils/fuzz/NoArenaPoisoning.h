//===- NoArenaPoisoning.h - Force-included into the fuzzer build -*- C++ -*-===//
//
// Under AddressSanitizer, llvm::BumpPtrAllocator (a header template) poisons
// each new slab and unpoisons what Allocate() hands out. Our instrumented
// copies of it do that, but llvm::StringSaver::save() lives in the prebuilt,
// uninstrumented libLLVMSupport, whose inlined Allocate() never unpoisons:
// its memcpy into the arena then looks like a use-after-poison. Turning the
// arena annotations off in our code keeps both sides consistent; ASan still
// checks every heap, stack and global access.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_FUZZ_NOARENAPOISONING_H
#define STAPC_FUZZ_NOARENAPOISONING_H

#include <sanitizer/asan_interface.h>

#define __asan_poison_memory_region(p, size) ((void)(p), (void)(size))
#define __asan_unpoison_memory_region(p, size) ((void)(p), (void)(size))

#endif
