//===- CodeGenModule.h - Module-level state of code generation -*- C++ -*-===//
//
// Owns what every probe shares: the LLVM module, debug info (which becomes
// BTF), the runtime maps and variables the loader knows by name, the storage
// of script globals, and the metadata text (.stapc.meta).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_CODEGENMODULE_H
#define STAPC_LIB_CODEGEN_CODEGENMODULE_H

#include "stapc/Basic/Diagnostic.h"
#include "stapc/CodeGen/CodeGen.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/Module.h"

#include <set>
#include <tuple>
#include <string>
#include <vector>

namespace stapc {

class BTFDIBuilder;
struct RegexCode;

/// Byte layout of a value or key column of an array.
struct SlotLayout {
  TypeKind Ty = TypeKind::Long;
  unsigned Offset = 0;
  unsigned Size = 8;
};

/// Where a script global lives.
struct GlobalStorage {
  const VarDecl *Var = nullptr;
  llvm::GlobalVariable *GV = nullptr; // scalar: the variable; array: the map
  bool IsArray = false;
  bool IsStats = false;               // per-CPU {count, sum, min, max, sumsq}
  bool IsWrap = false;                // `a%`: an LRU hash, never full
  const HistogramSpec *Hist = nullptr; // statistics with buckets after those
  std::vector<SlotLayout> Keys;       // arrays: key columns
  unsigned KeySize = 0;
  unsigned MaxEntries = 0;            // arrays: capacity
  SlotLayout Value;                   // element (arrays) or the scalar
};

class CodeGenModule {
public:
  CodeGenModule(llvm::LLVMContext &C, const Program &Prog,
                DiagnosticEngine &Diags, const CodeGenOptions &Opts);
  ~CodeGenModule();

  std::unique_ptr<llvm::Module> run();

  llvm::LLVMContext &getLLVMContext() { return Ctx; }
  llvm::Module &getModule() { return *M; }
  llvm::DIBuilder &getDIBuilder() { return *DIB; }
  DiagnosticEngine &getDiags() { return Diags; }
  /// True the first time for Loc: a body shared by many probe instances (a
  /// wildcard's matches) reports an error about its code once, not per
  /// instance.
  bool firstReportAt(SMLoc Loc) { return ReportedLocs.insert(Loc.getPointer()).second; }
  const CodeGenOptions &getOptions() const { return Opts; }
  const Program &getProgram() const { return Prog; }

  // Runtime objects known to the loader (see RecordFormat.h).
  llvm::GlobalVariable *getRingBuffer() const { return RingBuf; }
  llvm::GlobalVariable *getScratchMap() const { return Scratch; }
  llvm::GlobalVariable *getExitingVar() const { return Exiting; }
  llvm::GlobalVariable *getDroppedVar() const { return Dropped; }
  llvm::GlobalVariable *getTargetPidVar() const { return TargetPid; }
  /// STAPC_KPROBE_TWINS_VAR, created on first use.
  llvm::GlobalVariable *getKprobeTwinsVar();
  /// STAPC_PROCFS_INPUT_MAP (the text a procfs write probe gets), created
  /// on first use (CGProcfs.cpp).
  llvm::GlobalVariable *getProcfsInputMap();

  /// A `.rodata` s64 (`const volatile`) the loader sets before load,
  /// created on first use (the time zone variables).
  llvm::GlobalVariable *getLoaderLongVar(llvm::StringRef Name);
  llvm::GlobalVariable *getSkippedVar() const { return Skipped; }
  llvm::GlobalVariable *getErrorsVar() const { return Errors; }
  /// Record how the loader attaches a probe program (a .stapc.meta line).
  void addProbeLine(std::string Line) { ProbeLines.push_back(std::move(Line)); }

  const GlobalStorage &getGlobal(const VarDecl *V) const;

