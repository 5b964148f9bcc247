//===- CodeGenModule.cpp - Maps, globals, metadata and the probe loop -----===//
#include "CodeGenModule.h"

#include "BPFIRBuilder.h"
#include "CGRegex.h"
#include "ProbeEmitter.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/BTF/BTFDIBuilder.h"
#include "stapc/Object/RecordFormat.h"
#include "stapc/Sema/Builtins.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace stapc;
using namespace llvm;

namespace {
// BPF map types used here (include/uapi/linux/bpf.h).
enum : unsigned {
  MapHash = 1,
  MapPerCpuHash = 5,
  MapPerCpuArray = 6,
  MapLruHash = 9,
  MapLruPerCpuHash = 10,
  MapRingBuf = 27,
};
} // namespace

CodeGenModule::CodeGenModule(LLVMContext &C, const Program &Prog,
                             DiagnosticEngine &Diags, const CodeGenOptions &Opts)
    : Ctx(C), Prog(Prog), Diags(Diags), Opts(Opts) {}

CodeGenModule::~CodeGenModule() = default;

BTFDIBuilder *CodeGenModule::getBTFDIBuilder() {
  if (!BTFDI && Opts.BTF)
    BTFDI = std::make_unique<BTFDIBuilder>(*Opts.BTF, *M, *DIB, File);
  return BTFDI.get();
}

//===----------------------------------------------------------------------===//
// Debug info
//===----------------------------------------------------------------------===//

unsigned CodeGenModule::getLine(SMLoc Loc) const {
  if (!Loc.isValid())
    return 0;
  llvm::SourceMgr &SM = Diags.getSourceMgr();
  return SM.getLineAndColumn(Loc).first;
}

DILocation *CodeGenModule::getDebugLoc(SMLoc Loc, DIScope *Scope) {
  if (!Loc.isValid())
    return DILocation::get(Ctx, 0, 0, Scope);
  auto [Line, Col] = Diags.getSourceMgr().getLineAndColumn(Loc);
  return DILocation::get(Ctx, Line, Col, Scope);
}

DIType *CodeGenModule::getLongDI() {
  if (!LongDI)
    LongDI = DIB->createBasicType("long", 64, dwarf::DW_ATE_signed);
  return LongDI;
}

DIType *CodeGenModule::getIntDI() {
  if (!IntDI)
    IntDI = DIB->createBasicType("int", 32, dwarf::DW_ATE_signed);
  return IntDI;
}

DIType *CodeGenModule::getCharArrayDI(unsigned N) {
  if (!CharDI)
    CharDI = DIB->createBasicType("char", 8, dwarf::DW_ATE_signed_char);
  Metadata *Sub = DIB->getOrCreateSubrange(0, N);
  return DIB->createArrayType(N * 8, 8, CharDI, DIB->getOrCreateArray(Sub));
}

DIType *CodeGenModule::getSlotDI(const SlotLayout &L) {
  return L.Ty == TypeKind::String ? getCharArrayDI(L.Size) : getLongDI();
}

//===----------------------------------------------------------------------===//
// Maps and data variables
//===----------------------------------------------------------------------===//

/// A BTF-defined map: a global struct in ".maps" whose debug type carries
/// the map's parameters as `int (*type)[TYPE]`, `int (*max_entries)[N]`,
/// `K *key`, `V *value` -- the shape libbpf reads.
GlobalVariable *CodeGenModule::createMap(StringRef Name, unsigned MapType,
                                         unsigned MaxEntries, DIType *KeyDI,
                                         DIType *ValueDI, unsigned KeySize,
                                         unsigned ValueSize) {
  SmallVector<Type *, 4> Fields;
  SmallVector<Metadata *, 4> Members;
  uint64_t Offset = 0;
  auto AddMember = [&](StringRef MemberName, DIType *Pointee) {
    DIType *Ptr = DIB->createPointerType(Pointee, 64);
    Members.push_back(DIB->createMemberType(CU, MemberName, File, 0, 64, 0,
                                            Offset, DINode::FlagZero, Ptr));
    Fields.push_back(PointerType::get(Ctx, 0));
    Offset += 64;
  };
  auto IntArray = [&](unsigned N) {
    Metadata *Sub = DIB->getOrCreateSubrange(0, N);
    return DIB->createArrayType(uint64_t(N) * 32, 32, getIntDI(),
                                DIB->getOrCreateArray(Sub));
  };
  AddMember("type", IntArray(MapType));
  AddMember("max_entries", IntArray(MaxEntries));
  if (KeyDI)
    AddMember("key", KeyDI);
  if (ValueDI)
    AddMember("value", ValueDI);

  auto *STy = StructType::get(Ctx, Fields);
  auto *GV = new GlobalVariable(*M, STy, false, GlobalValue::ExternalLinkage,
                                Constant::getNullValue(STy), Name);
  GV->setSection(".maps");
  GV->setAlignment(Align(8));
  DICompositeType *DITy = DIB->createStructType(
      CU, "", File, 0, Offset, 64, DINode::FlagZero, nullptr,
      DIB->getOrCreateArray(Members));
  auto *DIGV = DIB->createGlobalVariableExpression(CU, Name, Name, File, 0,
                                                   DITy, false);
  GV->addDebugInfo(DIGV);
  DIGlobals.push_back(DIGV);
  Used.push_back(GV);
  (void)KeySize;
  (void)ValueSize;
  return GV;
}

