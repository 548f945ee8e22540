// SPDX-License-Identifier: MIT
#pragma once
// The resume log of a batch (OUTDIR/.lecert-batch/manifest.log): for each output name, what
// its outputs were made from (the record text's SHA-256, the options that change the bytes, a
// salted tag of the password, the lecert version) and the SHA-256 of each output, so that
// --resume skips a record only when all of it still matches the files on disk.
//
// One append-only JSON Lines file per output folder, not one file per record: each record
// costs one write() instead of a file creation. A line is appended only after the record's
// outputs are renamed into place; the latest line of a name wins; a line cut short by a crash
// is ignored. The log is flushed (fdatasync) when the batch ends, after the outputs' syncfs.
// The index kept in memory is 16 bytes per name in the log (none for a new folder).
// Safe to call from several worker threads for different names.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

// An output recorded in the log / a report line.
struct OutputFile {
    std::string file;  // name inside the output folder
    std::string sha256;
    std::size_t bytes = 0;
};

class BatchManifests {
public:
    static constexpr const char* kLogName = "manifest.log";

    // `optionsKey`: canonical JSON of the output-affecting options, minus the password.
    BatchManifests(std::string outDir, std::string manifestDir, std::string optionsKey);
    ~BatchManifests();
    BatchManifests(const BatchManifests&) = delete;
    BatchManifests& operator=(const BatchManifests&) = delete;

    // Opens (creates) the log and indexes it. Call once, before anything else.
    Status open();
    // The output files the log records for `name` (empty when none): lecert wrote them, so
    // they may be replaced without --force.
    std::vector<std::string> filesOf(const std::string& name) const;
    // True when the latest entry of `name` matches the record and the options and every
    // output it lists is on disk with its recorded SHA-256; then `outputs` holds them.
    // `expectedFiles`: the output files these options make, in order.
    bool upToDate(const std::string& name, const std::string& inputHash,
                  const std::string& passwordTag, const std::vector<std::string>& expectedFiles,
                  std::vector<OutputFile>& outputs) const;
    // Records that `name` has no outputs any more (they were removed).
    void forget(const std::string& name);
    // Records the outputs of `name`, now in place. An entry that cannot be written only costs
    // a re-render on --resume.
    void record(const std::string& name, const std::string& source, const std::string& inputHash,
                const std::string& passwordTag, const std::vector<OutputFile>& outputs);
    // Flushes the log to disk and closes it for appending.
    Status close();
    // Removes temporaries a hard-killed run left in the output and manifest folders.
    void cleanStaleTemporaries() const;

private:
    struct Entry {
        std::uint64_t hash;    // FNV-1a of the name
        std::uint64_t offset;  // of the name's latest line in the log
    };
    std::string logPath() const;
    Status loadIndex();
    void indexLine(std::string_view line, std::uint64_t offset);
    std::optional<Json> entryOf(const std::string& name) const;
    void append(const Json& line);

    std::string m_outDir;
    std::string m_dir;
    std::string m_optionsKey;
    int m_readFd = -1;
    int m_appendFd = -1;
    std::vector<Entry> m_index;  // sorted by hash, one per name (read-only after open)
    std::size_t m_lines = 0;     // lines in the log at open, for compaction
    std::mutex m_mu;             // one appender at a time
};

// A key derived from the password with scrypt, salted with a random value kept in the
// manifest folder (created on first use, owner-only) so that every output folder differs.
Result<std::string> derivePasswordKey(const std::string& password, const std::string& manifestDir);

// HMAC-SHA-256 of `data` under `key`, as hex.
std::string hmacHex(const std::string& key, const std::string& data);

}  // namespace lecert
