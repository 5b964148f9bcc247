#!/usr/bin/env python3
"""genscript.py - a grammar-aware generator of valid SystemTap scripts.

    utils/fuzz/genscript.py SEED [-o FILE]

Writes one script, a pure function of SEED (Python's random.Random), that
uses the language broadly: scalar globals with and without initial values,
arrays with long and string keys (one to three), wrap-around arrays,
statistics and statistic arrays with every extractor, @hist_log and
@hist_linear (printed, read by bucket, walked with foreach), printf with
widths and flags, sprintf, string operators and the string builtins,
regular expressions with matched(), while/for/foreach (sorted, limit, value
variables, slices), break/continue/next, try/catch, error, user functions
(typed, calling earlier functions), and begin/end/timer/sched_switch
probes. Every script is meant to be accepted by stapc: types are consistent,
names are declared before use, an array is never modified inside a foreach
over it (also not through a function), break/continue appear only in loops,
`next` only in probes, `return` only in functions.

Kept small enough for the verifier's limits: expression depth, statement
depth and counts are bounded (see Limits).

utils/fuzz/verify-generated.py drives it: compile each script with stapc
and load every accepted object into the kernel (stapc-run --load-only).
"""
import argparse
import random
import sys

LONG, STR, STAT = "long", "string", "stat"


class Limits:
    expr_depth = 3
    stmt_depth = 3
    block_len = 4
    functions = 3
    probes = 4
    # Statistic extractors (@count..@avg) and histogram bucket reads add up
    # every CPU's copy in an open-coded loop of up to 256 iterations, which
    # the verifier walks once per iteration: in a large probe that exceeds
    # its 1M-instruction budget (bench/RESULTS.md, "Generated scripts").
    # --no-cpu-walks leaves them out until that is fixed.
    cpu_walks = True


