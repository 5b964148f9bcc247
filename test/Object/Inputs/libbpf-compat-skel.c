// A plain libbpf program around `bpftool gen skeleton` output for a stapc
// object (compiled with `-include <skel.h>`; the skeleton is named
// stapc_probe). It opens, loads and attaches the object the way any libbpf
// tool would, which is what "a standard libbpf object" has to mean.
#include <bpf/libbpf.h>
#include <stdio.h>

int main(void) {
  struct stapc_probe *Skel = stapc_probe__open();
  if (!Skel) {
    perror("skel: open");
    return 1;
  }
  // The skeleton exposes the runtime's maps and globals by name; using them
  // here makes the compile fail if bpftool could not type them.
  printf("skel: opened, ring buffer map %s, exiting=%d\n",
         bpf_map__name(Skel->maps.stapc_events), Skel->bss->stapc_exiting);
  int Err = stapc_probe__load(Skel);
  if (Err) {
    fprintf(stderr, "skel: load failed: %d\n", Err);
    stapc_probe__destroy(Skel);
    return 1;
  }
  // Attach what libbpf knows how to attach by itself (tp_btf/...); SEC("raw_tp")
  // and SEC("perf_event") programs are left for the caller, as libbpf
  // documents, so the links of those stay NULL.
  Err = stapc_probe__attach(Skel);
  if (Err) {
    fprintf(stderr, "skel: attach failed: %d\n", Err);
    stapc_probe__destroy(Skel);
    return 1;
  }
  const struct bpf_object_skeleton *S = Skel->skeleton;
  for (int I = 0; I < S->prog_cnt; ++I) {
    const struct bpf_program *Prog = *S->progs[I].prog;
    printf("skel: loaded %s (%s) fd=%s %s\n", bpf_program__name(Prog),
           bpf_program__section_name(Prog),
           bpf_program__fd(Prog) > 0 ? "ok" : "bad",
           *S->progs[I].link ? "attached" : "not-attached");
  }
  stapc_probe__destroy(Skel);
  printf("skel: destroyed\n");
  return 0;
}
