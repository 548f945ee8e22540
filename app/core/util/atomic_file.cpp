// SPDX-License-Identifier: MIT
#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace lecert {

namespace fs = std::filesystem;

namespace {

// Six characters for the temporary's name. Per thread, so workers never share a generator.
std::string randomSuffix() {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 gen{std::random_device{}()};
    std::string s(6, 'A');
    std::uint64_t r = gen();
    for (char& c : s) {
        c = kChars[r % 62];
        r /= 62;
    }
    return s;
}

Error fileError(const std::string& path, const char* what, int err) {
    return Error{std::string(what) + ": " + std::strerror(err), {path, 0, 0, {}}};
}

}  // namespace

Result<TempFile> createTempBeside(const std::string& target, unsigned mode) {
    const fs::path t(target);
    fs::path dir = t.parent_path();
    if (dir.empty()) dir = ".";
    // Built with append, not "." + name: GCC 12 -O3 gives a false -Wrestrict on the latter.
    std::string prefix(".");
    prefix.append(t.filename().string()).append(".tmp-");
    const std::string base = (dir / prefix).string();
    // The mode is given at creation (no fchmod afterwards); O_EXCL makes a name taken by
    // anyone else, or a planted link, a retry rather than a shared file.
    for (int attempt = 0; attempt < 100; ++attempt) {
        TempFile f;
        f.path = base + randomSuffix();
        f.fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                      static_cast<mode_t>(mode));
        if (f.fd >= 0) return f;
        if (errno != EEXIST && errno != EINTR) break;
    }
    return Error{
        std::string("cannot create a file in ") + dir.string() + ": " + std::strerror(errno),
        {target, 0, 0, {}}};
}

bool isTempNameFor(std::string_view n, std::string_view suffix) {
    constexpr std::size_t kTail = 11;  // ".tmp-" + six characters
    if (n.size() < 2 + suffix.size() + kTail || n[0] != '.') return false;
    if (n.compare(n.size() - kTail, 5, ".tmp-") != 0) return false;
    const std::string_view inner = n.substr(1, n.size() - 1 - kTail);
    return inner.size() > suffix.size() &&
           inner.compare(inner.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status writeFileAtomic(const std::string& path, std::string_view data, unsigned mode,
                       Durability durability) {
    auto tmp = createTempBeside(path, mode);
    if (!tmp) return tmp.error();
    const int fd = tmp->fd;
    auto fail = [&](const char* what) -> Status {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp->path.c_str());
        return fileError(path, what, err);
    };
    for (std::size_t off = 0; off < data.size();) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("write failed");
        }
        off += static_cast<std::size_t>(n);
    }
    if (durability == Durability::Fsync && ::fsync(fd) != 0) return fail("fsync failed");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp->path.c_str());
        return fileError(path, "close failed", err);
    }
    if (::rename(tmp->path.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp->path.c_str());
        return fileError(path, "cannot rename into place", err);
    }
    return Ok{};
}

}  // namespace lecert