GlobalVariable *CodeGenModule::createDataVar(StringRef Name, Type *Ty,
                                             Constant *Init, StringRef Section,
                                             DIType *DI, bool IsConst) {
  auto *GV = new GlobalVariable(*M, Ty, IsConst, GlobalValue::ExternalLinkage,
                                Init, Name);
  GV->setSection(Section);
  GV->setAlignment(Align(8));
  if (IsConst) {
    // Keep loads: the loader rewrites .rodata before load.
    DI = DIB->createQualifiedType(dwarf::DW_TAG_const_type,
                                  DIB->createQualifiedType(
                                      dwarf::DW_TAG_volatile_type, DI));
  }
  auto *DIGV = DIB->createGlobalVariableExpression(CU, Name, Name, File, 0, DI,
                                                   false);
  GV->addDebugInfo(DIGV);
  DIGlobals.push_back(DIGV);
  return GV;
}

Constant *CodeGenModule::getStringConstant(StringRef S) {
  auto It = Strings.find(S);
  if (It != Strings.end())
    return It->second;
  // NUL-terminated, then zero-padded to 8 bytes and 8-aligned: string
  // comparison reads whole words.
  std::string Bytes = S.str();
  Bytes.resize(alignTo8(S.size() + 1), '\0');
  Constant *Init = ConstantDataArray::getString(Ctx, Bytes, /*AddNull=*/false);
  auto *GV = new GlobalVariable(*M, Init->getType(), true,
                                GlobalValue::PrivateLinkage, Init, ".str");
  GV->setAlignment(Align(8));
  // Plain .rodata: the backend would otherwise pick mergeable sections
  // (.rodata.str1.1, .rodata.cst8) that each become a separate map.
  GV->setSection(".rodata");
  Strings[S] = GV;
  return GV;
}

void CodeGenModule::emitRuntimeObjects() {
  RingBuf = createMap(STAPC_RINGBUF_MAP, MapRingBuf, Opts.RingBufferSize,
                      nullptr, nullptr, 0, 0);
  // The scratch map's value size is known only after the probes are
  // emitted; its debug type is completed in finishScratchMap().
  auto *STy = StructType::get(Ctx, {PointerType::get(Ctx, 0),
                                    PointerType::get(Ctx, 0),
                                    PointerType::get(Ctx, 0),
                                    PointerType::get(Ctx, 0)});
  Scratch = new GlobalVariable(*M, STy, false, GlobalValue::ExternalLinkage,
                               Constant::getNullValue(STy), "stapc_scratch");
  Scratch->setSection(".maps");
  Scratch->setAlignment(Align(8));
  Used.push_back(Scratch);

  Exiting = createDataVar(STAPC_EXITING_VAR, Type::getInt32Ty(Ctx),
                          ConstantInt::get(Type::getInt32Ty(Ctx), 0), ".bss",
                          getIntDI(), false);
  Dropped = createDataVar(STAPC_DROPPED_VAR, Type::getInt64Ty(Ctx),
                          ConstantInt::get(Type::getInt64Ty(Ctx), 0), ".bss",
                          getLongDI(), false);
  Skipped = createDataVar(STAPC_SKIPPED_VAR, Type::getInt64Ty(Ctx),
                          ConstantInt::get(Type::getInt64Ty(Ctx), 0), ".bss",
                          getLongDI(), false);
  Errors = createDataVar(STAPC_ERRORS_VAR, Type::getInt64Ty(Ctx),
                         ConstantInt::get(Type::getInt64Ty(Ctx), 0), ".bss",
                         getLongDI(), false);
  TargetPid = createDataVar(STAPC_TARGET_PID_VAR, Type::getInt64Ty(Ctx),
                            ConstantInt::get(Type::getInt64Ty(Ctx), 0),
                            ".rodata", getLongDI(), true);
}

