// SPDX-License-Identifier: MIT
#include "core/jobs/output_guard.h"

#include <filesystem>
#include <fstream>

#include "core/pdf/pdf_io.h"
#include "core/util/json_io.h"

namespace lecert {

namespace fs = std::filesystem;

bool samePath(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    std::error_code ec;
    const fs::path na = fs::absolute(a, ec).lexically_normal();
    const fs::path nb = fs::absolute(b, ec).lexically_normal();
    if (na == nb) return true;
    const bool ea = fs::exists(a, ec), eb = fs::exists(b, ec);
    if (ea && eb) {
        const bool eq = fs::equivalent(a, b, ec);
        if (!ec) return eq;
    }
    // One exists and the other does not: not the same file. Neither exists: the same file
    // only if their folders resolve alike and the names match, so the names are compared
    // first (resolving folders costs a system call per path component, for every output of a
    // batch).
    if (ea != eb || na.filename() != nb.filename()) return false;
    const fs::path pa = fs::weakly_canonical(na, ec);
    const fs::path pb = fs::weakly_canonical(nb, ec);
    return pa.lexically_normal() == pb.lexically_normal();
}

namespace {

// The first `n` bytes of a file (fewer when it is shorter).
std::string head(const std::string& path, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string buf(n, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(n));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    return buf;
}

bool isLecertReport(const std::string& path) {
    const std::string h = head(path, 16);
    return h.empty() || h.rfind("{\"source\":", 0) == 0;
}

}  // namespace

bool isLecertPdf(const std::string& path) {
    if (head(path, 5) != "%PDF-") return false;
    auto bytes = readFile(path);
    if (!bytes) return false;
    if (pdf::isEncrypted(*bytes)) return true;
    // Older files have a literal /Producer; lecert writes every text string as hex now.
    return bytes->find("/Producer (lecert") != std::string::npos ||
           bytes->find("/Producer <6C6563657274") != std::string::npos ||
           bytes->find("/Producer <FEFF006C0065006300650072007") != std::string::npos;
}

Status checkOutputTarget(const std::string& target, OutputKind kind,
                         const std::vector<std::string>& protectedPaths, bool force) {
    for (const auto& p : protectedPaths) {
        if (samePath(target, p)) {
            return Error{
                "this output is also an input of the run (" + p + "); refusing to overwrite it",
                {target, 0, 0, {}}};
        }
    }
    std::error_code ec;
    const auto st = fs::status(target, ec);
    if (ec || !fs::exists(st)) return Ok{};
    if (fs::is_directory(st))
        return Error{"is a folder; expected a file to write", {target, 0, 0, {}}};
    if (force) return Ok{};
    const bool ours = kind == OutputKind::Pdf ? isLecertPdf(target) : isLecertReport(target);
    if (!ours) {
        return Error{std::string("exists and is not ") +
                         (kind == OutputKind::Pdf ? "a PDF written by lecert"
                                                  : "a report written by lecert batch") +
                         "; refusing to overwrite it (use --force to replace it)",
                     {target, 0, 0, {}}};
    }
    return Ok{};
}

}  // namespace lecert
