//===- Compilation.cpp ----------------------------------------------------===//
#include "stapc/Driver/Compilation.h"

#include "BTFKernelTypes.h"

#include <set>

#include "stapc/Parse/Parser.h"
#include "stapc/Sema/Sema.h"
#include "stapc/Sema/Syscalls.h"
#include "stapc/UserDebug/ElfUserBinaries.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <chrono>

using namespace stapc;

Compilation::Compilation(CompilerOptions O)
    : Opts(std::move(O)), Diags(SM, Opts.DiagStream ? *Opts.DiagStream : llvm::errs()) {}
Compilation::~Compilation() = default;

template <typename Fn> bool Compilation::timed(const char *Name, Fn &&F) {
  auto Start = std::chrono::steady_clock::now();
  bool Ok = F();
  if (Opts.Verbose) {
    double Ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - Start)
                    .count();
    llvm::errs() << llvm::format("stapc: %-10s %8.2f ms%s\n", Name, Ms,
                                 Ok ? "" : " (failed)");
  }
  return Ok;
}

bool Compilation::elaborate() {
  if (!timed("tapsets", [&] { return parseTapsets(); }))
    return false;
  return timed("elaborate", [&] {
    Types = std::make_unique<BTFKernelTypes>(Opts.BTFPath);
    SemaOptions SO;
    SO.Types = Types.get();
    Binaries = std::make_unique<ElfUserBinaries>();
    SO.Binaries = Binaries.get();
    SO.TargetExecutable = Opts.TargetExecutable;
    bool Ok = stapc::elaborate(Ctx, Diags, SO, Prog);
    std::string BTFError = Types->takeError();
    if (!Ok && !BTFError.empty())
      Diags.note(llvm::SMLoc(), "kernel BTF could not be read: " + BTFError);
    return Ok;
  });
}

std::vector<std::string> Compilation::listProbePoints(bool WithVariables) {
  std::set<std::string> Lines;
  for (const ProbeInstance &P : Prog.Probes) {
    if (P.Kind == ProbeKind::Syscall && P.ListName.empty()) {
      std::vector<std::string> Syscalls; // one line per syscall
      syscalls::listLines(P, WithVariables, Syscalls);
      Lines.insert(Syscalls.begin(), Syscalls.end());
      continue;
    }
    std::string Line = P.ListName.empty() ? P.PP : P.ListName;
    if (WithVariables) {
      std::vector<std::string> Vars;
      for (const VarDecl *V : P.Locals)
        if (!V->getName().starts_with("__")) // hidden compiler locals
          Vars.push_back((V->getName() + ":" + spelling(V->Ty)).str());
      llvm::sort(Vars);
      for (const std::string &V : Vars)
        Line += " " + V;
      for (const ContextArg &A : P.Args)
        Line += " $" + A.Name + ":" +
                (!A.TypeName.empty() ? A.TypeName
                 : Types             ? Types->typeName(A.BTFType)
                                     : "long");
    }
    Lines.insert(std::move(Line));
  }
  return {Lines.begin(), Lines.end()};
}

bool Compilation::generateIR() {
  return timed("codegen", [&] {
    CodeGenOptions CG = Opts.CodeGen;
    CG.SourceName = Opts.HaveScriptText ? "<input>" : Opts.ScriptFile;
    const ScriptFile &User = Ctx.Files.front();
    CG.SourceText = SM.getMemoryBuffer(User.BufferID)->getBuffer().str();
    CG.BTF = Types ? Types->get() : nullptr;
    Module = generateModule(LLVMCtx, Prog, Diags, CG);
    return Module && !Diags.hasErrors();
  });
}

bool Compilation::emit(llvm::raw_pwrite_stream &OS, OutputKind Kind) {
  return timed("object", [&] {
    if (llvm::Error E = emitBPF(*Module, OS, Kind)) {
      Diags.error("cannot emit the BPF object: " + llvm::toString(std::move(E)));
      return false;
    }
    return true;
  });
}

