// SPDX-License-Identifier: MIT
#pragma once
// The resume manifests of a batch (OUTDIR/.lecert-batch): what each output name was made from
// (the record text's SHA-256, the options that change the bytes, a salted tag of the password,
// the lecert version) and the SHA-256 of each output, so that --resume skips a record only
// when all of it still matches the files on disk. Safe to call from several worker threads
// for different names.

#include <cstddef>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace lecert {

// An output recorded in a manifest / a report line.
struct OutputFile {
    std::string file;  // name inside the output folder
    std::string sha256;
    std::size_t bytes = 0;
};

class BatchManifests {
public:
    // `optionsKey`: canonical JSON of the output-affecting options, minus the password.
    BatchManifests(std::string outDir, std::string manifestDir, std::string optionsKey);

    // The output files an earlier run recorded for `name` (empty when none): lecert wrote
    // them, so they may be replaced without --force.
    std::vector<std::string> filesOf(const std::string& name) const;
    // True when the manifest of `name` matches the record and the options and every output it
    // lists is on disk with its recorded SHA-256; then `outputs` holds them. `expectedFiles`:
    // the output files these options make, in order.
    bool upToDate(const std::string& name, const std::string& inputHash,
                  const std::string& passwordTag, const std::vector<std::string>& expectedFiles,
                  std::vector<OutputFile>& outputs) const;
    // Drops the manifest of `name`: before its outputs are replaced (a stale manifest must
    // never vouch for new outputs if the run stops half-way) or after they were removed.
    void forget(const std::string& name);
    // Records the outputs of `name`, now in place. A manifest that cannot be written only
    // costs a re-render on --resume.
    void record(const std::string& name, const std::string& source, const std::string& inputHash,
                const std::string& passwordTag, const std::vector<OutputFile>& outputs);
    // Removes temporaries a hard-killed run left in the output and manifest folders.
    void cleanStaleTemporaries() const;

private:
    std::string pathOf(const std::string& name) const;

    std::string m_outDir;
    std::string m_dir;
    std::string m_optionsKey;
};

// A key derived from the password with scrypt, salted with a random value kept in the
// manifest folder (created on first use, owner-only) so that every output folder differs.
Result<std::string> derivePasswordKey(const std::string& password, const std::string& manifestDir);

// HMAC-SHA-256 of `data` under `key`, as hex.
std::string hmacHex(const std::string& key, const std::string& data);

}  // namespace lecert
