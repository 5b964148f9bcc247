//===- ProbeUser.cpp - process(...) probe points: uprobes and SDT markers --===//
//
// process("path").function("pattern")[.call|.return],
// process("path").library("lib").function(...), and
// process("path")[.library("lib")][.provider("p")].mark("name"): symbols,
// markers and DWARF come from the ELF files at compile time (UserBinary);
// each function or marker site is one uprobe instance.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/Sema/UserProbe.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <glob.h>

using namespace stapc;
using llvm::Twine;

namespace {

// x86-64 pt_regs offsets of the integer argument registers, in order.
constexpr int ArgRegs[] = {112 /*di*/, 104 /*si*/, 96 /*dx*/,
                           88 /*cx*/,  72 /*r8*/,  64 /*r9*/};

bool literal(const ProbePointComponent &C, StringRef &V) {
  if (auto *L = llvm::dyn_cast_or_null<StringLiteral>(C.Arg)) {
    V = L->getValue();
    return true;
  }
  return false;
}

std::string quoted(StringRef S) { return ("\"" + S + "\"").str(); }

class UserResolver {
public:
  UserResolver(SemaImpl &S, const ProbePoint &P, const ProbeInstance &Base)
      : S(S), P(P), Base(Base) {}
  bool run();

private:
  bool resolveIn(StringRef Path);
  const ProbePointComponent &comp(size_t I) const { return P.Components[I]; }
  SMLoc argLoc(size_t I) const {
    return comp(I).Arg ? comp(I).Arg->getLoc() : comp(I).Loc;
  }
  bool fail(SMLoc Loc, const Twine &Msg) {
    S.Diags.error(Loc, Msg);
    return false;
  }
  bool stringComponent(size_t I, StringRef &V);
  std::shared_ptr<UserBinary> openBinary(size_t I, std::string Path);
  std::string findLibrary(UserBinary &Exe, StringRef Lib);
  bool functions(size_t I);
  bool markers(size_t I, StringRef Provider);
  std::shared_ptr<UserProbe> newProbe(ProbeInstance &Inst, StringRef Name,
                                      uint64_t Address, uint64_t FileOffset);
  void add(ProbeInstance &Inst, std::shared_ptr<UserProbe> U);
  void placeParams(UserProbe &U, const std::vector<UserVariable> &Vars,
                   ProbeInstance &Inst);

  SemaImpl &S;
  const ProbePoint &P;
  const ProbeInstance &Base;
  std::shared_ptr<UserBinary> Binary;
  std::string PPPrefix; // process("...")[.library("...")]
};

} // namespace

bool UserResolver::stringComponent(size_t I, StringRef &V) {
  if (literal(comp(I), V))
    return true;
  return fail(comp(I).Loc, "'." + comp(I).Name + "' needs a string literal "
                           "argument: ." + comp(I).Name + "(\"...\")");
}

static bool hasGlob(StringRef Path) {
  return Path.find_first_of("*?[") != StringRef::npos;
}

/// The files a path pattern names (`/usr/lib*/ld-*.so`), sorted.
static std::vector<std::string> globFiles(StringRef Pattern) {
  std::vector<std::string> Files;
  glob_t G;
  if (::glob(Pattern.str().c_str(), 0, nullptr, &G) == 0)
    for (size_t I = 0; I < G.gl_pathc; ++I)
      Files.push_back(G.gl_pathv[I]);
  globfree(&G);
  return Files;
}

std::shared_ptr<UserBinary> UserResolver::openBinary(size_t I, std::string Path) {
  // stap looks a bare name up in $PATH.
  if (Path.find('/') == std::string::npos)
    if (auto Found = llvm::sys::findProgramByName(Path))
      Path = *Found;
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Path, Real))
    Path = std::string(Real);
  if (Path.find_first_of(" \t\n\"\\") != std::string::npos) {
    fail(argLoc(I), "semantic error: cannot probe '" + Path + "': stapc does "
                    "not support paths with spaces, quotes or backslashes");
    return nullptr;
  }
  std::string Err;
  std::shared_ptr<UserBinary> B;
  if (!S.Opts.Binaries)
    Err = "no ELF reader in this build";
  else
    B = S.Opts.Binaries->open(Path, Err);
  if (!B)
    fail(argLoc(I), "semantic error: cannot open '" + Path + "': " + Err);
  return B;
}