GlobalVariable *CodeGenModule::getKprobeTwinsVar() {
  if (!KprobeTwins)
    KprobeTwins = createDataVar(STAPC_KPROBE_TWINS_VAR, Type::getInt32Ty(Ctx),
                                ConstantInt::get(Type::getInt32Ty(Ctx), 0),
                                ".rodata", getIntDI(), true);
  return KprobeTwins;
}

GlobalVariable *CodeGenModule::getLoaderLongVar(StringRef Name) {
  if (GlobalVariable *G = M->getNamedGlobal(Name))
    return G;
  return createDataVar(Name, Type::getInt64Ty(Ctx),
                       ConstantInt::get(Type::getInt64Ty(Ctx), 0), ".rodata",
                       getLongDI(), true);
}

void CodeGenModule::finishScratchMap() {
  unsigned Size = alignTo8(ScratchSize);
  // Re-create the map definition with the final value type and move the
  // uses over, so the DI type describes the real value size.
  GlobalVariable *Old = Scratch;
  Old->setName("stapc_scratch.old");
  Scratch = createMap("stapc_scratch", MapPerCpuArray, 1, getIntDI(),
                      getCharArrayDI(Size), 4, Size);
  Old->replaceAllUsesWith(Scratch);
  llvm::erase(Used, Old);
  Old->eraseFromParent();
}

const GlobalStorage &CodeGenModule::getGlobal(const VarDecl *V) const {
  auto It = Globals.find(V);
  assert(It != Globals.end() && "global without storage");
  return It->second;
}

DIType *CodeGenModule::getArrayKeyDI(const GlobalStorage &S, StringRef Name) {
  if (S.Keys.size() == 1)
    return getSlotDI(S.Keys[0]);
  SmallVector<Metadata *, 9> Members;
  for (size_t I = 0; I < S.Keys.size(); ++I) {
    const SlotLayout &K = S.Keys[I];
    Members.push_back(DIB->createMemberType(
        CU, "k" + utostr(I + 1), File, 0, K.Size * 8, 0, K.Offset * 8,
        DINode::FlagZero, getSlotDI(K)));
  }
  return DIB->createStructType(CU, (Name + "_key").str(), File, 0,
                               S.KeySize * 8, 64, DINode::FlagZero, nullptr,
                               DIB->getOrCreateArray(Members));
}

/// Lay out an array's key columns back to back; returns its capacity
/// (the declared size, or MAXMAPENTRIES).
unsigned CodeGenModule::layoutArrayKeys(GlobalDecl *G, GlobalStorage &S) {
  S.IsArray = true;
  unsigned Off = 0;
  for (TypeKind K : G->getVar().KeyTypes) {
    S.Keys.push_back({K, Off, storageSize(K)});
    Off += storageSize(K);
  }
  S.KeySize = Off;
  S.MaxEntries = G->HasSize ? unsigned(G->Size) : Opts.MaxMapEntries;
  return S.MaxEntries;
}

