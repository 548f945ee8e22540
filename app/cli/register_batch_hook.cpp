// SPDX-License-Identifier: MIT
#include "cli/register_batch_hook.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace lecert::cli {

void RegisterBatchHook::addOptions(CLI::App* cmd) {
    cmd->add_option("--from-register", m_location,
                    "Read the records from this register (SQLite file or postgresql://…) and "
                    "record what was produced for each record version");
    cmd->add_option("--queue", m_queue,
                    "With --from-register: the queue to take (" + queueNames() + "; approved)");
    cmd->add_option("--year", m_year, "With --from-register: only requests received in YEAR");
}

bool RegisterBatchHook::prepare(BatchOptions& b, int& exitCode) {
    if (m_location.empty()) {
        if (m_year != 0 || m_queue != "approved") {
            std::cerr << "lecert batch: --queue and --year need --from-register\n";
            exitCode = 2;
            return false;
        }
        if (b.inputs.empty()) {
            std::cerr << "lecert batch: give INPUT files or folders, or --from-register\n";
            exitCode = 2;
            return false;
        }
        return true;
    }
    auto q = queueFromString(m_queue);
    if (!q) {
        std::cerr << "lecert batch: --queue: expected one of " << queueNames() << "\n";
        exitCode = 2;
        return false;
    }
    const char* user = std::getenv("LECERT_USER");
    auto reg = Register::open(m_location, RegisterOptions{user ? user : ""});
    if (!reg) {
        std::cerr << "lecert batch: " << reg.error().toString() << "\n";
        exitCode = 2;
        return false;
    }
    m_register = std::move(*reg);
    RegisterBatchSelection sel;
    sel.queue = *q;
    if (m_year > 0) sel.year = m_year;
    sel.today = b.render.today.value_or(Date::today());
    auto in = RegisterBatchInput::write(*m_register, sel);
    if (!in) {
        std::cerr << "lecert batch: " << in.error().toString() << "\n";
        exitCode = isPermissionDenied(in.error()) ? 1 : 2;
        return false;
    }
    std::cerr << "register: " << in->entries().size() << " record(s) from the " << m_queue
              << " queue\n";
    b.inputs.push_back(in->path());
    m_input.emplace(std::move(*in));
    if (b.reportPath.empty()) {
        // The write-back reads the report; without one asked for, it goes to a private folder.
        const char* tmp = std::getenv("TMPDIR");
        std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/lecert-report-XXXXXX";
        if (!::mkdtemp(dir.data())) {
            std::cerr << "lecert batch: cannot create a private temporary folder\n";
            exitCode = 2;
            return false;
        }
        m_ownReportDir = dir;
        b.reportPath = dir + "/report.jsonl";
    }
    m_report = b.reportPath;
    return true;
}

void RegisterBatchHook::finish(const BatchSummary& s, int& exitCode) {
    if (!m_register || !m_input) return;
    if (!s.fatal) {
        auto back = recordBatchReport(*m_register, *m_input, m_report);
        if (!back) {
            std::cerr << "lecert batch: register: " << back.error().toString() << "\n";
            exitCode = 2;
        } else {
            for (const auto& p : back->problems)
                std::cerr << "lecert batch: register: " << p << "\n";
            std::cerr << "register: " << back->recorded << " result(s) recorded";
            if (back->failed) std::cerr << ", " << back->failed << " not recorded";
            std::cerr << "\n";
            if (back->failed) exitCode = 2;
        }
    }
    m_input->remove();
    if (!m_ownReportDir.empty()) {
        ::unlink(m_report.c_str());
        ::rmdir(m_ownReportDir.c_str());
    }
}

}  // namespace lecert::cli