/// A library the executable needs whose name matches Lib (a glob, or a
/// path), in the usual library directories.
std::string UserResolver::findLibrary(UserBinary &Exe, StringRef Lib) {
  if (Lib.contains('/')) {
    if (!hasGlob(Lib))
      return Lib.str();
    std::vector<std::string> Files = globFiles(Lib);
    return Files.empty() ? "" : Files.front();
  }
  std::vector<std::string> Names;
  for (const std::string &N : Exe.neededLibraries())
    if (N == Lib || StringRef(N).starts_with((Lib + ".so").str()) ||
        StringRef(N).starts_with(("lib" + Lib + ".so").str()))
      Names.push_back(N);
  if (Names.empty())
    Names.push_back(Lib.str());
  static const char *Dirs[] = {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                               "/lib64", "/usr/lib64", "/lib", "/usr/lib",
                               "/usr/local/lib"};
  for (const std::string &N : Names)
    for (const char *D : Dirs) {
      std::string Path = std::string(D) + "/" + N;
      if (llvm::sys::fs::exists(Path))
        return Path;
    }
  return "";
}

bool UserResolver::run() {
  StringRef Path = S.Opts.TargetExecutable;
  if (!comp(0).Arg && Path.empty())
    return fail(comp(0).Loc, "semantic error: 'process' without a path probes "
                             "the -c CMD or -x PID target; give one, or name "
                             "the executable: process(\"/usr/bin/prog\")");
  if (comp(0).Arg && !stringComponent(0, Path))
    return false;
  bool Optional = P.Optional || P.Sufficient;
  // stap probes every file a path pattern matches.
  if (comp(0).Arg && hasGlob(Path)) {
    std::vector<std::string> Files = globFiles(Path);
    if (Files.empty())
      return Optional || fail(argLoc(0), "semantic error: no file matches '" +
                                             Path + "'");
    bool Ok = true;
    for (const std::string &F : Files)
      Ok &= resolveIn(F);
    return Ok;
  }
  // An optional point on a program this system does not have resolves to
  // nothing, as in stap.
  if (Optional && Path.contains('/') && !llvm::sys::fs::exists(Path))
    return true;
  return resolveIn(Path);
}

bool UserResolver::resolveIn(StringRef Path) {
  size_t N = P.Components.size();
  if (!(Binary = openBinary(0, Path.str())))
    return false;
  PPPrefix = "process(" + quoted(Binary->path()) + ")";
  size_t I = 1;
  if (I < N && comp(I).Name == "library") {
    StringRef Lib;
    if (!stringComponent(I, Lib))
      return false;
    std::string LibPath = findLibrary(*Binary, Lib);
    if (LibPath.empty())
      return fail(argLoc(I), "semantic error: library '" + Lib + "' of '" +
                                 Binary->path() + "' not found (name it by "
                                 "its path)");
    if (!(Binary = openBinary(I, LibPath)))
      return false;
    PPPrefix += ".library(" + quoted(Binary->path()) + ")";
    ++I;
  }
  StringRef Provider = "*";
  if (I < N && comp(I).Name == "provider") {
    if (!stringComponent(I, Provider))
      return false;
    ++I;
  }
  if (I < N && comp(I).Name == "mark")
    return markers(I, Provider);
  if (I < N && comp(I).Name == "function")
    return functions(I);
  if (I < N && (comp(I).Name == "statement" || comp(I).Name == "plt"))
    return fail(comp(I).Loc, "semantic error: process(...)." + comp(I).Name +
                                 " probes are not supported by stapc; probe a "
                                 "function's entry or .return, or an SDT "
                                 ".mark(...)");
  return fail(I < N ? comp(I).Loc : P.Loc,
              "semantic error: expected .function(\"name\") or .mark(\"name\") "
              "after " + PPPrefix);
}