/// A statistic is one per-CPU record {count, sum, min, max, sumsq}, plus
/// its bucket counts if it is used with a histogram: `<<<` updates this
/// CPU's copy without atomics, extractors combine the copies. Scalars use a
/// one-entry per-CPU array, statistic arrays a per-CPU hash.
void CodeGenModule::emitStatsGlobal(GlobalDecl *G, GlobalStorage &S) {
  const VarDecl &V = G->getVar();
  std::string Name = ("g_" + G->getName()).str();
  S.IsStats = true;
  auto H = Prog.Histograms.find(&V);
  S.Hist = H == Prog.Histograms.end() ? nullptr : &H->second;
  unsigned Buckets = S.Hist ? S.Hist->Buckets : 0;
  unsigned Size = StatsRecordSize + 8 * Buckets;
  S.Value = {TypeKind::Stats, 0, Size};
  SmallVector<Metadata *, 6> Members;
  const char *Fields[] = {"count", "sum", "min", "max", "sumsq"};
  for (unsigned I = 0; I < 5; ++I)
    Members.push_back(DIB->createMemberType(CU, Fields[I], File, 0, 64, 64,
                                            I * 64, DINode::FlagZero,
                                            getLongDI()));
  if (Buckets) {
    Metadata *Sub = DIB->getOrCreateSubrange(0, Buckets);
    DIType *Arr = DIB->createArrayType(Buckets * 64, 64, getLongDI(),
                                       DIB->getOrCreateArray(Sub));
    Members.push_back(DIB->createMemberType(CU, "buckets", File, 0,
                                            Buckets * 64, 64,
                                            StatsRecordSize * 8,
                                            DINode::FlagZero, Arr));
  }
  std::string TypeName =
      Buckets ? "stapc_stat_hist" + std::to_string(Buckets) : "stapc_stat";
  DIType *ValueDI = DIB->createStructType(
      CU, TypeName, File, 0, Size * 8, 64, DINode::FlagZero, nullptr,
      DIB->getOrCreateArray(Members));
  if (V.Arity > 0) {
    unsigned Entries = layoutArrayKeys(G, S);
    // Wrap-around arrays (`s%`) let the kernel replace old elements.
    S.IsWrap = G->Wrap;
    S.GV = createMap(Name, G->Wrap ? MapLruPerCpuHash : MapPerCpuHash,
                     Entries, getArrayKeyDI(S, Name),
                     ValueDI, S.KeySize, Size);
  } else {
    S.GV = createMap(Name, MapPerCpuArray, 1, getIntDI(), ValueDI, 4, Size);
  }
}

void CodeGenModule::emitGlobals() {
  for (GlobalDecl *G : Prog.Globals) {
    const VarDecl &V = G->getVar();
    if (V.Arity < 0)
      continue; // declared but never used
    GlobalStorage S;
    S.Var = &V;
    S.Value = {V.Ty, 0, storageSize(V.Ty)};
    std::string Name = ("g_" + G->getName()).str();
    if (V.Ty == TypeKind::Stats) {
      emitStatsGlobal(G, S);
      Globals[&V] = std::move(S);
      continue;
    }
    if (V.Arity > 0) {
      unsigned Entries = layoutArrayKeys(G, S);
      // Wrap-around arrays (`a%`): when full, the kernel's LRU hash
      // replaces the least recently used element instead of failing.
      S.IsWrap = G->Wrap;
      S.GV = createMap(Name, G->Wrap ? MapLruHash : MapHash, Entries,
                       getArrayKeyDI(S, Name),
                       getSlotDI(S.Value), S.KeySize, S.Value.Size);
    } else {
      Type *Ty = V.Ty == TypeKind::String
                     ? (Type *)ArrayType::get(Type::getInt8Ty(Ctx), S.Value.Size)
                     : (Type *)Type::getInt64Ty(Ctx);
      Constant *Init = Constant::getNullValue(Ty);
      bool NonZero = false;
      if (auto *L = dyn_cast_or_null<IntegerLiteral>(G->Init)) {
        Init = ConstantInt::get(Ty, L->getValue(), true);
        NonZero = L->getValue() != 0;
      } else if (auto *U = dyn_cast_or_null<UnaryExpr>(G->Init)) {
        if (auto *L = dyn_cast<IntegerLiteral>(U->getOperand())) {
          Init = ConstantInt::get(Ty, -L->getValue(), true);
          NonZero = L->getValue() != 0;
        }
      } else if (auto *SL = dyn_cast_or_null<StringLiteral>(G->Init)) {
        std::string Bytes = SL->getValue().take_front(S.Value.Size - 1).str();
        Bytes.resize(S.Value.Size, '\0');
        Init = ConstantDataArray::getString(Ctx, Bytes, false);
        NonZero = !SL->getValue().empty();
      }
      S.GV = createDataVar(Name, Ty, Init, NonZero ? ".data" : ".bss",
                           getSlotDI(S.Value), false);
    }
    Globals[&V] = std::move(S);
  }
}

