//===- Trampolines.cpp - Choose fentry/fexit or kprobes per session -------===//
#include "Trampolines.h"
#include "Globals.h"
#include "stapc/Object/RecordFormat.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <linux/bpf.h>
#include <memory>
#include <unistd.h>

namespace stapc::runtime {

namespace {
struct BtfFreer {
  void operator()(btf *B) const { btf__free(B); }
};
using BtfPtr = std::unique_ptr<btf, BtfFreer>;

/// The kernel function a trampoline program attaches to: its section is
/// "fentry/NAME" or "fexit/NAME".
std::string attachedFunction(const bpf_program *Prog) {
  const char *Sec = bpf_program__section_name(Prog);
  const char *Slash = std::strchr(Sec, '/');
  return Slash ? Slash + 1 : "";
}

/// Where a kernel function's BTF FUNC record is: vmlinux's BTF, or a
/// loaded module's (split BTF; ModuleFd is that BTF object's fd, which an
/// fentry program on it names in attach_btf_obj_fd).
struct KernelFunctionBTF {
  int TypeId = -1;
  unsigned Arity = 0;
  int ModuleFd = -1;
  KernelFunctionBTF() = default;
  KernelFunctionBTF(const KernelFunctionBTF &) = delete;
  KernelFunctionBTF &operator=(const KernelFunctionBTF &) = delete;
  ~KernelFunctionBTF() {
    if (ModuleFd >= 0)
      close(ModuleFd);
  }
  bool found() const { return TypeId > 0; }
};

bool findIn(const btf *B, const std::string &Function, KernelFunctionBTF &Out) {
  int Id = btf__find_by_name_kind(B, Function.c_str(), BTF_KIND_FUNC);
  if (Id < 0)
    return false;
  const btf_type *Fn = btf__type_by_id(B, Id);
  const btf_type *Proto = Fn ? btf__type_by_id(B, Fn->type) : nullptr;
  Out.TypeId = Id;
  Out.Arity = Proto ? btf_vlen(Proto) : 0;
  return true;
}

/// Looks for Function in vmlinux, then in each loaded module's BTF (the
/// kernel's BTF objects with a name other than vmlinux), as libbpf does
/// when it loads an fentry program.
void findKernelFunctionBTF(const btf *Vmlinux, const std::string &Function,
                           KernelFunctionBTF &Out) {
  if (findIn(Vmlinux, Function, Out))
    return;
  for (__u32 Id = 0; bpf_btf_get_next_id(Id, &Id) == 0;) {
    int Fd = bpf_btf_get_fd_by_id(Id);
    if (Fd < 0)
      continue;
    char Name[64] = {};
    bpf_btf_info Info;
    std::memset(&Info, 0, sizeof(Info));
    Info.name = reinterpret_cast<__u64>(Name);
    Info.name_len = sizeof(Name);
    __u32 Len = sizeof(Info);
    bool IsModule = bpf_obj_get_info_by_fd(Fd, &Info, &Len) == 0 &&
                    Info.kernel_btf && std::strcmp(Name, "vmlinux") != 0;
    BtfPtr Split(IsModule ? btf__load_from_kernel_by_id_split(Id, const_cast<btf *>(Vmlinux))
                          : nullptr);
    if (Split && findIn(Split.get(), Function, Out)) {
      Out.ModuleFd = Fd;
      return;
    }
    close(Fd);
  }
}

/// Loads `r0 = 0; exit` as an fentry program on Function and attaches it
/// for a moment. Fails on kernels without trampolines (or, as on some
/// hardened kernels, where tracing programs are refused).
bool trampolineAttaches(const btf *Vmlinux, const std::string &Function, std::string &Why) {
  KernelFunctionBTF Target;
  findKernelFunctionBTF(Vmlinux, Function, Target);
  if (!Target.found()) {
    Why = "'" + Function + "' is not in the BTF of the kernel or of a loaded module";
    return false;
  }
  bpf_insn Insns[2];
  std::memset(Insns, 0, sizeof(Insns));
  Insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K; // r0 = 0
  Insns[1].code = BPF_JMP | BPF_EXIT;
  bpf_prog_load_opts Opts;
  std::memset(&Opts, 0, sizeof(Opts));
  Opts.sz = sizeof(Opts);
  Opts.expected_attach_type = BPF_TRACE_FENTRY;
  Opts.attach_btf_id = static_cast<__u32>(Target.TypeId);
  if (Target.ModuleFd >= 0)
    Opts.attach_btf_obj_fd = static_cast<__u32>(Target.ModuleFd);
  int Prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "stapc_fentry_ok", "GPL", Insns, 2, &Opts);
  if (Prog < 0) {
    Why = std::string("loading an fentry program failed: ") + std::strerror(errno);
    return false;
  }
  int Link = bpf_raw_tracepoint_open(nullptr, Prog);
  int E = errno;
  close(Prog);
  if (Link < 0) {
    Why = std::string("attaching an fentry program failed: ") + std::strerror(E);
    return false;
  }
  close(Link);
  return true;
}

/// The number of parameters of a kernel function, from BTF; 0 if unknown.
unsigned arity(const btf *Vmlinux, const std::string &Function) {
  KernelFunctionBTF Target;
  findKernelFunctionBTF(Vmlinux, Function, Target);
  return Target.Arity;
}

bool setAutoload(bpf_object *Obj, const std::string &Name, bool On, unsigned Line,
                 std::string &Err) {
  bpf_program *Prog = bpf_object__find_program_by_name(Obj, Name.c_str());
  if (!Prog) {
    Err = "metadata line " + std::to_string(Line) + " names BPF program '" + Name +
          "', which the object lacks";
    return false;
  }
  bpf_program__set_autoload(Prog, On);
  return true;
}
} // namespace