void UserResolver::placeParams(UserProbe &U,
                               const std::vector<UserVariable> &Vars,
                               ProbeInstance &Inst) {
  unsigned IntRegs = 0, StackSlots = 0;
  std::string Lost; // a parameter passed in a way stapc does not model
  for (size_t K = 0; K < Vars.size(); ++K) {
    UserParam Par;
    Par.Name = Vars[K].Name.empty() ? "arg" + std::to_string(K + 1) : Vars[K].Name;
    Par.Type = Vars[K].Type;
    UserTypeInfo T = U.Binary->describe(Par.Type);
    bool Scalar = (T.Kind == UserTypeInfo::Integer ||
                   T.Kind == UserTypeInfo::Pointer) && T.Size && T.Size <= 8;
    if (T.Kind == UserTypeInfo::Float) {
      Par.Error = "is a floating-point value, passed in an SSE register that "
                  "uprobes cannot read";
    } else if (!Scalar) {
      Par.Error = "is passed by value (" + std::to_string(T.Size) +
                  " bytes); stapc reads integer and pointer parameters only";
      Lost = Par.Name;
    } else if (!Lost.empty()) {
      Par.Error = "follows '" + Lost + "', which is passed by value, so its "
                  "register is not known";
    } else if (IntRegs < std::size(ArgRegs)) {
      Par.RegOffset = ArgRegs[IntRegs++];
    } else {
      Par.StackSlot = ++StackSlots;
    }
    ContextArg A;
    A.Name = Par.Name;
    A.Index = K;
    A.TypeName = U.Binary->typeName(Par.Type);
    Inst.Args.push_back(std::move(A));
    U.Params.push_back(std::move(Par));
  }
}

std::shared_ptr<UserProbe> UserResolver::newProbe(ProbeInstance &Inst,
                                                  StringRef Name,
                                                  uint64_t Address,
                                                  uint64_t FileOffset) {
  Inst.Kind = ProbeKind::Uprobe;
  Inst.Function = Name.str();
  auto U = std::make_shared<UserProbe>();
  U->Binary = Binary;
  U->Path = Binary->path();
  U->Function = Name.str();
  U->Address = Address;
  U->FileOffset = FileOffset;
  return U;
}

/// Adds a uprobe instance. The kernel refuses two uprobes on one
/// instruction with different semaphores (ref_ctr_offset), as a function
/// entry and a marker placed on its first instruction would be: such
/// probes all get the marker's semaphore (it only makes the guarded
/// marker fire).
void UserResolver::add(ProbeInstance &Inst, std::shared_ptr<UserProbe> U) {
  for (ProbeInstance &Other : S.Prog.Probes) {
    UserProbe *O = Other.User.get();
    if (!O || O->Path != U->Path || O->FileOffset != U->FileOffset)
      continue;
    if (!O->SemaphoreOffset)
      O->SemaphoreOffset = U->SemaphoreOffset;
    if (!U->SemaphoreOffset)
      U->SemaphoreOffset = O->SemaphoreOffset;
  }
  Inst.User = std::move(U);
  S.Prog.Probes.push_back(std::move(Inst));
}