//===----------------------------------------------------------------------===//
// Metadata (.stapc.meta)
//===----------------------------------------------------------------------===//

static std::string quote(StringRef S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    switch (C) {
    case '\n': Out += "\\n"; break;
    case '\t': Out += "\\t"; break;
    case '\\': Out += "\\\\"; break;
    case '"': Out += "\\\""; break;
    default:
      if (C < 0x20 || C >= 0x7f) {
        char Buf[8];
        snprintf(Buf, sizeof(Buf), "\\%03o", C);
        Out += Buf;
      } else {
        Out += char(C);
      }
    }
  }
  return Out + "\"";
}

/// The id of S in Table, adding it if new: code compiled twice (a function
/// inlined at two calls, a probe's kprobe twin) shares its entries.
static unsigned internString(std::vector<std::string> &Table, std::string S) {
  auto It = llvm::find(Table, S);
  if (It != Table.end())
    return It - Table.begin();
  Table.push_back(std::move(S));
  return Table.size() - 1;
}

unsigned CodeGenModule::addFormat(StringRef Fmt,
                                  ArrayRef<FormatRender> Renders) {
  std::string RenderWords;
  for (const FormatRender &R : Renders)
    RenderWords += std::to_string(R.Arg) + " " + R.Kind.str() + ";";
  for (size_t I = 0; I < Formats.size(); ++I)
    if (Formats[I] == Fmt && FormatRenders[I] == RenderWords)
      return I;
  Formats.push_back(Fmt.str());
  FormatRenders.push_back(std::move(RenderWords));
  return Formats.size() - 1;
}

unsigned CodeGenModule::addError(SMLoc Loc, StringRef Message) {
  // The message is a printf format filled from the record's payload, so a
  // '%' in the location text must not be read as a conversion.
  std::string Where;
  for (char C : Diags.formatLocation(Loc)) {
    Where += C;
    if (C == '%')
      Where += '%';
  }
  return internString(ErrorMessages, (Message + " at " + Where).str());
}

unsigned CodeGenModule::addHistogram(const HistogramSpec &H) {
  std::string Line = "hist " + std::to_string(HistLines.size()) +
                     (H.Linear ? " linear " : " log ") +
                     std::to_string(Opts.HistElision);
  if (H.Linear)
    Line += " " + std::to_string(H.Low) + " " + std::to_string(H.High) + " " +
            std::to_string(H.Width);
  HistLines.push_back(std::move(Line));
  return HistLines.size() - 1;
}

void CodeGenModule::emitMetadata() {
  std::string Text;
  raw_string_ostream OS(Text);
  std::string GlobalLines;
  raw_string_ostream GOS(GlobalLines);
  emitUnreadGlobalLines(GOS);
  GOS.flush();
  // Version 2 only for objects that need it (render kinds), so that older
  // loaders still run the rest.
  bool Renders = llvm::any_of(FormatRenders,
                              [](const std::string &R) { return !R.empty(); }) ||
                 UnreadGlobalsRender;
  OS << "stapc-meta "
     << (Renders ? STAPC_FORMAT_VERSION : STAPC_FORMAT_VERSION_MIN) << "\n";
  for (const std::string &L : ProbeLines)
    OS << L << "\n";
  for (size_t I = 0; I < Formats.size(); ++I)
    OS << "format " << I << " " << quote(Formats[I]) << "\n";
  for (size_t I = 0; I < Formats.size(); ++I)
    for (StringRef Words : split(FormatRenders[I], ';'))
      if (!Words.empty())
        OS << "render " << I << " " << Words << "\n";
  for (size_t I = 0; I < ErrorMessages.size(); ++I)
    OS << "error " << I << " " << quote(ErrorMessages[I]) << "\n";
  for (const std::string &L : HistLines)
    OS << L << "\n";
  if (Opts.MaxErrors)
    OS << "maxerrors " << Opts.MaxErrors << "\n";
  OS << GlobalLines;
  OS.flush();
  Constant *Init = ConstantDataArray::getString(Ctx, Text, true);
  auto *GV = new GlobalVariable(*M, Init->getType(), true,
                                GlobalValue::ExternalLinkage, Init,
                                "stapc_meta");
  GV->setSection(STAPC_META_SECTION);
  GV->setAlignment(Align(1));
  Used.push_back(GV);
}

