// SPDX-License-Identifier: MIT
#include "core/jobs/name_index.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lecert {

namespace {

constexpr std::size_t kFilterBits = std::size_t{1} << 25;  // 4 MiB
constexpr int kProbes = 6;

// Two independent hashes of the key for double hashing (the key is already a hash, but of
// names that may differ in one character; mixing spreads them over the whole filter).
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

std::uint64_t packClaim(NameIndex::Claim c) {
    return (std::uint64_t{c.file} << 40) | static_cast<std::uint64_t>(c.index + 1);
}

NameIndex::Claim unpackClaim(std::uint64_t v) {
    return {static_cast<std::uint32_t>(v >> 40),
            static_cast<std::int64_t>(v & ((std::uint64_t{1} << 40) - 1)) - 1};
}

// An unnamed file in `dir` (gone when closed), else a named one unlinked at once.
int openSpillFile(const std::string& dir) {
#ifdef O_TMPFILE
    const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
#endif
    std::string name = dir + "/.names.tmp-XXXXXX";
    const int named = ::mkostemp(name.data(), O_CLOEXEC);
    if (named >= 0) ::unlink(name.c_str());
    return named;
}

}  // namespace

NameIndex::NameIndex(const std::string& spillDir)
    // calloc: the filter's pages are taken from the system only as they are first touched.
    : m_bits(static_cast<std::uint64_t*>(std::calloc(kFilterBits / 64, sizeof(std::uint64_t))),
             &std::free),
      m_parts(kPartitions) {
    m_fd = openSpillFile(spillDir);
}

NameIndex::~NameIndex() {
    if (m_fd >= 0) ::close(m_fd);
}

bool NameIndex::mayContain(std::uint64_t key) const {
    if (!m_bits) return true;
    const std::uint64_t h1 = mix(key), h2 = mix(key ^ 0x9e3779b97f4a7c15ull) | 1;
    for (int i = 0; i < kProbes; ++i) {
        const std::uint64_t bit = (h1 + static_cast<std::uint64_t>(i) * h2) % kFilterBits;
        if (!(m_bits.get()[bit / 64] & (std::uint64_t{1} << (bit % 64)))) return false;
    }
    return true;
}

void NameIndex::remember(std::uint64_t key) {
    if (!m_bits) return;
    const std::uint64_t h1 = mix(key), h2 = mix(key ^ 0x9e3779b97f4a7c15ull) | 1;
    for (int i = 0; i < kProbes; ++i) {
        const std::uint64_t bit = (h1 + static_cast<std::uint64_t>(i) * h2) % kFilterBits;
        m_bits.get()[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
}

std::optional<NameIndex::Claim> NameIndex::find(std::uint64_t key) const {
    if (!mayContain(key)) return std::nullopt;
    const Partition& p = m_parts[mix(key) % kPartitions];
    for (const Slot& s : p.open)
        if (s.key == key) return unpackClaim(s.claim);
    for (const Slot& s : p.kept)
        if (s.key == key) return unpackClaim(s.claim);
    Slot chunk[kChunkSlots];
    for (const std::uint64_t off : p.spilled) {
        ssize_t n;
        do n = ::pread(m_fd, chunk, sizeof chunk, static_cast<off_t>(off));
        while (n < 0 && errno == EINTR);
        if (n != static_cast<ssize_t>(sizeof chunk)) continue;
        for (const Slot& s : chunk)
            if (s.key == key) return unpackClaim(s.claim);
    }
    return std::nullopt;
}

void NameIndex::insert(std::uint64_t key, Claim claim) {
    remember(key);
    Partition& p = m_parts[mix(key) % kPartitions];
    if (p.open.capacity() < kChunkSlots) p.open.reserve(kChunkSlots);
    p.open.push_back({key, packClaim(claim)});
    ++m_size;
    if (p.open.size() == kChunkSlots) spill(p);
}

// Moves a full chunk to the spill file (or, without one, to memory).
void NameIndex::spill(Partition& p) {
    const std::size_t bytes = p.open.size() * sizeof(Slot);
    bool written = false;
    if (m_fd >= 0) {
        ssize_t n;
        do n = ::pwrite(m_fd, p.open.data(), bytes, static_cast<off_t>(m_end));
        while (n < 0 && errno == EINTR);
        written = n == static_cast<ssize_t>(bytes);
    }
    if (written) {
        p.spilled.push_back(m_end);
        m_end += bytes;
    } else {
        p.kept.insert(p.kept.end(), p.open.begin(), p.open.end());
    }
    p.open.clear();
}

}  // namespace lecert