bool KernelFunctionChoice::isKprobe(const std::string &Program) const {
  for (const std::string &P : KprobePrograms)
    if (P == Program)
      return true;
  return false;
}

bool chooseKernelFunctionPrograms(bpf_object *Obj, ObjectMeta &Meta, bool ForceKprobes,
                                  int Verbosity, KernelFunctionChoice &Choice,
                                  std::string &Err) {
  if (Meta.Alternatives.empty())
    return true;
  BtfPtr Vmlinux(ForceKprobes ? nullptr : btf__load_vmlinux_btf());
  bool Trampolines = false;
  std::string Why = ForceKprobes ? "--kprobes was given" : "the kernel has no BTF";
  if (Vmlinux) {
    const AlternativeDecl &First = Meta.Alternatives.front();
    bpf_program *Prog = bpf_object__find_program_by_name(Obj, First.Trampoline.c_str());
    if (Prog)
      Trampolines = trampolineAttaches(Vmlinux.get(), attachedFunction(Prog), Why);
  }
  if (!Trampolines)
    Choice.NoTrampolines = Why;
  if (Verbosity > 0)
    std::fprintf(stderr, "stapc-run: kernel.function probes use %s%s%s\n",
                 Trampolines ? "fentry/fexit" : "kprobes", Trampolines ? "" : ": ",
                 Trampolines ? "" : Why.c_str());

  std::vector<ProbeDecl> EntrySavers;
  for (const AlternativeDecl &A : Meta.Alternatives) {
    ProbeDecl *Main = nullptr;
    for (ProbeDecl &P : Meta.Probes)
      if (P.Program == A.Trampoline)
        Main = &P;
    bpf_program *Prog = bpf_object__find_program_by_name(Obj, A.Trampoline.c_str());
    if (!Main || !Prog) {
      Err = "metadata line " + std::to_string(A.Line) + " names BPF program '" +
            A.Trampoline + "', which the object or its probe lines lack";
      return false;
    }
    bool UseKprobe = !Trampolines || arity(Vmlinux.get(), attachedFunction(Prog)) > 6;
    if (!setAutoload(Obj, A.Trampoline, !UseKprobe, A.Line, Err) ||
        !setAutoload(Obj, A.Kprobe, UseKprobe, A.Line, Err) ||
        (!A.KprobeEntry.empty() &&
         !setAutoload(Obj, A.KprobeEntry, UseKprobe, A.Line, Err)))
      return false;
    if (!UseKprobe)
      continue;
    Main->Program = A.Kprobe;
    Choice.KprobePrograms.push_back(A.Kprobe);
    if (!A.KprobeEntry.empty()) {
      ProbeDecl Entry = *Main;
      Entry.Program = A.KprobeEntry;
      Choice.KprobePrograms.push_back(A.KprobeEntry);
      EntrySavers.push_back(std::move(Entry));
    }
  }
  if (!Choice.KprobePrograms.empty() &&
      !setRodataInteger(Obj, STAPC_KPROBE_TWINS_VAR, 1, Err))
    return false;
  // Entry savers attach first, so a return is never seen without its entry
  // while the session starts.
  Meta.Probes.insert(Meta.Probes.begin(), EntrySavers.begin(), EntrySavers.end());
  return true;
}

} // namespace stapc::runtime