REGEXES = [
    "^a", "b$", "[0-9]+", "^[a-z]+[0-9]*$", "(ab|cd)+", "x?y*z", "^$", "[[:alpha:]]",
    "a.c", "(foo)(bar)?", "[^ ]+ [^ ]+", "^(sw|ki|rc)", "e{1,3}", "\\.",
]
WORDS = ["", "a", "abc", "stap", "hello world", "0x1f", "42", "-7", "x y z", "tab\\tsep",
         "quote\\\"d", "new\\nline", "swapper/0", "12abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]


class Array:
    def __init__(self, name, keys, value, wrap=False):
        self.name, self.keys, self.value, self.wrap = name, keys, value, wrap


class Func:
    def __init__(self, name, params, ret):
        self.name, self.params, self.ret = name, params, ret
        self.writes = set()   # arrays/statistics it modifies, transitively


class Scope:
    """One probe or function body."""

    def __init__(self, in_function, params=()):
        self.in_function = in_function
        self.locals = dict(params)          # name -> LONG/STR
        self.loop_depth = 0
        self.locked = set()                 # arrays iterated by an enclosing foreach
        self.writes = set()
        self.regex_done = False


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0
        self.scalars = {}   # global name -> LONG/STR
        self.initialized = set()  # scalars declared with a value
        self.stats = []     # statistic scalars
        self.hist = {}      # stat name -> "log" | (lo, hi, width)
        self.arrays = []    # Array
        self.funcs = []     # Func, in definition order
        self.scope = None
        self.cur_func = None
        self.probe_kind = None

    # -- helpers ---------------------------------------------------------
    def fresh(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def lit_long(self):
        k = self.r.randrange(10)
        if k < 5:
            return str(self.r.randrange(0, 20))
        if k < 7:
            return str(self.r.randrange(0, 1 << 16))
        if k == 7:
            return "-%d" % self.r.randrange(1, 100)
        if k == 8:
            return "0x%x" % self.r.randrange(0, 1 << 32)
        return self.pick(["9223372036854775807", "-9223372036854775808", "1000000"])

    def lit_str(self):
        return '"%s"' % self.pick(WORDS)

    # -- expressions -----------------------------------------------------
    def readable_locals(self, ty):
        return [n for n, t in self.scope.locals.items() if t == ty]

    def var(self, ty):
        cands = self.readable_locals(ty) + [n for n, t in self.scalars.items() if t == ty]
        return self.pick(cands) if cands else None

    def keys_for(self, arr, d):
        return ", ".join(self.expr(t, d + 1) for t in arr.keys)

    def arrays_of(self, value):
        return [a for a in self.arrays if a.value == value]

    def stat_ref(self, d):
        """A statistic: a scalar or an element of a statistic array."""
        sarr = self.arrays_of(STAT)
        if sarr and (not self.stats or self.chance(0.4)):
            a = self.pick(sarr)
            return "%s[%s]" % (a.name, self.keys_for(a, d)), None
        if self.stats:
            s = self.pick(self.stats)
            return s, s
        return None, None

    def expr(self, ty, d=0):
        if d >= Limits.expr_depth or self.chance(0.25):
            return self.leaf(ty, d)
        return (self.long_expr if ty == LONG else self.str_expr)(d)

    def leaf(self, ty, d):
        v = self.var(ty) if self.chance(0.6) else None
        if v:
            return v
        return self.lit_long() if ty == LONG else self.lit_str()

    def long_expr(self, d):
        k = self.r.randrange(24)
        e = lambda t=LONG: self.expr(t, d + 1)
        if k <= 4:
            op = self.pick(["+", "-", "*", "&", "|", "^", "<<", ">>", "&&", "||", "/", "%"])
            rhs = e()
            if op in ("/", "%"):
                rhs = "(%s | 1)" % rhs
            if op in ("<<", ">>"):
                rhs = "(%s & 63)" % rhs
            return "(%s %s %s)" % (e(), op, rhs)
        if k <= 6:
            t = self.pick([LONG, STR])
            return "(%s %s %s)" % (e(t), self.pick(["<", "<=", ">", ">=", "==", "!="]), e(t))
        if k == 7:
            return "%s%s" % (self.pick(["-", "!", "~"]), self.leaf(LONG, d))
        if k == 8:
            return "(%s ? %s : %s)" % (e(), e(), e())
        if k == 9:
            f = self.pick(["strlen(%s)", "isdigit(%s)", "strtol(%s, 10)", "strtol(%s, 16)"])
            if self.chance(0.2):
                # stringat past the end is a runtime error, not a verifier matter.
                return "stringat(%s, %s)" % (e(STR), self.pick(["0", "1", e()]))
            return f % e(STR)
        if k == 10:
            return "%s(%s, %s)" % (self.pick(["isinstr", "strpos"]), e(STR), e(STR))
        if k == 11:
            return self.pick(["pid()", "tid()", "cpu()", "uid()", "gid()", "target()",
                              "gettimeofday_s()", "ktime_get_ns()", "jiffies()",
                              "get_cycles()", "ppid()", "euid()"])
        if k == 12:
            arr = self.arrays_of(LONG)
            if arr:
                a = self.pick(arr)
                return "%s[%s]" % (a.name, self.keys_for(a, d))
        if k == 13:
            if self.arrays:
                a = self.pick(self.arrays)
                keys = self.keys_for(a, d)
                return "([%s] in %s)" % (keys, a.name) if len(a.keys) > 1 or self.chance(0.5) \
                    else "(%s in %s)" % (keys, a.name)
        if k == 14 and Limits.cpu_walks:
            ref, _ = self.stat_ref(d)
            if ref:
                return "@%s(%s)" % (self.pick(["count", "sum", "min", "max", "avg"]), ref)
        if k == 15 and Limits.cpu_walks:
            if self.hist:
                s = self.pick(sorted(self.hist))
                return "%s[%d]" % (self.hist_call(s), self.r.randrange(0, 20))
        if k == 16 and not self.scope.regex_done or k == 17:
            src = e(STR)
            op = self.pick(["=~", "!~"])
            self.scope.regex_done = True
            return "(%s %s \"%s\")" % (src, op, self.pick(REGEXES).replace("\\", "\\\\"))
        if k == 18:
            f = self.call_func(LONG, d)
            if f:
                return f
        if k == 19 and self.scope.regex_done:
            return "ngroups()"
        return self.leaf(LONG, d)

    def str_expr(self, d):
        k = self.r.randrange(16)
        e = lambda t=STR: self.expr(t, d + 1)
        if k <= 2:
            return "(%s . %s)" % (e(), e())
        if k <= 4:
            return self.sprintf(d)
        if k == 5:
            return "substr(%s, %s, %s)" % (e(), self.expr(LONG, d + 1), self.expr(LONG, d + 1))
        if k == 6:
            return "str_replace(%s, %s, %s)" % (e(), self.lit_str(), e())
        if k == 7:
            return "%s(%s)" % (self.pick(["text_str", "string_quoted"]), e())
        if k == 8:
            return self.pick(["execname()", "pp()", "pexecname()"])
        if k == 9:
            arr = self.arrays_of(STR)
            if arr:
                a = self.pick(arr)
                return "%s[%s]" % (a.name, self.keys_for(a, d))
        if k == 10:
            return "(%s ? %s : %s)" % (self.expr(LONG, d + 1), e(), e())
        if k == 11:
            f = self.call_func(STR, d)
            if f:
                return f
        if k == 12:
            return "sprint(%s)" % self.expr(self.pick([LONG, STR]), d + 1)
        if k == 13 and self.scope.regex_done:
            return self.pick(["matched(0)", "matched_str()"])
        if k == 14:
            return "text_strn(%s, %d, %d)" % (e(), self.r.randrange(0, 20), self.r.randrange(2))
        return self.leaf(STR, d)

    def conversion(self):
        """A printf conversion and the type of its argument."""
        k = self.r.randrange(10)
        if k < 4:
            return self.pick(["%d", "%5d", "%-8d", "%+d", "%05d", "%i", "%u"]), LONG
        if k < 6:
            return self.pick(["%x", "%X", "%#x", "%o", "%p", "%c"]), LONG
        if k < 9:
            return self.pick(["%s", "%10s", "%-6s", "%.3s"]), STR
        return "%%", None

    def format(self, d, n_max=3):
        parts, args = [], []
        for _ in range(self.r.randrange(0, n_max + 1)):
            conv, ty = self.conversion()
            parts.append(self.pick(["", " ", "x=", ":"]) + conv)
            if ty:
                args.append(self.expr(ty, d + 1))
        return '"%s\\n"' % "".join(parts), args

    def sprintf(self, d):
        fmt, args = self.format(d, 2)
        return "sprintf(%s)" % ", ".join([fmt] + args)

    def hist_call(self, s):
        h = self.hist[s]
        if h == "log":
            return "@hist_log(%s)" % s
        return "@hist_linear(%s, %d, %d, %d)" % ((s,) + h)

    def call_func(self, ty, d):
        cands = [f for f in self.funcs if f.ret == ty and not (f.writes & self.scope.locked)]
        if not cands:
            return None
        f = self.pick(cands)
        self.scope.writes |= f.writes
        return "%s(%s)" % (f.name, ", ".join(self.expr(t, d + 1) for _, t in f.params))

    # -- statements ------------------------------------------------------
    def block(self, depth, n=None):
        n = self.r.randrange(1, Limits.block_len + 1) if n is None else n
        return [s for _ in range(n) for s in [self.stmt(depth)] if s]

    def body(self, depth):
        """A braced or single statement."""
        stmts = self.block(depth + 1)
        if len(stmts) == 1 and self.chance(0.5):
            return stmts[0]
        return "{ " + "; ".join(stmts) + " }" if stmts else "{ }"

    def assign_local(self, d):
        ty = self.pick([LONG, LONG, STR])
        olds = self.readable_locals(ty)
        if olds and self.chance(0.5):
            name = self.pick(olds)
        else:
            name = self.fresh("l" if ty == LONG else "s")
        value = self.expr(ty, d)
        self.scope.locals[name] = ty
        if ty == LONG and name in olds and self.chance(0.4):
            return "%s %s %s" % (name, self.pick(["+=", "-=", "*=", "|=", "&=", "^="]), value)
        if ty == STR and name in olds and self.chance(0.3):
            return "%s .= %s" % (name, value)
        return "%s = %s" % (name, value)

    def writable(self, arrs):
        return [a for a in arrs if a.name not in self.scope.locked]

    def mark_write(self, name):
        self.scope.writes.add(name)

    def stmt(self, depth):
        k = self.r.randrange(30)
        deep = depth >= Limits.stmt_depth
        if k <= 3:
            return self.assign_local(0)
        if k == 4:
            if self.scalars:
                g = self.pick(sorted(self.scalars))
                ty = self.scalars[g]
                if ty == LONG:
                    return self.pick(["%s = %s", "%s += %s"]) % (g, self.expr(LONG)) \
                        if self.chance(0.7) else "%s++" % g
                return "%s = %s" % (g, self.expr(STR))
        if k <= 7:
            arrs = self.writable([a for a in self.arrays if a.value != STAT])
            if arrs:
                a = self.pick(arrs)
                self.mark_write(a.name)
                ref = "%s[%s]" % (a.name, self.keys_for(a, 0))
                if a.value == LONG:
                    form = self.pick(["=", "=", "+=", "++", "--"])
                    if form in ("++", "--"):
                        return ref + form
                    return "%s %s %s" % (ref, form, self.expr(LONG, 1))
                return "%s = %s" % (ref, self.expr(STR, 1))
        if k <= 9:
            v = self.expr(LONG, 1)
            sarr = self.writable(self.arrays_of(STAT))
            if sarr and self.chance(0.5):
                a = self.pick(sarr)
                self.mark_write(a.name)
                return "%s[%s] <<< %s" % (a.name, self.keys_for(a, 1), v)
            if self.stats:
                s = self.pick(self.stats)
                self.mark_write(s)
                return "%s <<< %s" % (s, v)
        if k <= 12:
            return self.printstmt()
        if k == 13 and not deep:
            s = "if (%s) %s" % (self.expr(LONG), self.body(depth))
            if self.chance(0.4):
                s += " else %s" % self.body(depth)
            return s
        if k == 14 and not deep:
            return self.loop(depth)
        if k in (15, 16) and not deep:
            return self.foreach(depth)
        if k == 17 and not deep and self.hist:
            return self.foreach_hist(depth)
        if k == 18 and not deep:
            return self.trycatch(depth)
        if k == 19:
            arrs = self.writable(self.arrays)
            if arrs:
                a = self.pick(arrs)
                self.mark_write(a.name)
                if self.chance(0.3):
                    return "delete %s" % a.name
                return "delete %s[%s]" % (a.name, self.keys_for(a, 1))
        if k == 20 and self.scope.loop_depth:
            return "if (%s) %s" % (self.expr(LONG, 1), self.pick(["break", "continue"]))
        if k == 21:
            if self.scope.in_function and self.cur_func and self.chance(0.5):
                return "if (%s) return %s" % (self.expr(LONG, 1), self.expr(self.cur_func.ret, 1))
            if not self.scope.in_function and self.chance(0.2):
                return "if (%s) next" % self.expr(LONG, 1)
        if k == 22 and self.chance(0.3):
            return "if (%s) error(%s)" % (self.expr(LONG, 1), self.expr(STR, 1))
        if k == 23 and self.hist:
            return "print(%s)" % self.hist_call(self.pick(sorted(self.hist)))
        if k == 24:
            f = self.call_func(self.pick([LONG, STR]), 0)
            if f:
                return f
        if k == 25:
            ls = self.readable_locals(LONG)
            if ls:
                return "%s%s" % (self.pick(ls), self.pick(["++", "--"]))
        if k == 26:
            return "if (%s) { %s }" % (self.expr(LONG, 1), self.printstmt())
        return self.assign_local(1)

    def printstmt(self):
        k = self.r.randrange(4)
        if k <= 1:
            fmt, args = self.format(0)
            return "printf(%s)" % ", ".join([fmt] + args)
        args = [self.expr(self.pick([LONG, STR]), 1) for _ in range(self.r.randrange(1, 4))]
        if k == 2:
            return "%s(%s)" % (self.pick(["printd", "printdln"]),
                               ", ".join([self.lit_str()] + args))
        return "%s(%s)" % (self.pick(["println", "print"]), ", ".join(args))

    def loop(self, depth):
        self.scope.loop_depth += 1
        i = self.fresh("i")
        self.scope.locals[i] = LONG
        if self.chance(0.6):
            s = "for (%s = 0; %s < %d; %s++) %s" % (i, i, self.r.randrange(1, 12), i,
                                                   self.body(depth))
        else:
            s = "%s = 0; while (%s < %d) { %s++; %s }" % (
                i, i, self.r.randrange(1, 10), i, "; ".join(self.block(depth + 1)))
        self.scope.loop_depth -= 1
        return s

    def foreach(self, depth):
        arrs = [a for a in self.arrays]
        if not arrs:
            return None
        a = self.pick(arrs)
        keys = []
        for t in a.keys:
            name = self.fresh("k")
            self.scope.locals[name] = t
            keys.append(name)
        sort_key = self.r.randrange(len(keys) + 2)
        ks = [k + ("+" if i == sort_key and self.chance(0.5) else "-" if i == sort_key else "")
              for i, k in enumerate(keys)]
        head = ks[0] if len(ks) == 1 and self.chance(0.5) else "[%s]" % ", ".join(ks)
        value = ""
        if a.value != STAT and self.chance(0.4):
            v = self.fresh("v")
            self.scope.locals[v] = a.value
            value = v + " = "
        sort = ""
        if sort_key == len(keys) and self.chance(0.7):
            if a.value == STAT and self.chance(0.5):
                sort += " @%s" % self.pick(["count", "sum", "min", "max", "avg"])
            sort += self.pick(["+", "-"])
        target = a.name
        if len(a.keys) > 1 and self.chance(0.3):
            slots = ["*"] * len(a.keys)
            j = self.r.randrange(len(a.keys))
            slots[j] = self.expr(a.keys[j], 2)
            target += "[%s]" % ", ".join(slots)
            if not head.startswith("["):
                head = "[%s]" % head
        target += sort  # the value sort follows the array and its slice
        limit = " limit %s" % self.pick(["1", "3", "10", self.expr(LONG, 2)]) \
            if self.chance(0.3) else ""
        was_locked = a.name in self.scope.locked
        self.scope.locked.add(a.name)
        self.scope.loop_depth += 1
        body = self.body(depth)
        self.scope.loop_depth -= 1
        if not was_locked:
            self.scope.locked.discard(a.name)
        return "foreach (%s%s in %s%s) %s" % (value, head, target, limit, body)

    def foreach_hist(self, depth):
        s = self.pick(sorted(self.hist))
        b = self.fresh("b")
        self.scope.locals[b] = LONG
        value = ""
        if self.chance(0.6):
            v = self.fresh("c")
            self.scope.locals[v] = LONG
            value = v + " = "
        order = self.pick(["", "", "+", "-"])
        head = b + (order if self.chance(0.5) else "")
        target = self.hist_call(s) + ("" if head != b or not self.chance(0.5)
                                      else self.pick(["+", "-"]))
        limit = " limit %d" % self.r.randrange(1, 8) if self.chance(0.3) else ""
        self.scope.loop_depth += 1
        body = self.body(depth)
        self.scope.loop_depth -= 1
        return "foreach (%s%s in %s%s) %s" % (value, head, target, limit, body)

    def trycatch(self, depth):
        t = "; ".join(self.block(depth + 1)) or "error(\"e\")"
        if self.chance(0.5):
            m = self.fresh("m")
            self.scope.locals[m] = STR
            return "try { %s } catch (%s) { println(%s); %s }" % (
                t, m, m, "; ".join(self.block(depth + 1, 1)))
        return "try { %s } catch { %s }" % (t, "; ".join(self.block(depth + 1, 1)))

    # -- declarations ----------------------------------------------------
    def declare_globals(self):
        decls = []
        for _ in range(self.r.randrange(1, 5)):
            g = self.fresh("g")
            ty = self.pick([LONG, LONG, STR])
            self.scalars[g] = ty
            init = ""
            if self.chance(0.4):
                init = " = " + (self.lit_long() if ty == LONG else self.lit_str())
                self.initialized.add(g)
            decls.append(g + init)
        for _ in range(self.r.randrange(0, 3)):
            s = self.fresh("st")
            self.stats.append(s)
            decls.append(s)
            if self.chance(0.6):
                self.hist[s] = "log" if self.chance(0.6) else \
                    (0, self.pick([10, 100, 1000]), self.pick([1, 10, 50]))
                lo, hi, w = (0, 0, 1) if self.hist[s] == "log" else self.hist[s]
                if self.hist[s] != "log" and (hi - lo) // w > 120:
                    self.hist[s] = (0, 100, 10)
        for _ in range(self.r.randrange(1, 4)):
            a = Array(self.fresh("a"),
                      [self.pick([LONG, STR]) for _ in range(self.pick([1, 1, 1, 2, 3]))],
                      self.pick([LONG, LONG, STR, STAT]), wrap=self.chance(0.2))
            self.arrays.append(a)
            size = self.pick(["", "", "[%d]" % self.pick([8, 64, 1000])])
            if a.wrap:
                size = "[%d]" % self.pick([4, 16])
            decls.append(a.name + ("%" if a.wrap else "") + size)
        self.r.shuffle(decls)
        out = []
        while decls:
            n = self.r.randrange(1, 4)
            out.append("global " + ", ".join(decls[:n]))
            decls = decls[n:]
        return out

    def ensure_used(self):
        """Statements that give every global its type (first uses decide)."""
        uses = []
        for g, ty in self.scalars.items():
            # A format conversion does not give an uninitialized global
            # its type; an assignment does.
            uses.append("%s = %s" % (g, self.lit_long() if ty == LONG else self.lit_str())
                        if g not in self.initialized or self.chance(0.5) else
                        "printf(\"%s\\n\", %s)" % ("%d" if ty == LONG else "%s", g))
        for s in self.stats:
            uses.append("%s <<< %s" % (s, self.lit_long()))
            if s in self.hist:
                uses.append("print(%s)" % self.hist_call(s))
        for a in self.arrays:
            keys = ", ".join(self.lit_long() if t == LONG else self.lit_str() for t in a.keys)
            if a.value == STAT:
                uses.append("%s[%s] <<< %s" % (a.name, keys, self.lit_long()))
            else:
                uses.append("%s[%s] = %s" % (a.name, keys,
                                              self.lit_long() if a.value == LONG else self.lit_str()))
        return uses

    def function(self):
        name = self.fresh("f")
        params = [(self.fresh("p"), self.pick([LONG, STR])) for _ in range(self.r.randrange(0, 3))]
        f = Func(name, params, self.pick([LONG, STR]))
        self.scope = Scope(True, params)
        self.cur_func = f
        stmts = self.block(1)
        stmts.append("return %s" % self.expr(f.ret))
        f.writes = set(self.scope.writes)
        self.funcs.append(f)
        self.cur_func = None
        sig = ", ".join("%s:%s" % (p, t) for p, t in params)
        return "function %s:%s (%s) {\n  %s\n}" % (name, f.ret, sig, "\n  ".join(stmts))

    def probe(self, point, first=()):
        self.scope = Scope(False)
        stmts = list(first)
        if point.startswith("kernel.trace"):
            p = self.fresh("l")
            self.scope.locals[p] = LONG
            stmts.append("%s = %s" % (p, self.pick(["$prev->pid", "$next->pid", "$prev->prio",
                                                   "$next->tgid", "$prev_state", "$preempt"])))
        stmts += self.block(0, self.r.randrange(2, 7))
        if point.startswith("timer") and self.chance(0.5):
            stmts.append("exit()")
        return "probe %s {\n  %s\n}" % (point, "\n  ".join(stmts))

    def script(self):
        out = ["// generated by utils/fuzz/genscript.py"]
        out += self.declare_globals()
        # Give every global its type before functions use them.
        out.append(self.probe("begin(-100)", self.ensure_used()))
        for _ in range(self.r.randrange(0, Limits.functions + 1)):
            out.append(self.function())
        points = ["begin", "end", "timer.ms(%d)" % self.pick([10, 100, 250]),
                  "timer.s(1)", 'kernel.trace("sched_switch")', "begin(5)", "end(-1)",
                  "timer.profile"]
        for _ in range(self.r.randrange(1, Limits.probes + 1)):
            out.append(self.probe(self.pick(points)))
        return "\n".join(out) + "\n"


def configure(small=False, cpu_walks=True):
    """--small: shorter blocks, shallower nesting, fewer probes and
    functions (faster to compile and verify: the bounded CI run)."""
    if small:
        Limits.expr_depth, Limits.stmt_depth, Limits.block_len = 2, 2, 3
        Limits.functions, Limits.probes = 2, 3
    Limits.cpu_walks = cpu_walks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", dest="out")
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--no-cpu-walks", action="store_true")
    args = ap.parse_args()
    configure(args.small, not args.no_cpu_walks)
    text = Gen(args.seed).script()
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