Function *CodeGenModule::createCallback(StringRef Name,
                                       ArrayRef<CallbackParam> Params) {
  SmallVector<Type *, 4> Types;
  SmallVector<Metadata *, 5> DITypes = {getLongDI()};
  DIType *VoidPtr = DIB->createPointerType(nullptr, 64);
  for (const CallbackParam &P : Params) {
    Types.push_back(P.IsPointer ? (Type *)PointerType::get(Ctx, 0)
                                : Type::getInt64Ty(Ctx));
    DITypes.push_back(P.IsPointer ? VoidPtr : getLongDI());
  }
  auto *FT = FunctionType::get(Type::getInt64Ty(Ctx), Types, false);
  Function *F = Function::Create(FT, GlobalValue::InternalLinkage, Name, *M);
  F->addFnAttr(Attribute::NoInline);
  F->addFnAttr(Attribute::NoUnwind);
  // A callback is a BPF subprogram: it needs BTF func info with named
  // parameters like every other function.
  auto *SubTy = DIB->createSubroutineType(DIB->getOrCreateTypeArray(DITypes));
  DISubprogram *SP = DIB->createFunction(
      File, F->getName(), F->getName(), File, 0, SubTy, 0,
      DINode::FlagPrototyped,
      DISubprogram::SPFlagDefinition | DISubprogram::SPFlagLocalToUnit);
  for (unsigned I = 0; I < Params.size(); ++I)
    DIB->createParameterVariable(SP, Params[I].Name, I + 1, File, 0,
                                 cast<DIType>(DITypes[I + 1]), true);
  F->setSubprogram(SP);
  BasicBlock::Create(Ctx, "entry", F);
  return F;
}

GlobalVariable *CodeGenModule::createForeachBuffer(StringRef Name,
                                                  unsigned Entries,
                                                  unsigned ElementSize) {
  // The twins of a kernel.function probe (fentry and kprobe variants, only
  // one of which is loaded) share their buffers.
  if (GlobalVariable *Existing = M->getNamedGlobal(Name))
    return Existing;
  return createMap(Name, MapPerCpuArray, Entries, getIntDI(),
                   getCharArrayDI(ElementSize), 4, ElementSize);
}

GlobalVariable *CodeGenModule::createEntryArgsMap(StringRef Name,
                                                 unsigned NumArgs) {
  // Threads inside the function at once; more are counted as skipped.
  constexpr unsigned MaxThreads = 4096;
  return createMap(Name, MapHash, MaxThreads, getLongDI(),
                   getCharArrayDI(8 * NumArgs), 8, 8 * NumArgs);
}

Function *CodeGenModule::getDeleteElementCallback() {
  if (DeleteElementCallback)
    return DeleteElementCallback;
  Function *F = createCallback("stapc_delete_element",
                               {{"map", true}, {"key", true}, {"value", true},
                                {"ctx", true}});
  BPFIRBuilder B(Ctx);
  B.SetInsertPoint(&F->getEntryBlock());
  B.SetCurrentDebugLocation(DILocation::get(Ctx, 0, 0, F->getSubprogram()));
  B.createMapDelete(F->getArg(0), F->getArg(1));
  B.CreateRet(B.getInt64(0)); // 0: go on with the next element
  DeleteElementCallback = F;
  return F;
}

