// SPDX-License-Identifier: MIT
#include "core/pdf/pdf_out.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <unordered_map>
#include <unordered_set>

#include <zlib.h>

#include "core/pdf/pdf_syntax.h"

namespace lecert::pdf::detail {

namespace {
constexpr int kDeflateLevel = 2;
}  // namespace

// Deflated bytes of `data` (zlib format, for /FlateDecode) at a fast level: speed matters more
// here than the last few percent of size. One zlib stream per thread, reset between uses
// (deflateReset keeps its window and tables): setting up a new compressor for every stream
// cost a tenth of a batch's time.
std::string deflateBytes(std::string_view data) {
    struct Stream {
        z_stream z{};
        bool ok = false;
        Stream() { ok = deflateInit(&z, kDeflateLevel) == Z_OK; }
        ~Stream() {
            if (ok) deflateEnd(&z);
        }
        Stream(const Stream&) = delete;
        Stream& operator=(const Stream&) = delete;
    };
    static thread_local Stream s;
    if (s.ok && data.size() < (1u << 30) && deflateReset(&s.z) == Z_OK) {
        std::string packed(deflateBound(&s.z, static_cast<uLong>(data.size())), '\0');
        // zlib's API takes non-const input pointers; it never writes through next_in.
        s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        s.z.avail_in = static_cast<uInt>(data.size());
        s.z.next_out = reinterpret_cast<Bytef*>(packed.data());
        s.z.avail_out = static_cast<uInt>(packed.size());
        // deflateBound's size always suffices for a single Z_FINISH call.
        if (deflate(&s.z, Z_FINISH) == Z_STREAM_END) {
            packed.resize(s.z.total_out);
            return packed;
        }
    }
    // Larger than zlib's 32-bit counters (never a page, an image at most): a stream of its own,
    // fed in pieces.
    z_stream z{};
    if (deflateInit(&z, kDeflateLevel) != Z_OK) throw std::bad_alloc();
    std::string packed;
    unsigned char out[1 << 16];
    std::size_t at = 0;
    for (;;) {
        const std::size_t piece = std::min<std::size_t>(data.size() - at, 1u << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + at));
        z.avail_in = static_cast<uInt>(piece);
        at += piece;
        const int flush = at == data.size() ? Z_FINISH : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            z.next_out = out;
            z.avail_out = sizeof out;
            rc = deflate(&z, flush);
            packed.append(reinterpret_cast<const char*>(out), sizeof out - z.avail_out);
        } while (z.avail_out == 0 && rc != Z_STREAM_END);
        if (flush == Z_FINISH) break;
    }
    deflateEnd(&z);
    return packed;
}

// Deflated streams by content, per thread: the pages of a form (labels, boxes, footers) are
// byte-identical from one record to the next, so a batch worker compresses each of them once.
// A content is kept from its second occurrence on (record-specific pages, seen once, cost
// only their 8-byte hash). Bounded; cleared when full. A kept content is stored with its
// bytes and compared on every hit, so a hit is always exact (a hash collision is a miss).
const std::string& deflateReusable(std::string_view data) {
    struct Kept {
        std::string data, packed;
    };
    struct Memo {
        std::unordered_map<std::size_t, Kept> map;  // by the content's hash
        std::unordered_set<std::size_t> seen;       // hashes of contents deflated once
        std::size_t bytes = 0;
        std::string last;  // result of a deflate that was not kept
    };
    static thread_local Memo memo;
    constexpr std::size_t kMaxBytes = 8u << 20;
    const std::size_t h = std::hash<std::string_view>{}(data);
    if (auto it = memo.map.find(h); it != memo.map.end()) {
        if (it->second.data == data) return it->second.packed;
        memo.last = deflateBytes(data);
        return memo.last;
    }
    if (memo.seen.insert(h).second) {
        if (memo.seen.size() > 4096) memo.seen.clear();
        memo.last = deflateBytes(data);
        return memo.last;
    }
    std::string packed = deflateBytes(data);
    const std::size_t cost = data.size() + packed.size() + 64;
    if (memo.bytes + cost > kMaxBytes) {
        memo.map.clear();
        memo.bytes = 0;
    }
    memo.bytes += cost;
    return memo.map.emplace(h, Kept{std::string(data), std::move(packed)}).first->second.packed;
}

