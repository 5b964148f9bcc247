/* The BTF of a miniature kernel module, "ovl_fixture", split on top of
 * kernel-fixture.btf (utils/make-btf-fixture.sh writes it as ovl_fixture):
 * a module type, and module functions taking module and vmlinux types.
 * struct file repeats kernel-fixture.c's so that dedup maps it to the base. */
typedef long long loff_t;
typedef unsigned long size_t;
typedef long ssize_t;
struct inode;
struct file {
  unsigned int f_flags;
  loff_t f_pos;
  struct inode *f_inode;
};
struct ovl_fixture_layer {
  int idx;
  unsigned long flags;
  struct file *realfile;
};
__attribute__((noinline)) ssize_t ovl_fixture_read(struct file *file,
                                                   struct ovl_fixture_layer *layer,
                                                   size_t count)
{
  return (ssize_t)count + layer->idx;
}
__attribute__((noinline)) int ovl_fixture_open(struct ovl_fixture_layer *layer)
{
  return layer->idx;
}
