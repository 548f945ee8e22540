// SPDX-License-Identifier: MIT
#pragma once
// A quick count of the records in batch inputs, for the progress total: a byte scan, no JSON
// parsing, so it may be off for malformed files.

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lecert {

// Records in one file as RecordReader would see them (approximately for malformed files):
// non-blank lines of a .jsonl, top-level elements of an array, else one. Stops early when
// `stop` is set.
std::size_t countFileRecords(const std::string& path, const std::atomic<bool>& stop);

// Records in all inputs, or nothing when they are too large to count cheaply (> 256 MiB) or
// `stop` was set.
std::optional<std::size_t> countRecords(const std::vector<std::string>& inputs,
                                        const std::atomic<bool>& stop);

}  // namespace lecert