// The last content deflated this way on this thread is kept: the record attached to the
// worksheet is attached again to its cover, written next. A miss costs one comparison that
// stops at the first differing byte.
const std::string& deflateRecent(std::string_view data) {
    struct Last {
        std::string data, packed;
    };
    static thread_local Last last;
    if (last.data.size() != data.size() || last.data != data) {
        last.packed = deflateBytes(data);
        last.data = data;
    }
    return last.packed;
}

// A fast, deterministic 128-bit fingerprint of bytes as 32 hex digits (for the file /ID;
// not a security feature).
std::string fingerprint(std::string_view d) {
    auto rotl = [](std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
    std::uint64_t h1 = 0x9E3779B97F4A7C15ull ^ d.size(), h2 = 0xC2B2AE3D27D4EB4Full + d.size();
    std::size_t i = 0;
    for (; i + 8 <= d.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, d.data() + i, 8);
        h1 = rotl((h1 ^ w) * 0x87C37B91114253D5ull, 31);
        h2 = rotl((h2 ^ w) * 0x4CF5AD432745937Full, 29) + h1;
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i < d.size(); ++i, ++k)
        tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(d[i])) << (8 * k);
    h1 = rotl((h1 ^ tail) * 0x87C37B91114253D5ull, 31);
    h2 = rotl((h2 ^ tail) * 0x4CF5AD432745937Full, 29) + h1;
    auto mix = [](std::uint64_t x) {  // splitmix64 finaliser
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ull;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    };
    h1 = mix(h1 + h2);
    h2 = mix(h2 ^ h1);
    static const char* hex = "0123456789ABCDEF";
    std::string id;
    for (std::uint64_t h : {h1, h2})
        for (int sh = 60; sh >= 0; sh -= 4) id.push_back(hex[(h >> sh) & 0xF]);
    return id;
}

Packed pack(const std::string& data) {
    if (data.size() < 512) return {data, false};
    return {deflateBytes(data), true};
}

PdfOut::PdfOut() {
    m_out.reserve(96 * 1024);
    m_out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    m_offsets.push_back(0);
}

int PdfOut::reserve() {
    m_offsets.push_back(0);
    return static_cast<int>(m_offsets.size()) - 1;
}

void PdfOut::object(int n, std::string_view body) {
    begin(n);
    m_out += body;
    m_out += "\nendobj\n";
}

void PdfOut::stream(int n, std::string_view dictEntries, std::string_view data, bool reusable) {
    if (data.size() < 512) {
        rawStream(n, dictEntries, data, false);
        return;
    }
    if (reusable)
        rawStream(n, dictEntries, deflateReusable(data), true);
    else
        rawStream(n, dictEntries, deflateRecent(data), true);
}

void PdfOut::rawStream(int n, std::string_view dictEntries, std::string_view bytes, bool flate) {
    begin(n);
    m_out += "<<";
    if (!dictEntries.empty()) {
        m_out.push_back(' ');
        m_out += dictEntries;
    }
    if (flate) m_out += " /Filter /FlateDecode";
    m_out += " /Length ";
    m_out += std::to_string(bytes.size());
    m_out += " >>\nstream\n";
    m_out += bytes;
    m_out += "\nendstream\nendobj\n";
}

std::string PdfOut::finish(int root, int info) {
    const std::size_t xref = m_out.size();
    const std::string id = fingerprint(m_out);  // 16 bytes from the content
    m_out += "xref\n0 " + std::to_string(m_offsets.size()) + "\n0000000000 65535 f \n";
    // Twenty bytes per object, digits written in place (snprintf per entry cost as much as
    // hashing the whole file).
    const std::size_t at = m_out.size();
    m_out.resize(at + 20 * (m_offsets.size() - 1));
    char* p = m_out.data() + at;
    for (std::size_t i = 1; i < m_offsets.size(); ++i, p += 20) {
        std::size_t v = m_offsets[i];
        for (int d = 9; d >= 0; --d, v /= 10) p[d] = static_cast<char>('0' + v % 10);
        std::copy_n(" 00000 n \n", 10, p + 10);
    }
    m_out += "trailer\n<< /Size " + std::to_string(m_offsets.size()) + " /Root " + ref(root) +
             " /Info " + ref(info) + " /ID [<" + id + "> <" + id + ">] >>\nstartxref\n" +
             std::to_string(xref) + "\n%%EOF\n";
    return std::move(m_out);
}

void PdfOut::begin(int n) {
    m_offsets[static_cast<std::size_t>(n)] = m_out.size();
    m_out += std::to_string(n);
    m_out += " 0 obj\n";
}

}  // namespace lecert::pdf::detail
