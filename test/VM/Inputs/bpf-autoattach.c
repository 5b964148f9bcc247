// bpf-autoattach OBJ PINDIR: loads every program of a BPF object, attaches
// each one by its section name (kprobe/, fentry/, tracepoint/, ...) and pins
// the links under PINDIR/links and the maps under PINDIR/maps, so the probes
// stay active after this process exits and `bpftool map dump pinned` can read
// the maps.
//
// Why not bpftool: Debian 12's bpftool (7.1) predates `prog loadall ...
// autoattach`; this does the same with plain libbpf so test/VM can check a
// kernel-function probe end to end with tools we control.
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int fail(const char *what, const char *name, int err) {
  fprintf(stderr, "bpf-autoattach: %s %s: %s\n", what, name, strerror(-err));
  return 1;
}

static int attach_and_pin_all(struct bpf_object *obj, const char *links_dir) {
  struct bpf_program *prog;
  char path[4096];
  bpf_object__for_each_program(prog, obj) {
    const char *name = bpf_program__name(prog);
    struct bpf_link *link = bpf_program__attach(prog);
    long err = libbpf_get_error(link);
    if (err)
      return fail("cannot attach", name, (int)err);
    snprintf(path, sizeof(path), "%s/%s", links_dir, name);
    err = bpf_link__pin(link, path);
    if (err)
      return fail("cannot pin link", path, (int)err);
    printf("attached %s (%s)\n", name, bpf_program__section_name(prog));
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bpf-autoattach OBJ PINDIR\n");
    return 2;
  }
  char links_dir[4096], maps_dir[4096];
  snprintf(links_dir, sizeof(links_dir), "%s/links", argv[2]);
  snprintf(maps_dir, sizeof(maps_dir), "%s/maps", argv[2]);
  mkdir(argv[2], 0700);
  mkdir(links_dir, 0700);

  struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
  long err = libbpf_get_error(obj);
  if (err)
    return fail("cannot open", argv[1], (int)err);
  err = bpf_object__load(obj);
  if (err)
    return fail("cannot load", argv[1], (int)err);
  err = bpf_object__pin_maps(obj, maps_dir);
  if (err)
    return fail("cannot pin maps in", maps_dir, (int)err);
  return attach_and_pin_all(obj, links_dir);
}
