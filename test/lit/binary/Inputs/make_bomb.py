#!/usr/bin/env python3
"""Writes a small trace folder whose trace.bin decompresses to a lot of CBOR.

make_bomb.py KIND MIB DIR
  string    one Value event holding a String of MIB MiB
  sequence  one Value event holding a Sequence of None values, MIB MiB of them
  many      ordinary events: Value events of 1 KiB strings, MIB MiB in all
The events before them make a valid trace (root call, a step, a variable), so
`validate` accepts `many` whole. The stream is compressed by the zstd CLI into
one frame, with the seek table of TRACE_FORMAT.md §6, plus trace_metadata.json
and trace_paths.json.
"""
import os
import struct
import subprocess
import sys


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def text(s):
    b = s.encode() if isinstance(s, str) else s
    return head(3, len(b)) + b


def uint(n):
    return head(0, n)


def mapping(*pairs):
    out = head(5, len(pairs))
    for k, v in pairs:
        out += text(k) + v
    return out


def event(name, payload):
    return head(5, 1) + text(name) + payload


NONE = mapping(("kind", text("None")), ("type_id", uint(0)))


def prefix():
    return b"".join([
        event("Path", text("")),
        event("Function", mapping(("path_id", uint(0)), ("line", uint(1)), ("name", text("<top-level>")))),
        event("Call", mapping(("function_id", uint(0)), ("args", head(4, 0)))),
        event("Type", mapping(("kind", uint(30)), ("lang_type", text("None")),
                              ("specific_info", mapping(("kind", text("None")))))),
        event("Path", text("/bomb.c")),
        event("Step", mapping(("path_id", uint(1)), ("line", uint(1)))),
        event("VariableName", text("s")),
        event("Type", mapping(("kind", uint(9)), ("lang_type", text("char *")),
                              ("specific_info", mapping(("kind", text("None")))))),
    ])


def value_event(value_head, body_size):
    """The bytes of a Value event up to its value, and after it."""
    return (head(5, 1) + text("Value") + head(5, 2) + text("variable_id") + uint(0) +
            text("value") + value_head)


def chunks(kind, size):
    yield prefix()
    mib = 1 << 20
    if kind == "string":
        yield value_event(head(5, 3) + text("kind") + text("String") + text("text") + head(3, size), 0)
        block = b"a" * mib
        for _ in range(size // mib):
            yield block
        yield b"a" * (size % mib) + text("type_id") + uint(1)
    elif kind == "sequence":
        count = size // len(NONE)
        yield value_event(head(5, 4) + text("kind") + text("Sequence") + text("elements") +
                          head(4, count), 0)
        per = mib // len(NONE)
        block = NONE * per
        for _ in range(count // per):
            yield block
        yield NONE * (count % per) + text("is_slice") + b"\xf4" + text("type_id") + uint(1)
    elif kind == "many":
        one = (value_event(mapping(("kind", text("String")), ("text", text("x" * 1024)),
                                   ("type_id", uint(1))), 0))
        per = mib // len(one)
        block = one * per
        for _ in range(max(1, size // (per * len(one)))):
            yield block
    else:
        raise SystemExit("unknown kind " + kind)


def main():
    kind, mib, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    z = subprocess.Popen(["zstd", "-q", "-3", "-c", "--no-check"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    total = 0
    import threading
    frame = []
    reader = threading.Thread(target=lambda: frame.append(z.stdout.read()))
    reader.start()
    for c in chunks(kind, mib << 20):
        total += len(c)
        z.stdin.write(c)
    z.stdin.close()
    reader.join()
    if z.wait() != 0:
        raise SystemExit("zstd failed")
    frame = frame[0]
    seek = struct.pack("<II", len(frame), total) + struct.pack("<IBI", 1, 0, 0x8F92EAB1)
    with open(os.path.join(out, "trace.bin"), "wb") as f:
        f.write(bytes([0xC0, 0xDE, 0x72, 0xAC, 0xE2, 0x01, 0x00, 0x00]))
        f.write(frame)
        f.write(struct.pack("<II", 0x184D2A5E, len(seek)) + seek)
    with open(os.path.join(out, "trace_metadata.json"), "w") as f:
        f.write('{"recording_id":"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb","workdir":"/","program":"/bomb","args":[]}')
    with open(os.path.join(out, "trace_paths.json"), "w") as f:
        f.write('["","/bomb.c"]')


main()