/// The directories of one tapset root that stap searches: the root itself
/// and its `linux/` subdirectory (the kernel runtime's library, whose
/// semantics stapc implements), then for .stp files the arch directory.
static std::vector<std::string> searchDirs(llvm::StringRef Root,
                                           llvm::StringRef Arch,
                                           bool WithArch) {
  std::vector<std::string> Dirs = {Root.str(), (Root + "/linux").str()};
  if (WithArch)
    Dirs.push_back((Root + "/" + Arch).str());
  return Dirs;
}

/// Every file with extension Ext directly in one of Dirs, each directory's
/// files sorted so that the order is reproducible.
static void collectFiles(llvm::ArrayRef<std::string> Dirs, llvm::StringRef Ext,
                         std::vector<std::string> &Out) {
  for (const std::string &Dir : Dirs) {
    std::error_code EC;
    std::vector<std::string> Found;
    for (llvm::sys::fs::directory_iterator I(Dir, EC), E; I != E && !EC;
         I.increment(EC))
      if (llvm::sys::path::extension(I->path()) == Ext)
        Found.push_back(I->path());
    llvm::sort(Found);
    llvm::append_range(Out, Found);
  }
}

std::vector<std::string> Compilation::tapsetDirs() const {
  std::vector<std::string> Dirs = Opts.TapsetDirs;
  if (!Opts.NoDefaultTapsets && !Opts.DefaultTapsetDir.empty())
    Dirs.push_back(Opts.DefaultTapsetDir);
  return Dirs;
}

bool Compilation::loadMacroLibraries(Preprocessor &PP) {
  // Read the .stpm files once; every preprocessor (one per parsed file)
  // gets the same library macros.
  if (!MacroBuffersLoaded) {
    MacroBuffersLoaded = true;
    std::vector<std::string> Files;
    for (const std::string &D : tapsetDirs())
      collectFiles(searchDirs(D, Opts.PP.Arch, false), ".stpm", Files);
    for (const std::string &F : Files) {
      auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/true);
      if (!Buf) {
        Diags.error("cannot read macro library '" + F +
                    "': " + Buf.getError().message());
        continue;
      }
      MacroBuffers.push_back(SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc()));
    }
  }
  for (unsigned ID : MacroBuffers)
    PP.loadLibraryMacros(ID);
  return !Diags.hasErrors();
}

bool Compilation::parseTapsets() {
  std::vector<std::string> Files;
  for (const std::string &D : tapsetDirs())
    collectFiles(searchDirs(D, Opts.PP.Arch, true), ".stp", Files);
  for (const std::string &F : Files) {
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/true);
    if (!Buf) {
      Diags.error("cannot read tapset '" + F + "': " + Buf.getError().message());
      continue;
    }
    unsigned ID = SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc());
    Preprocessor PP(SM, Diags, Ctx, Opts.PP);
    loadMacroLibraries(PP);
    PP.enterMainBuffer(ID);
    Ctx.Files.push_back(parseScript(PP, Ctx, Diags, Ctx.save(F), ID, true));
  }
  return !Diags.hasErrors();
}

bool Compilation::parse() {
  return timed("parse", [&] { return parseImpl(); });
}

bool Compilation::parseImpl() {
  std::unique_ptr<llvm::MemoryBuffer> Buf;
  std::string Name;
  if (Opts.HaveScriptText) {
    Name = "<input>";
    Buf = llvm::MemoryBuffer::getMemBufferCopy(Opts.ScriptText, Name);
  } else {
    Name = Opts.ScriptFile;
    auto B = Opts.ScriptFile == "-" ? llvm::MemoryBuffer::getSTDIN()
                                    : llvm::MemoryBuffer::getFile(Name, true);
    if (!B) {
      Diags.error("cannot open script '" + Name + "': " + B.getError().message());
      return false;
    }
    Buf = std::move(*B);
  }

  Preprocessor PP(SM, Diags, Ctx, Opts.PP);
  loadMacroLibraries(PP);
  unsigned ID = SM.AddNewSourceBuffer(std::move(Buf), llvm::SMLoc());
  PP.enterMainBuffer(ID);
  Ctx.Files.insert(Ctx.Files.begin(),
                   parseScript(PP, Ctx, Diags, Ctx.save(Name), ID, false));
  return !Diags.hasErrors();
}
