#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the hostile PDFs that test_fill.cpp feeds to `lecert extract`:
#   bomb.pdf      1.5 KB; its record.json attachment inflates to 300 MiB of NULs
#                 (two FlateDecode layers), far past the record limit.
#   not-record.pdf  the attachment is a JSON array, not a lecert record.
import zlib, sys, os

def pdf(stream, filters):
    objs = []
    objs.append(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(record.json) 4 0 R] >> >> >>")
    objs.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    objs.append(b"<< /Type /Filespec /F (record.json) /UF (record.json) /EF << /F 5 0 R >> >>")
    objs.append(b"<< /Type /EmbeddedFile /Length " + str(len(stream)).encode() + b" /Filter " + filters + b" >>\nstream\n" + stream + b"\nendstream")
    out = b"%PDF-1.7\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += str(i).encode() + b" 0 obj\n" + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objs) + 1).encode() + b"\n0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size " + str(len(objs) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return out

here = os.path.dirname(os.path.abspath(__file__))
c = zlib.compressobj(9)
inner = b"".join(c.compress(b"\0" * (1 << 20)) for _ in range(300)) + c.flush()
outer = zlib.compress(inner, 9)
open(os.path.join(here, "bomb.pdf"), "wb").write(pdf(outer, b"[/FlateDecode /FlateDecode]"))
open(os.path.join(here, "not-record.pdf"), "wb").write(pdf(zlib.compress(b"[1, 2, 3]\n"), b"/FlateDecode"))