  /// A printf argument the loader renders: argument Arg (in payload
  /// order) is a formatted-later long shown as Kind (a `render` line).
  struct FormatRender {
    unsigned Arg;
    llvm::StringRef Kind;
  };
  /// Register a printf format / runtime error message; returns its id.
  unsigned addFormat(llvm::StringRef Fmt,
                     llvm::ArrayRef<FormatRender> Renders = {});
  /// The `render` kind a formatted-later value of type T prints as with
  /// %s (CGSymbols.cpp).
  static llvm::StringRef renderingOf(TypeKind T);
  /// STAPC_KSTACK_MAP or STAPC_USTACK_MAP, created on first use.
  llvm::GlobalVariable *getStackMap(bool User);
  /// STAPC_USYM_MAP, STAPC_USYM_KEYS_MAP and the id counter, created on
  /// first use (CGSymbols.cpp).
  std::tuple<llvm::GlobalVariable *, llvm::GlobalVariable *,
             llvm::GlobalVariable *>
  getUserSymbolTables();
  unsigned addError(SMLoc Loc, llvm::StringRef Message);
  /// Register how the loader labels a HIST record's buckets; returns its id.
  unsigned addHistogram(const HistogramSpec &H);
  /// `long cb(u64 cpu, ctx)` for bpf_loop: adds CPU `cpu`'s bucket counts
  /// of statistic S into an array; ctx is {key pointer, array pointer}.
  llvm::Function *getHistSumCallback(const GlobalStorage &S);

  /// A string literal as a constant in .rodata (NUL-terminated).
  llvm::Constant *getStringConstant(llvm::StringRef S);

  /// Debug info helpers.
  llvm::DILocation *getDebugLoc(SMLoc Loc, llvm::DIScope *Scope);
  unsigned getLine(SMLoc Loc) const;
  llvm::DIType *getLongDI();
  llvm::DIType *getIntDI();
  llvm::DIType *getCharArrayDI(unsigned N);
  llvm::DIFile *getFile() const { return File; }
  llvm::DICompileUnit *getCompileUnit() const { return CU; }

  /// A BPF callback subprogram returning long, with debug info, an empty
  /// entry block and the given parameters (pointers or longs).
  struct CallbackParam {
    const char *Name;
    bool IsPointer;
  };
  llvm::Function *createCallback(llvm::StringRef Name,
                                 llvm::ArrayRef<CallbackParam> Params);
  /// A per-CPU array of Entries elements of ElementSize bytes, where a
  /// sorted foreach copies and sorts an array's elements.
  llvm::GlobalVariable *createForeachBuffer(llvm::StringRef Name,
                                            unsigned Entries,
                                            unsigned ElementSize);
  /// A hash map from a thread (pid_tgid) to the NumArgs arguments a
  /// kprobe saved at a function's entry for its kretprobe twin.
  llvm::GlobalVariable *createEntryArgsMap(llvm::StringRef Name,
                                           unsigned NumArgs);
  /// `long cb(map, key, value, ctx)` for bpf_for_each_map_elem that
  /// deletes each element it is given (for `delete array`).
  llvm::Function *getDeleteElementCallback();

  /// The compiled regular expression Pattern (Sema checked that it
  /// compiles), one per distinct pattern; see CGRegex.cpp.
  RegexCode &getRegex(llvm::StringRef Pattern);

  /// Debug types and CO-RE access chains for kernel BTF types (null when
  /// no BTF was given).
  BTFDIBuilder *getBTFDIBuilder();

  /// Bytes needed by the scratch area; probes report their need.
  void noteScratchUse(unsigned Bytes) {
    ScratchSize = std::max(ScratchSize, Bytes);
  }
  /// Scratch layout: a per-CPU busy flag at 0 (probes that interrupt a
  /// running probe on the same CPU are skipped, as stap does), the output
  /// record area at RecordBase, then string slots from getSlotBase().
  static constexpr unsigned RecordBase = 8;
  /// Offset where string slots start (after the record area).
  unsigned getSlotBase() const { return SlotBase; }
  unsigned getRecordMask() const { return RecordMask; }
  /// tokenize()'s state, which outlives probe hits (as stap's per-CPU
  /// context does): a position (-1: no string) then the string, at this
  /// offset before the string slots. Only there if a probe uses tokenize.
  unsigned getTokenizeBase() const { return TokenizeBase; }

  /// Size in bytes of a value of type T in storage.
  unsigned storageSize(TypeKind T) const {
    return T == TypeKind::String ? alignTo8(Opts.MaxStringLen) : 8;
  }
  static unsigned alignTo8(unsigned N) { return (N + 7) & ~7u; }

