//===- Trampolines.h - Choose fentry/fexit or kprobes per session -*- C++ -*-===//
//
// A kernel.function probe is compiled twice: a trampoline program
// (fentry/fexit, cheap, typed by BTF) and a kprobe twin (kprobe/kretprobe
// reading pt_regs). Before loading, the loader keeps one of the two for
// each probe and disables the other (docs/Probes.md, "kernel.function").
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_RUNTIME_TRAMPOLINES_H
#define STAPC_LIB_RUNTIME_TRAMPOLINES_H

#include "stapc/Runtime/ObjectMeta.h"

#include <string>
#include <vector>

struct bpf_object;

namespace stapc::runtime {

/// Keeps, for every `alternative` of Meta, either the trampoline program
/// or its kprobe twins: kprobes when ForceKprobes, when this kernel cannot
/// attach a trampoline (tested once with a two-instruction fentry program
/// on the first probed function) or for functions with more than six
/// arguments (x86-64 trampolines on 6.1 take at most six). Retargets the
/// probe declarations to the programs kept. Returns false with Err set
/// when the metadata is inconsistent with the object.
/// Why trampolines were not used, when they were not; empty otherwise
/// (also when there are no kernel.function probes).
struct KernelFunctionChoice {
  std::string NoTrampolines;
  std::vector<std::string> KprobePrograms; ///< The twins kept.
  bool isKprobe(const std::string &Program) const;
};

bool chooseKernelFunctionPrograms(bpf_object *Obj, ObjectMeta &Meta, bool ForceKprobes,
                                  int Verbosity, KernelFunctionChoice &Choice,
                                  std::string &Err);

} // namespace stapc::runtime

#endif
