//===- CodeGen.h - Elaborated program to LLVM IR and BPF objects -*- C++ -*-===//
#ifndef STAPC_CODEGEN_CODEGEN_H
#define STAPC_CODEGEN_CODEGEN_H

#include "stapc/Sema/Program.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class SourceMgr;
class raw_pwrite_stream;
} // namespace llvm

namespace stapc {

class DiagnosticEngine;
class KernelBTF;

struct CodeGenOptions {
  /// MAXSTRINGLEN: longest string value, including its NUL.
  unsigned MaxStringLen = 512;
  /// MAXMAPENTRIES: entries of an array declared without a size.
  unsigned MaxMapEntries = 2048;
  /// MAXACTION: statements in loop bodies per hit of an event probe, and
  /// MAXACTION_INTERRUPTIBLE for begin/end/error probes.
  unsigned MaxAction = 1000;
  /// MAXERRORS: runtime errors a session survives (the loader enforces it).
  unsigned MaxErrors = 0;
  unsigned MaxActionInterruptible = 10000;
  /// MAXBACKTRACE: frames a backtrace keeps (the stack maps' depth).
  unsigned MaxBacktrace = 20;
  /// HIST_ELISION: empty histogram buckets shown at each end of a run of
  /// empty buckets before the rest become one `~` line (negative: show all).
  int HistElision = 2;
  /// STP_PROCFS_BUFSIZE: the most bytes a procfs read probe's file holds
  /// without .maxsize(N); 0 means MAXSTRINGLEN, stap's default.
  unsigned ProcfsBufSize = 0;
  /// Bytes of the BPF ring buffer (a power of two, multiple of the page).
  unsigned RingBufferSize = 1u << 22;
  /// The script's file name and text as recorded in debug info. The text is
  /// embedded so that BTF line info (verifier logs, `bpftool prog dump
  /// xlated linum`) shows script lines even where the .stp file is absent.
  std::string SourceName = "<input>";
  std::string SourceText;
  /// Kernel BTF used for typed context and @cast (may be null).
  KernelBTF *BTF = nullptr;
};

/// Lower Prog to an LLVM module for the `bpf` target. Errors that only
/// codegen can find (e.g. an unsupported construct) go to Diags.
std::unique_ptr<llvm::Module> generateModule(llvm::LLVMContext &LLVMCtx,
                                             const Program &Prog,
                                             DiagnosticEngine &Diags,
                                             const CodeGenOptions &Opts);

enum class OutputKind { Object, Assembly };

/// Optimise M with the BPF pipeline (which lowers CO-RE intrinsics) and
/// write an ELF object or BPF assembly to OS.
llvm::Error emitBPF(llvm::Module &M, llvm::raw_pwrite_stream &OS,
                    OutputKind Kind);

/// The data layout of the little-endian BPF target.
llvm::StringRef bpfDataLayout();

/// Only optimise (for -emit-llvm output that matches what gets compiled).
llvm::Error optimizeForBPF(llvm::Module &M);

} // namespace stapc

#endif
