"""grow-section.py IN SECTION OUT: copies the ELF64 little-endian object IN
to OUT with SECTION's size in its header set to 1 MB, past the file's end."""
import struct
import sys

src, name, dst = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
d = bytearray(open(src, "rb").read())
shoff, = struct.unpack_from("<Q", d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3a)
def header(i):
    return shoff + i * shentsize
strtab_off, = struct.unpack_from("<Q", d, header(shstrndx) + 0x18)
for i in range(shnum):
    name_off, = struct.unpack_from("<I", d, header(i))
    start = strtab_off + name_off
    if d[start:d.index(b"\0", start)] == name:
        struct.pack_into("<Q", d, header(i) + 0x20, 1 << 20)
        break
else:
    sys.exit("no section " + name.decode())
open(dst, "wb").write(d)