bool UserResolver::functions(size_t I) {
  StringRef Pattern;
  if (!stringComponent(I, Pattern))
    return false;
  if (Pattern.contains('@') || Pattern.contains(':'))
    return fail(argLoc(I), "semantic error: function patterns with a source "
                           "file or line ('" + Pattern + "') are not supported "
                           "by stapc; name the function only");
  bool Return = false;
  std::string Suffix;
  if (I + 1 < P.Components.size()) {
    StringRef Comp = comp(I + 1).Name;
    if (Comp == "statement" || Comp == "inline" || Comp == "label" ||
        Comp == "callee" || Comp == "callees" || Comp == "exported")
      return fail(comp(I + 1).Loc,
                  "semantic error: '." + Comp + "' user-space probes are not "
                  "supported by stapc; probe the function's entry or .return "
                  "(or an SDT .mark(...) placed in the source)");
    if (I + 2 != P.Components.size() || (Comp != "return" && Comp != "call"))
      return fail(comp(I + 1).Loc, "semantic error: unknown component '." +
                                       Comp + "' after function(...); "
                                       "expected .call or .return");
    Return = Comp == "return";
    Suffix = "." + Comp.str();
  }
  std::vector<UserBinary::Function> Fns = Binary->findFunctions(Pattern);
  if (Fns.empty()) {
    if (P.Optional || P.Sufficient)
      return true;
    return fail(argLoc(I), "semantic error: no function matches '" + Pattern +
                               "' in '" + Binary->path() +
                               "' (its symbol table has none by that name)");
  }
  constexpr size_t MaxFunctions = 512;
  if (Fns.size() > MaxFunctions)
    return fail(argLoc(I), "'" + Pattern + "' matches " +
                               Twine(Fns.size()) + " functions; stapc attaches "
                               "one uprobe per function, at most " +
                               Twine(MaxFunctions) + ": narrow the pattern");
  for (const UserBinary::Function &F : Fns) {
    ProbeInstance Inst = Base;
    Inst.Return = Return;
    Inst.PP = PPPrefix + ".function(" + quoted(F.Name) + ")" + Suffix;
    auto U = newProbe(Inst, F.Name, F.Address, F.FileOffset);
    U->Return = Return;
    std::vector<UserVariable> Vars;
    U->HasDebugInfo = Binary->getParams(F, Vars, U->ReturnType);
    placeParams(*U, Vars, Inst);
    if (Return && U->ReturnType) {
      ContextArg R;
      R.Name = "return";
      R.Index = Vars.size();
      R.TypeName = Binary->typeName(U->ReturnType);
      Inst.Args.push_back(std::move(R));
    }
    add(Inst, std::move(U));
  }
  return true;
}

bool UserResolver::markers(size_t I, StringRef Provider) {
  StringRef Pattern;
  if (!stringComponent(I, Pattern))
    return false;
  if (I + 1 != P.Components.size())
    return fail(comp(I + 1).Loc, "semantic error: nothing may follow "
                                 ".mark(...)");
  // dtrace spells `__` in a marker name as `-`; stap accepts both.
  std::string Name;
  for (char C : Pattern)
    Name += C == '-' ? std::string("__") : std::string(1, C);
  std::vector<UserBinary::Marker> Sites = Binary->findMarkers(Provider, Name);
  if (Sites.empty()) {
    if (P.Optional || P.Sufficient)
      return true;
    return fail(argLoc(I), "semantic error: no SDT marker matches '" +
                               Pattern + "' in '" + Binary->path() +
                               "' (see `stapc -L '" + PPPrefix +
                               ".mark(\"*\")'`)");
  }
  auto Lookup = [&](StringRef Sym, uint64_t &Addr) {
    UserTypeId Ignored;
    return Binary->findGlobal(Sym, Addr, Ignored);
  };
  for (const UserBinary::Marker &M : Sites) {
    ProbeInstance Inst = Base;
    Inst.PP = PPPrefix + (Provider == "*" ? "" : ".provider(" + quoted(Provider) + ")") +
              ".mark(" + quoted(M.Name) + ")";
    auto U = newProbe(Inst, M.Name, M.Address, M.FileOffset);
    U->Provider = M.Provider;
    U->SemaphoreOffset = M.SemaphoreOffset;
    U->IsMarker = true;
    llvm::SmallVector<StringRef, 8> Specs;
    StringRef(M.Args).split(Specs, ' ', -1, /*KeepEmpty=*/false);
    for (StringRef Spec : Specs) {
      U->MarkerArgs.push_back(parseUsdtArg(Spec, Lookup));
      ContextArg A;
      A.Name = "arg" + std::to_string(U->MarkerArgs.size());
      A.Index = U->MarkerArgs.size() - 1;
      A.TypeName = "long";
      Inst.Args.push_back(std::move(A));
    }
    add(Inst, std::move(U));
  }
  return true;
}

bool SemaImpl::isUserProbePoint(const ProbePoint &P) {
  if (P.Components.empty() || P.Components[0].Name != "process")
    return false;
  for (const ProbePointComponent &C : P.Components)
    if (C.Name == "function" || C.Name == "mark" || C.Name == "library" ||
        C.Name == "provider" || C.Name == "statement" || C.Name == "plt")
      return true;
  return false;
}

bool SemaImpl::resolveUserProbe(const ProbePoint &P, const ProbeInstance &Base) {
  return UserResolver(*this, P, Base).run();
}
