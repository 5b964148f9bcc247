/* A miniature "kernel" whose BTF stands in for /sys/kernel/btf/vmlinux in
 * tests, so that type lookup and CO-RE codegen never depend on the host.
 * Regenerate kernel-fixture.btf with utils/make-btf-fixture.sh.
 *
 * The shapes copy what matters from a real kernel: typedef'd integers,
 * anonymous nested structs/unions (struct folio), a bitfield, an enum, char
 * arrays, self-referencing pointers, and the `btf_trace_<event>` typedefs plus
 * `__probestub_<event>` functions (which carry the argument names) that the
 * kernel generates for every tracepoint. */

typedef _Bool bool;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int pid_t;
typedef int clockid_t;
typedef long long s64;
typedef s64 ktime_t;

struct list_head {
  struct list_head *next, *prev;
};

/* Reached only through a pointer: must stay a forward declaration in the
 * debug info that CO-RE codegen emits. */
struct mm_struct {
  unsigned long start_code, end_code;
  unsigned long total_vm;
};

enum task_state_bits {
  TASK_RUNNING = 0,
  TASK_INTERRUPTIBLE = 1,
  TASK_UNINTERRUPTIBLE = 2,
};

struct task_struct {
  volatile long __state;
  unsigned int flags;
  int prio;
  /* Bitfields, like sched_reset_on_fork & co. */
  unsigned sched_reset_on_fork : 1;
  unsigned sched_contributes_to_load : 1;
  unsigned in_execve : 1;
  unsigned int policy;
  struct mm_struct *mm;
  pid_t pid;
  pid_t tgid;
  struct task_struct *real_parent;
  struct task_struct *parent;
  struct list_head children;
  /* An anonymous union with an anonymous struct inside. */
  union {
    u64 utime;
    struct {
      u32 utime_lo;
      u32 utime_hi;
    };
  };
  char comm[16];
  enum task_state_bits last_state;
  u64 start_time;
};

struct rb_node {
  unsigned long __rb_parent_color;
  struct rb_node *rb_right;
  struct rb_node *rb_left;
};

struct timerqueue_node {
  struct rb_node node;
  ktime_t expires;
};

enum hrtimer_restart {
  HRTIMER_NORESTART,
  HRTIMER_RESTART,
};

enum hrtimer_mode {
  HRTIMER_MODE_ABS = 0x00,
  HRTIMER_MODE_REL = 0x01,
  HRTIMER_MODE_PINNED = 0x02,
  HRTIMER_MODE_SOFT = 0x04,
};

struct hrtimer_clock_base;

struct hrtimer {
  struct timerqueue_node node;
  ktime_t _softexpires;
  enum hrtimer_restart (*function)(struct hrtimer *);
  struct hrtimer_clock_base *base;
  u8 state;
  u8 is_rel;
  u8 is_soft;
  u8 is_hard;
};

struct address_space {
  struct inode *host;
  unsigned long nrpages;
};

struct page {
  unsigned long flags;
  struct address_space *mapping;
};

/* Like the kernel's struct folio: every useful member hides inside an
 * anonymous struct inside an anonymous union. */
struct folio {
  union {
    struct {
      unsigned long flags;
      struct list_head lru;
      struct address_space *mapping;
      unsigned long index;
    };
    struct page page;
  };
};

struct linux_binprm {
  const char *filename;
  const char *interp;
};

/* The kernel declares `typedef void (*btf_trace_<event>)(void *__data, ...)`
 * for every tracepoint, and (since 6.5) a `__probestub_<event>` function
 * whose prototype names the arguments. */
#define TRACEPOINT(name, ...)                                                  \
  typedef void (*btf_trace_##name)(void *, __VA_ARGS__);                       \
  __attribute__((noinline)) void __probestub_##name(void *__data, __VA_ARGS__) \
  {                                                                            \
  }                                                                            \
  btf_trace_##name __keep_##name = __probestub_##name;

TRACEPOINT(sched_switch, bool preempt, struct task_struct *prev,
           struct task_struct *next, unsigned int prev_state)
TRACEPOINT(sched_process_exec, struct task_struct *p, pid_t old_pid,
           struct linux_binprm *bprm)
TRACEPOINT(sched_process_exit, struct task_struct *p)
TRACEPOINT(mm_filemap_add_to_page_cache, struct folio *folio)
TRACEPOINT(hrtimer_setup, struct hrtimer *hrtimer, clockid_t clockid,
           enum hrtimer_mode mode)
TRACEPOINT(hrtimer_start, struct hrtimer *hrtimer, enum hrtimer_mode mode)

/* Pre-6.5 style tracepoints: only the typedef, no named stub. Kernels of
 * that age name the arguments only in `__bpf_trace_<class>`, the probe
 * function of the event class. hrtimer_init is its own class; the
 * sched_wakeup_template class serves sched_wakeup. */
typedef void (*btf_trace_hrtimer_init)(void *, struct hrtimer *, clockid_t,
                                       enum hrtimer_mode);
btf_trace_hrtimer_init __keep_hrtimer_init;
__attribute__((noinline)) void
__bpf_trace_hrtimer_init(void *__data, struct hrtimer *hrtimer,
                         clockid_t clockid, enum hrtimer_mode mode) {}
void *__keep_bpf_trace_hrtimer_init = __bpf_trace_hrtimer_init;

typedef void (*btf_trace_sched_wakeup)(void *, struct task_struct *);
btf_trace_sched_wakeup __keep_sched_wakeup;
__attribute__((noinline)) void
__bpf_trace_sched_wakeup_template(void *__data, struct task_struct *p) {}
void *__keep_bpf_trace_sched_wakeup = __bpf_trace_sched_wakeup_template;

/* No function names this one's arguments at all. */
typedef void (*btf_trace_sched_kthread_stop_ret)(void *, int);
btf_trace_sched_kthread_stop_ret __keep_sched_kthread_stop_ret;

/* Keep the remaining types alive in the BTF. */
struct task_struct *__keep_task;
struct hrtimer *__keep_hrtimer;
struct mm_struct *__keep_mm;

/* Kernel functions for kernel.function probes: their FUNC records give the
 * parameter names and types, the FUNC_PROTO's type the return type. */
typedef long long loff_t;
typedef unsigned long size_t;
typedef long ssize_t;
struct inode;
struct file {
  unsigned int f_flags;
  loff_t f_pos;
  struct inode *f_inode;
};
__attribute__((noinline)) ssize_t vfs_read(struct file *file, char *buf,
                                           size_t count, loff_t *pos)
{
  return (ssize_t)count;
}
__attribute__((noinline)) ssize_t vfs_write(struct file *file, const char *buf,
                                            size_t count, loff_t *pos)
{
  return (ssize_t)count;
}
__attribute__((noinline)) void schedule(void) {}
/* The BPF target cannot define functions of more than five arguments; an
 * extern declaration whose address is taken still gets a FUNC record. */
extern long seven_args(long a1, long a2, long a3, long a4, long a5, long a6,
                       long a7);
void *__keep_seven_args = seven_args;
