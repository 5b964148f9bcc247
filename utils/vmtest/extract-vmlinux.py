#!/usr/bin/env python3
"""Pull the uncompressed ELF vmlinux out of an x86 bzImage.

Why: QEMU boots an ELF vmlinux that carries a Xen PVH note directly
(`-kernel vmlinux`), which skips the in-guest decompressor and saves several
seconds per boot under TCG.

How: the boot protocol header (>= 2.08) records where the compressed payload
sits (payload_offset/payload_length, relative to the protected-mode code).
We use that when present and fall back to scanning for a known compression
magic otherwise. The payload is decompressed with Python's own codecs, or
with the zstd/lz4 command-line tools for formats Python lacks.
"""
import bz2
import lzma
import struct
import subprocess
import sys
import zlib

# (name, magic) in the order we try them when scanning without a header.
MAGICS = [
    ("xz", b"\xfd7zXZ\x00"),
    ("zstd", b"\x28\xb5\x2f\xfd"),
    ("gzip", b"\x1f\x8b\x08"),
    ("lz4", b"\x02\x21\x4c\x18"),
    ("bzip2", b"BZh"),
    ("lzma", b"\x5d\x00\x00"),
]


def payload_from_header(image):
    """Returns the payload bytes named by the setup header, or None."""
    if len(image) < 0x250 or image[0x202:0x206] != b"HdrS":
        return None
    version = struct.unpack_from("<H", image, 0x206)[0]
    if version < 0x208:
        return None
    setup_sects = image[0x1F1] or 4  # 0 means 4 for ancient loaders.
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    return image[start:start + length]


def detect(data):
    for name, magic in MAGICS:
        if data.startswith(magic):
            return name
    return None


def run_tool(argv, data):
    # The kernel appends the uncompressed size after the stream; the tools
    # complain about that trailing junk but still write the full output.
    proc = subprocess.run(argv, input=data, capture_output=True)
    return proc.stdout


def decompress(kind, data):
    if kind == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    if kind in ("xz", "lzma"):
        fmt = lzma.FORMAT_XZ if kind == "xz" else lzma.FORMAT_ALONE
        return lzma.LZMADecompressor(format=fmt).decompress(data)
    if kind == "bzip2":
        return bz2.BZ2Decompressor().decompress(data)
    if kind == "zstd":
        return run_tool(["zstd", "-d", "-c", "-q"], data)
    if kind == "lz4":
        return run_tool(["lz4", "-d", "-c", "-q"], data)
    return b""


def is_elf(data):
    return data[:4] == b"\x7fELF"


def try_scan(image):
    """Header-less fallback: try every magic occurrence until one yields ELF."""
    for name, magic in MAGICS:
        pos = image.find(magic)
        while pos != -1:
            try:
                out = decompress(name, image[pos:])
            except (lzma.LZMAError, OSError, EOFError, zlib.error, ValueError):
                out = b""
            if is_elf(out):
                return out
            pos = image.find(magic, pos + 1)
    return None


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: extract-vmlinux.py BZIMAGE OUTPUT\n")
        return 2
    image = open(argv[1], "rb").read()
    elf = None
    payload = payload_from_header(image)
    kind = detect(payload) if payload else None
    if kind:
        elf = decompress(kind, payload)
    if not elf or not is_elf(elf):
        elf = try_scan(image)
    if not elf:
        sys.stderr.write("extract-vmlinux: no ELF payload found in %s\n" % argv[1])
        return 1
    with open(argv[2], "wb") as out:
        out.write(elf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
