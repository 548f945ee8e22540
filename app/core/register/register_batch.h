// SPDX-License-Identifier: MIT
#pragma once
// `lecert batch --from-register`: the register hands its records to the batch as a stream of
// JSON lines (the format the batch's RecordReader reads), and the batch's report is written
// back as what was produced from which record version (`batch_outputs`: status, file names,
// SHA-256, sizes — never field values).
//
// The lines go to a private file (0600, in a fresh 0700 folder under $TMPDIR) that exists only
// while the batch runs: remove() it when done (the destructor does too).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/register/register.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

struct RegisterBatchSelection {
    RegisterQueue queue = RegisterQueue::Approved;
    std::optional<int> year;  // only requests received in this year
    Date today;               // for the date-dependent queues (expiring, overdue)
    std::size_t limit = 1000000;
};

struct RegisterBatchEntry {
    std::int64_t requestId = 0;
    int version = 0;
};

class RegisterBatchInput {
public:
    RegisterBatchInput() = default;
    ~RegisterBatchInput() { remove(); }
    RegisterBatchInput(const RegisterBatchInput&) = delete;
    RegisterBatchInput& operator=(const RegisterBatchInput&) = delete;
    RegisterBatchInput(RegisterBatchInput&& o) noexcept;
    RegisterBatchInput& operator=(RegisterBatchInput&&) = delete;

    const std::string& path() const { return m_path; }  // the JSON-lines file
    // Line i (0-based, the report's "index") is entries()[i].
    const std::vector<RegisterBatchEntry>& entries() const { return m_entries; }
    // Deletes the file and its folder (idempotent).
    void remove();

    // Writes the latest record of every selected request with a record.
    static Result<RegisterBatchInput> write(Register& reg, const RegisterBatchSelection& sel);

private:
    std::string m_dir, m_path;
    std::vector<RegisterBatchEntry> m_entries;
};

struct RegisterWriteBack {
    long recorded = 0;  // report lines recorded in the register
    long failed = 0;    // lines the register refused (messages in `problems`)
    std::vector<std::string> problems;
};

// Reads the batch report at `reportPath` and records each line's outcome for its request.
Result<RegisterWriteBack> recordBatchReport(Register& reg, const RegisterBatchInput& input,
                                            const std::string& reportPath);

}  // namespace lecert