  /// Bytes of one CPU's statistic record: count, sum, min, max, sumsq;
  /// statistics with a histogram have their buckets after these.
  static constexpr unsigned StatsRecordSize = 40;
  /// Extractors visit CPUs 0..MaxCpus-1, stopping at the first one without
  /// a copy; on a machine with more CPUs they raise a runtime error rather
  /// than return a partial result.
  static constexpr unsigned MaxCpus = 256;

private:
  std::set<const char *> ReportedLocs;
  void emitRuntimeObjects();
  void emitGlobals();
  void emitStatsGlobal(GlobalDecl *G, GlobalStorage &S);
  unsigned layoutArrayKeys(GlobalDecl *G, GlobalStorage &S);
  void emitProbes();
  void emitMetadata();
  /// `global ...` lines for the written-but-never-read globals.
  void emitUnreadGlobalLines(llvm::raw_ostream &OS);
  void emitLicense();
  void finishScratchMap();
  void computeRecordArea();

  llvm::GlobalVariable *ProcfsInput = nullptr;
  llvm::GlobalVariable *createMap(llvm::StringRef Name, unsigned MapType,
                                  unsigned MaxEntries, llvm::DIType *KeyDI,
                                  llvm::DIType *ValueDI, unsigned KeySize,
                                  unsigned ValueSize);
  llvm::GlobalVariable *createDataVar(llvm::StringRef Name, llvm::Type *Ty,
                                      llvm::Constant *Init,
                                      llvm::StringRef Section,
                                      llvm::DIType *DI, bool IsConst);
  llvm::DIType *getArrayKeyDI(const GlobalStorage &S, llvm::StringRef Name);
  llvm::DIType *getSlotDI(const SlotLayout &L);

  llvm::LLVMContext &Ctx;
  const Program &Prog;
  DiagnosticEngine &Diags;
  const CodeGenOptions &Opts;
  std::unique_ptr<llvm::Module> M;
  std::unique_ptr<llvm::DIBuilder> DIB;
  llvm::DICompileUnit *CU = nullptr;
  llvm::DIFile *File = nullptr;
  llvm::DIType *LongDI = nullptr, *IntDI = nullptr, *CharDI = nullptr;
  std::vector<llvm::Metadata *> DIGlobals;
  std::vector<llvm::GlobalValue *> Used;

  llvm::GlobalVariable *RingBuf = nullptr, *Scratch = nullptr;
  llvm::GlobalVariable *Exiting = nullptr, *Dropped = nullptr;
  llvm::GlobalVariable *TargetPid = nullptr, *Skipped = nullptr;
  llvm::GlobalVariable *Errors = nullptr;
  llvm::GlobalVariable *KprobeTwins = nullptr;
  llvm::DenseMap<const VarDecl *, GlobalStorage> Globals;
  std::unique_ptr<BTFDIBuilder> BTFDI;
  llvm::Function *DeleteElementCallback = nullptr;
  llvm::StringMap<llvm::Constant *> Strings;
  llvm::StringMap<std::unique_ptr<RegexCode>> Regexes;

  std::vector<std::string> Formats;
  /// Per format: its `render` lines' "ARG KIND" words, ';'-separated.
  std::vector<std::string> FormatRenders;
  llvm::GlobalVariable *StackMaps[2] = {nullptr, nullptr};
  llvm::GlobalVariable *UserSymbolIds = nullptr, *UserSymbolKeys = nullptr,
                       *UserSymbolNext = nullptr;
  /// Set by emitUnreadGlobalLines when a global line has a render kind.
  bool UnreadGlobalsRender = false;
  std::vector<std::string> ErrorMessages;
  std::vector<std::string> ProbeLines;
  std::vector<std::string> HistLines;
  llvm::DenseMap<const VarDecl *, llvm::Function *> HistSumCallbacks;

  unsigned ScratchSize = 8;
  unsigned SlotBase = 0;
  unsigned RecordMask = 0;
  unsigned TokenizeBase = 0;

  friend class ProbeEmitter;
};

} // namespace stapc

#endif
