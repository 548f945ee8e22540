// SPDX-License-Identifier: MIT
#pragma once
// `lecert batch --from-register LOCATION [--queue Q] [--year Y]`: the register's side of the
// batch, kept out of cmd_batch.cpp except for three calls. Before the job, the selected
// records become one more input (a private JSON-lines file, removed afterwards) and a report
// is made sure of; after it, the report is written back to the register (batch_outputs).

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/jobs/batch_job.h"
#include "core/register/register_batch.h"

namespace lecert::cli {

class RegisterBatchHook {
public:
    // Adds --from-register, --queue and --year to `batch`.
    void addOptions(CLI::App* cmd);
    // Before the job: false (with exitCode set and a message printed) when it cannot run.
    // Also refuses a batch with neither INPUT nor --from-register.
    bool prepare(BatchOptions& options, int& exitCode);
    // After the job: records the report in the register; raises exitCode to 2 on failure.
    void finish(const BatchSummary& summary, int& exitCode);

private:
    std::string m_location, m_queue = "approved", m_today;
    int m_year = 0;
    std::string m_report;        // where the batch writes its report
    std::string m_ownReportDir;  // a private folder for the report when none was asked for
    std::unique_ptr<Register> m_register;
    std::optional<RegisterBatchInput> m_input;
};

}  // namespace lecert::cli
