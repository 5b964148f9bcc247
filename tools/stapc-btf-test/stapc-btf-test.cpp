//===- stapc-btf-test.cpp - Drive lib/BTF from lit tests ------------------===//
//
// A test-only tool: it exposes the BTF layer's queries on the command line
// and compiles CO-RE accesses to a BPF object so tests can check the
// relocations with llvm-objdump/bpftool.
//
//   stapc-btf-test --btf F type NAME...          describe types
//   stapc-btf-test --btf F member TYPE NAME...   member access paths
//   stapc-btf-test --btf F trace PATTERN...      tracepoint prototypes
//   stapc-btf-test tracefs [ROOT]                count tracefs events
//   stapc-btf-test --btf F core TYPE ACCESS... [-emit-llvm] [-o OUT]
//     ACCESS is `a.b[3].c`: by-value member/array steps from TYPE.
//
//===----------------------------------------------------------------------===//

#include "stapc/BTF/BTFDIBuilder.h"
#include "stapc/BTF/KernelBTF.h"
#include "stapc/BTF/Tracepoints.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace stapc;

static cl::opt<std::string> BTFPath("btf", cl::desc("BTF file (default: running kernel)"),
                                    cl::init(""));
// Used by CoreCommand.cpp.
cl::opt<std::string> OutputPath("o", cl::desc("Output object file"),
                                cl::init("-"));
cl::opt<bool> EmitLLVM("emit-llvm",
                       cl::desc("core: print the IR before optimization"));
static cl::list<std::string> Args(cl::Positional, cl::desc("<command> args..."));

static int fail(const Twine &Msg) {
  errs() << "stapc-btf-test: error: " << Msg << "\n";
  return 1;
}

static const char *kindName(BTFTypeKind K) {
  switch (K) {
  case BTFTypeKind::Void: return "void";
  case BTFTypeKind::Integer: return "integer";
  case BTFTypeKind::Bool: return "bool";
  case BTFTypeKind::Enum: return "enum";
  case BTFTypeKind::Pointer: return "pointer";
  case BTFTypeKind::Array: return "array";
  case BTFTypeKind::Struct: return "struct";
  case BTFTypeKind::Union: return "union";
  case BTFTypeKind::Function: return "function";
  case BTFTypeKind::Float: return "float";
  case BTFTypeKind::Unknown: return "unknown";
  }
  return "?";
}

static int cmdType(const KernelBTF &K, ArrayRef<std::string> Names) {
  int RC = 0;
  for (const std::string &Name : Names) {
    Expected<uint32_t> Id = K.findType(Name);
    if (!Id) {
      errs() << "error: " << toString(Id.takeError()) << "\n";
      RC = 1;
      continue;
    }
    TypeInfo TI = K.describe(*Id);
    outs() << Name << ": '" << K.typeName(*Id) << "' kind=" << kindName(TI.Kind)
           << " size=" << TI.Size << " signed=" << TI.IsSigned
           << " intlike=" << K.isIntegerLike(*Id)
           << " string=" << K.isStringLike(*Id)
           << " aggregate=" << K.isAggregate(*Id);
    if (TI.Kind == BTFTypeKind::Array)
      outs() << " elem='" << K.typeName(TI.ElementId) << "' count=" << TI.Count;
    if (TI.Kind == BTFTypeKind::Pointer)
      outs() << " pointee='" << K.typeName(TI.PointeeId) << "'";
    outs() << "\n";
  }
  return RC;
}

static int cmdMember(const KernelBTF &K, ArrayRef<std::string> A) {
  if (A.empty())
    return fail("member: expected TYPE NAME...");
  Expected<uint32_t> Id = K.findType(A[0]);
  if (!Id)
    return fail(toString(Id.takeError()));
  int RC = 0;
  for (const std::string &Name : A.drop_front()) {
    Expected<MemberPath> P = K.findMember(*Id, Name);
    if (!P) {
      errs() << "error: " << toString(P.takeError()) << "\n";
      RC = 1;
      continue;
    }
    outs() << Name << ": '" << K.typeName(P->fieldTypeId())
           << "' bit_offset=" << P->totalBitOffset();
    if (P->isBitfield())
      outs() << " bitfield=" << P->Steps.back().BitfieldSize;
    outs() << " path=";
    for (const MemberStep &S : P->Steps)
      outs() << (S.ParentIsUnion ? "u" : "s") << S.MemberIndex << ":"
             << (S.Name.empty() ? "(anon)" : S.Name) << " ";
    outs() << "\n";
  }
  return RC;
}

static int cmdTrace(const KernelBTF &K, ArrayRef<std::string> Patterns) {
  int RC = 0;
  for (const std::string &Pattern : Patterns) {
    auto [System, Name] = splitTracepointPattern(Pattern);
    Expected<std::vector<std::string>> Names = matchTracepoints(K, Name);
    if (!Names) {
      errs() << "error: " << toString(Names.takeError()) << "\n";
      RC = 1;
      continue;
    }
    if (Names->empty()) {
      outs() << Pattern << ": no match\n";
      RC = 1;
    }
    for (const std::string &N : *Names) {
      Expected<TracepointProto> TP = findTracepoint(K, N);
      if (!TP) {
        errs() << "error: " << toString(TP.takeError()) << "\n";
        RC = 1;
        continue;
      }
      outs() << TP->Name << "(";
      for (size_t I = 0; I < TP->Args.size(); ++I)
        outs() << (I ? ", " : "") << K.typeName(TP->Args[I].TypeId) << " "
               << (TP->Args[I].Name.empty() ? "?" : TP->Args[I].Name);
      outs() << ")\n";
    }
  }
  return RC;
}

static int cmdTracefs(ArrayRef<std::string> A) {
  auto Events = listTracefsEvents(A.empty() ? "" : A[0]);
  if (!Events)
    return fail("tracefs not available");
  outs() << "events: " << Events->size() << "\n";
  for (const TracefsEvent &E : *Events)
    if (E.System == "sched" && E.Name == "sched_switch")
      outs() << "found sched:sched_switch\n";
  return 0;
}

int runCore(const KernelBTF &K, ArrayRef<std::string> A);

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "stapc BTF layer test driver\n");
  if (Args.empty())
    return fail("expected a command: type, member, trace, tracefs, core");
  std::vector<std::string> A(Args.begin(), Args.end());
  StringRef Cmd = A[0];
  ArrayRef<std::string> Rest = ArrayRef(A).drop_front();
  if (Cmd == "tracefs")
    return cmdTracefs(Rest);
  Expected<std::unique_ptr<KernelBTF>> K = KernelBTF::open(BTFPath);
  if (!K)
    return fail(toString(K.takeError()));
  if (Cmd == "type")
    return cmdType(**K, Rest);
  if (Cmd == "member")
    return cmdMember(**K, Rest);
  if (Cmd == "trace")
    return cmdTrace(**K, Rest);
  if (Cmd == "core")
    return runCore(**K, Rest);
  return fail("unknown command '" + Cmd + "'");
}
