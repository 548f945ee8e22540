// SPDX-License-Identifier: MIT
#pragma once
// The byte level of the serialiser (internal to core/pdf): PdfOut writes a PDF file object by
// object, with stream compression (and its per-thread cache) and the content-derived /ID.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lecert::pdf::detail {

// Deflated bytes of `data` (zlib format, for /FlateDecode) at a fast level.
std::string deflateBytes(std::string_view data);
// deflateBytes through a per-thread cache of contents that recur (pages of the same form); the
// reference stays valid until the next call on this thread.
const std::string& deflateReusable(std::string_view data);
// deflateBytes that remembers the last content (per thread), for contents written twice in a
// row (a record attached to its worksheet and its cover); same lifetime of the reference.
const std::string& deflateRecent(std::string_view data);
// A fast, deterministic 128-bit fingerprint of bytes as 32 hex digits (for the file /ID;
// not a security feature).
std::string fingerprint(std::string_view d);

// Stream bytes in their final form: deflated when large enough to be worth it.
struct Packed {
    std::string bytes;
    bool flate = false;
};
Packed pack(const std::string& data);

// Writes a PDF file object by object: numbers are reserved first (objects refer to each other
// in any order), bodies appended as they are ready, then the xref table and trailer.
class PdfOut {
public:
    PdfOut();
    // A new object number (its body is written later, in any order).
    int reserve();
    // "n 0 obj <body> endobj"
    void object(int n, std::string_view body);
    // A stream; `dictEntries` are the keys besides /Length and /Filter. Data under 512 bytes is
    // stored as it is (a Flate stream costs a fresh zlib state; most appearances are tiny).
    // `reusable`: content that is likely to recur in later documents (pages, fonts), whose
    // compressed form is remembered per thread (deflateReusable); else only the last one is
    // (deflateRecent).
    void stream(int n, std::string_view dictEntries, std::string_view data, bool reusable = true);
    // A stream whose bytes are already in their final form (deflated when `flate`).
    void rawStream(int n, std::string_view dictEntries, std::string_view bytes, bool flate);
    // The xref table and trailer; /ID is derived from the bytes written so far. Returns the
    // file; the PdfOut is spent.
    std::string finish(int root, int info);

private:
    void begin(int n);

    std::string m_out;
    std::vector<std::size_t> m_offsets;  // by object number; [0] unused
};

}  // namespace lecert::pdf::detail
