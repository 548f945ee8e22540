// SPDX-License-Identifier: MIT
#pragma once
// The set of output names a batch has claimed so far, with where each claim came from, in
// memory that does not grow with the number of records: a fixed 4 MiB Bloom filter answers
// "never seen" for almost every new name without looking further; a "maybe" is settled exactly
// from the claims themselves, kept in 256 partitions whose full 4 KiB chunks are moved to an
// unnamed temporary file. About 5 MiB whether the batch has ten records or ten million (the
// filter's false positives rise past a few million names: slower, never wrong).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lecert {

class NameIndex {
public:
    // Where a claim came from: the input file's number and the record's index in it (-1 for
    // a lone object).
    struct Claim {
        std::uint32_t file = 0;
        std::int64_t index = -1;
    };

    // `spillDir`: where the unnamed temporary file goes (the batch's manifest folder). If it
    // cannot be made, full chunks stay in memory (correct, not flat).
    explicit NameIndex(const std::string& spillDir);
    ~NameIndex();
    NameIndex(const NameIndex&) = delete;
    NameIndex& operator=(const NameIndex&) = delete;

    // The claim of `key` (a 64-bit hash of a file name), if any.
    std::optional<Claim> find(std::uint64_t key) const;
    // Claims `key` (the caller checked find() first: a key is claimed once).
    void insert(std::uint64_t key, Claim claim);
    std::size_t size() const { return m_size; }

private:
    struct Slot {
        std::uint64_t key;
        std::uint64_t claim;  // file << 40 | (index + 1)
    };
    static constexpr std::size_t kPartitions = 256;
    static constexpr std::size_t kChunkSlots = 4096 / sizeof(Slot);
    struct Partition {
        std::vector<Slot> open;              // the chunk being filled
        std::vector<std::uint64_t> spilled;  // file offsets of full chunks
        std::vector<Slot> kept;              // full chunks when there is no spill file
    };
    bool mayContain(std::uint64_t key) const;
    void remember(std::uint64_t key);
    void spill(Partition& p);

    std::unique_ptr<std::uint64_t, void (*)(void*)> m_bits;
    std::vector<Partition> m_parts;
    int m_fd = -1;
    std::uint64_t m_end = 0;  // size of the spill file
    std::size_t m_size = 0;
};

}  // namespace lecert