void CodeGenModule::emitLicense() {
  Constant *Init = ConstantDataArray::getString(Ctx, "GPL", true);
  auto *GV = new GlobalVariable(*M, Init->getType(), false,
                                GlobalValue::ExternalLinkage, Init, "LICENSE");
  GV->setSection("license");
  GV->setAlignment(Align(1));
  Used.push_back(GV);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

namespace {
/// Finds the largest output record any print call can build.
class RecordSizeScan : public RecursiveVisitor<RecordSizeScan> {
public:
  explicit RecordSizeScan(unsigned StrBytes) : StrBytes(StrBytes) {}
  unsigned Max = 8;
  bool UsesTokenize = false;
  void visitFunctionCall(FunctionCall *E) {
    RecursiveVisitor::visitFunctionCall(E);
    const BuiltinInfo *B = E->getCallee() ? nullptr : lookupBuiltin(E->getName());
    if (B && B->ID == BuiltinID::Tokenize)
      UsesTokenize = true;
    // Every builtin that sends a record with arguments: the print family,
    // log(msg) and error(msg). (sprintf is counted too; harmless.)
    if (!B || !(B->Variadic || B->ID == BuiltinID::Log ||
                B->ID == BuiltinID::Error))
      return;
    unsigned Size = 8;
    for (Expr *A : E->getArgs()) {
      // A histogram travels as its own record of bucket counts.
      auto *S = dyn_cast<StatExtractExpr>(A);
      if (S && (S->getStatKind() == StatKind::HistLog ||
                S->getStatKind() == StatKind::HistLinear))
        Max = std::max(Max, 8u + 8 * STAPC_HIST_MAX_BUCKETS);
      Size += A->getType() == TypeKind::String ? StrBytes : 8;
    }
    Max = std::max(Max, Size);
  }

private:
  unsigned StrBytes;
};
} // namespace

void CodeGenModule::computeRecordArea() {
  // Records are built at the start of the scratch area. String arguments
  // land at data-dependent offsets, masked with RecordMask so that the
  // verifier can bound them; the largest possible record decides the mask.
  unsigned StrBytes = alignTo8(4 + Opts.MaxStringLen);
  RecordSizeScan Scan(StrBytes);
  for (const ProbeInstance &P : Prog.Probes)
    Scan.traverse(P.Body);
  for (FunctionDecl *F : Prog.Functions)
    Scan.traverse(F->Body);
  // +1: a full record's end offset must survive the mask.
  RecordMask = unsigned(PowerOf2Ceil(Scan.Max + 1)) - 1;
  // Layout: [busy flag][record area][string slots]. A string written at the
  // largest masked record offset still fits before the slots.
  SlotBase = RecordBase + RecordMask + 1 + StrBytes;
  if (Scan.UsesTokenize) {
    // Position, then the string; byte offsets into it are masked.
    TokenizeBase = SlotBase;
    SlotBase += 8 + alignTo8(unsigned(PowerOf2Ceil(Opts.MaxStringLen)));
  }
  noteScratchUse(SlotBase);
}

std::unique_ptr<Module> CodeGenModule::run() {
  M = std::make_unique<Module>("stapc", Ctx);
  M->setTargetTriple("bpf");
  M->setDataLayout(bpfDataLayout());
  M->addModuleFlag(Module::Warning, "Dwarf Version", 5);
  M->addModuleFlag(Module::Warning, "Debug Info Version",
                   DEBUG_METADATA_VERSION);
  DIB = std::make_unique<DIBuilder>(*M);
  StringRef Dir = "";
  std::optional<StringRef> Source;
  if (!Opts.SourceText.empty())
    Source = Opts.SourceText;
  File = DIB->createFile(Opts.SourceName, Dir, std::nullopt, Source);
  CU = DIB->createCompileUnit(dwarf::DW_LANG_C11, File, "stapc", true, "", 0);

  computeRecordArea();
  emitRuntimeObjects();
  emitGlobals();
  if (Diags.hasErrors())
    return nullptr;
  emitProbes();
  if (Diags.hasErrors())
    return nullptr;
  finishScratchMap();
  emitMetadata();
  emitLicense();

  // Keep the maps and sections alive through optimisation.
  SmallVector<Constant *, 16> UsedC(Used.begin(), Used.end());
  auto *ATy = ArrayType::get(PointerType::get(Ctx, 0), UsedC.size());
  auto *UsedGV = new GlobalVariable(*M, ATy, false,
                                    GlobalValue::AppendingLinkage,
                                    ConstantArray::get(ATy, UsedC),
                                    "llvm.compiler.used");
  UsedGV->setSection("llvm.metadata");

  DIB->finalize();
  std::string Err;
  raw_string_ostream ES(Err);
  if (verifyModule(*M, &ES)) {
    Diags.error("internal error: generated IR is invalid: " + ES.str());
    return nullptr;
  }
  return std::move(M);
}

std::unique_ptr<Module> stapc::generateModule(LLVMContext &LLVMCtx,
                                              const Program &Prog,
                                              DiagnosticEngine &Diags,
                                              const CodeGenOptions &Opts) {
  return CodeGenModule(LLVMCtx, Prog, Diags, Opts).run();
}
