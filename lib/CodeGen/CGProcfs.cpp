//===- CGProcfs.cpp - procfs probes and their `$value` --------------------===//
//
// A procfs probe is a program the loader runs (BPF_PROG_TEST_RUN, like
// begin and end) when its file is read or written (docs/ObjectFormat.md).
// A read probe's `$value = s` / `$value .= s` (Sema made them calls) send
// the text as PROCFS_SET / PROCFS_APPEND records, so the file may be longer
// than a string; a write probe reads the written text from the one-element
// array map STAPC_PROCFS_INPUT_MAP, which the loader fills before the run.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

#include <cstdio>

using namespace stapc;
using namespace llvm;

void ProbeEmitter::describeProcfs(const ProbeInstance &P, StringRef FnName,
                                  const CodeGenOptions &Opts, StringRef QuotedPP,
                                  std::string &Section, std::string &Line) {
  const ProcfsSpec &F = P.Procfs;
  // Bare raw_tp, as begin/end: never auto-attached, run by the loader.
  Section = "raw_tp";
  // A write probe gets at most a string's worth of text per run (with its
  // NUL); a read probe's file holds at most MAXSIZE bytes, by default
  // STP_PROCFS_BUFSIZE (as in stap: MAXSTRINGLEN unless set with -D).
  uint64_t ReadSize = Opts.ProcfsBufSize ? Opts.ProcfsBufSize : Opts.MaxStringLen;
  uint64_t MaxSize = F.Write ? Opts.MaxStringLen - 1 : F.MaxSize ? F.MaxSize : ReadSize;
  // The mode in octal, as people write it.
  char Mode[8];
  snprintf(Mode, sizeof(Mode), "0%o", F.Mode);
  Line = ("probe " + FnName + " procfs " + (F.Write ? "write " : "read ") +
          Twine(F.Id) + " " + F.File + " " + Mode + " " + Twine(MaxSize) + " " +
          QuotedPP)
             .str();
}

GlobalVariable *CodeGenModule::getProcfsInputMap() {
  constexpr unsigned MapArray = 2; // BPF_MAP_TYPE_ARRAY
  if (!ProcfsInput)
    ProcfsInput = createMap(STAPC_PROCFS_INPUT_MAP, MapArray, 1, getIntDI(),
                            getCharArrayDI(Opts.MaxStringLen), 4,
                            Opts.MaxStringLen);
  return ProcfsInput;
}

Value *ProbeEmitter::emitProcfsValue(FunctionCall *E, BuiltinID ID) {
  bool Read = ID != BuiltinID::ProcfsValue;
  if (Probe.Kind != ProbeKind::Procfs || Probe.Procfs.Write == Read) {
    // Only Sema's desugaring of `$value` writes these calls.
    if (CGM.firstReportAt(E->getLoc()))
      CGM.getDiags().error(E->getLoc(), "'" + E->getName() +
                                            "' is internal to procfs " +
                                            (Read ? "read" : "write") +
                                            " probes; use '$value' there");
    return Read ? B.getInt64(0) : CGM.getStringConstant("");
  }
  if (Read) {
    Value *Text = emitExpr(E->getArgs()[0]);
    setLoc(E->getLoc());
    emitRecord(ID == BuiltinID::ProcfsSet ? STAPC_REC_PROCFS_SET
                                          : STAPC_REC_PROCFS_APPEND,
               Probe.Procfs.Id, {Text}, {TypeKind::String});
    return B.getInt64(0);
  }
  setLoc(E->getLoc());
  Value *Zero = B.createEntryAlloca(B.getInt32Ty(), "procfs.key");
  B.CreateStore(B.getInt32(0), Zero);
  Value *Elem = B.createMapLookup(CGM.getProcfsInputMap(), Zero);
  // The lookup of element 0 of an array cannot fail, but the verifier
  // wants the check.
  BasicBlock *From = B.GetInsertBlock();
  auto *Found = BasicBlock::Create(B.getContext(), "procfs.found", Fn);
  auto *Done = BasicBlock::Create(B.getContext(), "procfs.done", Fn);
  B.CreateCondBr(B.CreateIsNull(Elem), Done, Found);
  B.SetInsertPoint(Found);
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  PHINode *Text = B.CreatePHI(B.getPtrTy(), 2, "procfs.value");
  Text->addIncoming(CGM.getStringConstant(""), From);
  Text->addIncoming(Elem, Found);
  return Text;
}
