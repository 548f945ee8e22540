// SPDX-License-Identifier: MIT
// The register as a batch input and the batch report written back (see register_batch.h).
#include "core/register/register_batch.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/util/json_io.h"

namespace lecert {

namespace {

Error batchError(std::string message) {
    Error e;
    e.message = "register batch: " + std::move(message);
    return e;
}

bool writeAll(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

RegisterBatchInput::RegisterBatchInput(RegisterBatchInput&& o) noexcept
    : m_dir(std::move(o.m_dir)), m_path(std::move(o.m_path)), m_entries(std::move(o.m_entries)) {
    o.m_dir.clear();
    o.m_path.clear();
}

void RegisterBatchInput::remove() {
    if (!m_path.empty()) ::unlink(m_path.c_str());
    if (!m_dir.empty()) ::rmdir(m_dir.c_str());
    m_path.clear();
    m_dir.clear();
}

Result<RegisterBatchInput> RegisterBatchInput::write(Register& reg,
                                                     const RegisterBatchSelection& sel) {
    auto list = reg.queue(sel.queue, sel.today, sel.limit);
    if (!list) return list.error();
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/lecert-register-XXXXXX";
    if (!::mkdtemp(dir.data())) return batchError("cannot create a private temporary folder");
    RegisterBatchInput in;
    in.m_dir = dir;
    in.m_path = dir + "/register.jsonl";
    const int fd = ::open(in.m_path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return batchError(std::string("cannot create the record stream: ") + std::strerror(errno));
    bool ok = true;
    for (const auto& s : *list) {
        if (s.version == 0) continue;  // no record yet
        if (sel.year && s.received.year != *sel.year) continue;
        auto rec = reg.record(s.id, s.version);
        if (!rec) {
            ::close(fd);
            return rec.error();
        }
        ok = ok && writeAll(fd, dumpCanonical(rec->record) + "\n");
        in.m_entries.push_back({s.id, rec->version});
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok) return batchError("cannot write the record stream");
    return in;
}

// One report line: {"index", "status", "outputs": [{"path","sha256","bytes"}], ...}.
Result<RegisterWriteBack> recordBatchReport(Register& reg, const RegisterBatchInput& input,
                                            const std::string& reportPath) {
    std::ifstream in(reportPath, std::ios::binary);
    if (!in) return batchError("cannot read the batch report " + reportPath);
    RegisterWriteBack out;
    std::string text;
    long lineNo = 0;
    while (std::getline(in, text)) {
        ++lineNo;
        auto line = parseJson(text, reportPath);
        if (!line || !line->is_object() || !line->contains("index") ||
            !(*line)["index"].is_number_unsigned()) {
            ++out.failed;
            out.problems.push_back("report line " + std::to_string(lineNo) + ": not a record line");
            continue;
        }
        const auto index = (*line)["index"].get<std::size_t>();
        if (index >= input.entries().size()) {
            ++out.failed;
            out.problems.push_back("report line " + std::to_string(lineNo) +
                                   ": no such record in the stream");
            continue;
        }
        const RegisterBatchEntry& e = input.entries()[index];
        Json files = Json::array();
        if (const auto it = line->find("outputs"); it != line->end() && it->is_array()) {
            for (const auto& o : *it) {
                const std::string path = o.value("path", "");
                files.push_back({{"file", std::filesystem::path(path).filename().string()},
                                 {"sha256", o.value("sha256", "")},
                                 {"bytes", o.value("bytes", 0)}});
            }
        }
        Status s =
            reg.recordOutputs(e.requestId, e.version, line->value("status", "error"), files.dump());
        if (!s) {
            ++out.failed;
            out.problems.push_back("request " + std::to_string(e.requestId) + ": " +
                                   s.error().message);
            if (isConnectionLost(s.error())) return s.error();
            continue;
        }
        ++out.recorded;
    }
    return out;
}

}  // namespace lecert
