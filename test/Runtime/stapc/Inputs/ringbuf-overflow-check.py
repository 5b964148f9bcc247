# ringbuf-overflow.stp's checker: OUT holds "r 0".."r K-1" then "end"; ERR
# holds "WARNING: N output records were lost" (and nothing else).
import re
import sys

out = open(sys.argv[1]).read().splitlines()
err = open(sys.argv[2]).read()
lines = out[:-1]
ordered = out[-1:] == ["end"] and lines == ["r %d" % i for i in range(len(lines))] and lines
print("records printed in order, then end: %s" % ("yes" if ordered else "no"))
m = re.fullmatch(r"WARNING: (\d+) output records were lost\n", err)
lost = int(m.group(1)) if m else 0
print("printed + lost = %d%s" % (len(lines) + lost, "" if m else " (stderr: %r)" % err))
