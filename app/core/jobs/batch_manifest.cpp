// SPDX-License-Identifier: MIT
#include "core/jobs/batch_manifest.h"
#include "core/util/libcrypto.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/lecert.h"
#include "core/util/atomic_file.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

namespace lecert {

namespace fs = std::filesystem;

namespace {

// A log line longer than this is not ours (a record's line is a few hundred bytes).
constexpr std::size_t kMaxLine = 64u * 1024u;
// The top bit of an index offset marks a name whose latest line forgets it.
constexpr std::uint64_t kForgotten = 1ull << 63;

std::uint64_t nameHash(std::string_view name) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

// The name of a log line: every line starts with {"name":"<name>", and names are file-name safe
// (no quote, no backslash), so it is found without parsing the line.
std::string_view lineName(std::string_view line) {
    constexpr std::string_view kHead = "{\"name\":\"";
    if (line.substr(0, kHead.size()) != kHead) return {};
    const std::size_t end = line.find('"', kHead.size());
    return end == std::string_view::npos ? std::string_view()
                                         : line.substr(kHead.size(), end - kHead.size());
}

bool writeAll(int fd, std::string_view data) {
    for (std::size_t off = 0; off < data.size();) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        off += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

// The scrypt cost: about 0.1 s and 32 MiB once per run, so that a guess at the password from a
// stolen output folder costs the same (the old unsalted SHA-256 tag allowed ~270k guesses/s).
constexpr std::uint64_t kScryptN = 1u << 15, kScryptR = 8, kScryptP = 1;

Result<std::string> derivePasswordKey(const std::string& password, const std::string& manifestDir) {
    const std::string saltPath = (fs::path(manifestDir) / "password-salt").string();
    std::string salt;
    if (auto text = readFile(saltPath, 1024); text && text->size() >= 32) {
        salt = text->substr(0, 32);
    } else {
        unsigned char raw[16];
        if (crypto::lib().RAND_bytes(raw, sizeof raw) != 1)
            return Error{"no secure random source for the password salt", {saltPath, 0, 0, {}}};
        static const char* hex = "0123456789abcdef";
        for (unsigned char c : raw) {
            salt += hex[c >> 4];
            salt += hex[c & 15];
        }
        if (auto st = writeFileAtomic(saltPath, salt + "\n", 0600); !st) return st.error();
    }
    std::string key(32, '\0');
    if (crypto::lib().EVP_PBE_scrypt(password.data(), password.size(),
                                     reinterpret_cast<const unsigned char*>(salt.data()),
                                     salt.size(), kScryptN, kScryptR, kScryptP, 64u * 1024u * 1024u,
                                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1)
        return Error{"cannot derive the password key (scrypt)", {saltPath, 0, 0, {}}};
    return key;
}

std::string hmacHex(const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    crypto::lib().HMAC(crypto::lib().EVP_sha256(), key.data(), static_cast<int>(key.size()),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned int i = 0; i < len; ++i) {
        s += hex[out[i] >> 4];
        s += hex[out[i] & 15];
    }
    return s;
}

BatchManifests::BatchManifests(std::string outDir, std::string manifestDir, std::string optionsKey)
    : m_outDir(std::move(outDir)),
      m_dir(std::move(manifestDir)),
      m_optionsKey(std::move(optionsKey)) {}

BatchManifests::~BatchManifests() {
    if (m_readFd >= 0) ::close(m_readFd);
    if (m_appendFd >= 0) ::close(m_appendFd);
}

std::string BatchManifests::logPath() const {
    return (fs::path(m_dir) / kLogName).string();
}

Status BatchManifests::open() {
    const std::string path = logPath();
    m_appendFd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (m_appendFd < 0)
        return Error{std::string("cannot open the resume log: ") + std::strerror(errno),
                     {path, 0, 0, {}}};
    m_readFd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_readFd < 0)
        return Error{std::string("cannot read the resume log: ") + std::strerror(errno),
                     {path, 0, 0, {}}};
    return loadIndex();
}

// One pass over the log: the offset of the latest line of every name. A line cut short by a
// crash is not a record (it fails to parse when looked up); the next append starts a new line.
Status BatchManifests::loadIndex() {
    std::string buf(1u << 16, '\0');
    std::string line;
    std::uint64_t pos = 0, lineStart = 0;
    char last = '\n';
    for (;;) {
        const ssize_t n = ::pread(m_readFd, buf.data(), buf.size(), static_cast<off_t>(pos));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return Error{std::string("cannot read the resume log: ") + std::strerror(errno),
                         {logPath(), 0, 0, {}}};
        if (n == 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            const char c = buf[static_cast<std::size_t>(i)];
            if (c == '\n') {
                indexLine(line, lineStart);
                line.clear();
                lineStart = pos + static_cast<std::uint64_t>(i) + 1;
            } else if (line.size() <= kMaxLine) {
                line += c;
            }
        }
        last = buf[static_cast<std::size_t>(n - 1)];
        pos += static_cast<std::uint64_t>(n);
    }
    if (!line.empty()) ++m_lines;  // a torn last line: counted, never an entry
    if (last != '\n' && !writeAll(m_appendFd, "\n"))
        return Error{std::string("cannot write the resume log: ") + std::strerror(errno),
                     {logPath(), 0, 0, {}}};
    // Latest line per name: sorted by (hash, offset), the last of each run of equal hashes.
    std::sort(m_index.begin(), m_index.end(), [](const Entry& a, const Entry& b) {
        return a.hash != b.hash ? a.hash < b.hash
                                : (a.offset & ~kForgotten) < (b.offset & ~kForgotten);
    });
    std::size_t out = 0;
    for (std::size_t i = 0; i < m_index.size(); ++i) {
        if (i + 1 < m_index.size() && m_index[i + 1].hash == m_index[i].hash) continue;
        if (m_index[i].offset & kForgotten) continue;
        m_index[out++] = m_index[i];
    }
    m_index.resize(out);
    m_index.shrink_to_fit();
    return Ok{};
}

void BatchManifests::indexLine(std::string_view line, std::uint64_t offset) {
    ++m_lines;
    const std::string_view name = lineName(line);
    if (name.empty()) return;
    const bool forgotten = line.find("\"forget\":true") != std::string_view::npos;
    m_index.push_back({nameHash(name), offset | (forgotten ? kForgotten : 0)});
}

// The latest log line of `name`, parsed; nothing when there is none or it does not parse.
std::optional<Json> BatchManifests::entryOf(const std::string& name) const {
    const std::uint64_t h = nameHash(name);
    auto it = std::lower_bound(m_index.begin(), m_index.end(), h,
                               [](const Entry& e, std::uint64_t key) { return e.hash < key; });
    if (it == m_index.end() || it->hash != h) return std::nullopt;
    std::string line;
    char buf[4096];
    for (auto pos = static_cast<off_t>(it->offset); line.size() <= kMaxLine;) {
        const ssize_t n = ::pread(m_readFd, buf, sizeof buf, pos);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;  // no newline: the torn last line of a crash
        const auto* nl =
            static_cast<const char*>(std::memchr(buf, '\n', static_cast<std::size_t>(n)));
        line.append(buf, nl ? static_cast<std::size_t>(nl - buf) : static_cast<std::size_t>(n));
        if (nl) break;
        pos += n;
    }
    if (lineName(line) != name) return std::nullopt;  // a 64-bit hash collision
    auto j = parseJson(line, logPath());
    if (!j || !j->is_object()) return std::nullopt;
    return std::move(*j);
}

std::vector<std::string> BatchManifests::filesOf(const std::string& name) const {
    std::vector<std::string> out;
    const auto j = entryOf(name);
    if (!j || !j->contains("outputs") || !(*j)["outputs"].is_array()) return out;
    for (const auto& o : (*j)["outputs"]) {
        if (o.is_object() && o.contains("file") && o["file"].is_string())
            out.push_back(o["file"].get<std::string>());
    }
    return out;
}

bool BatchManifests::upToDate(const std::string& name, const std::string& inputHash,
                              const std::string& passwordTag,
                              const std::vector<std::string>& expectedFiles,
                              std::vector<OutputFile>& outputs) const {
    const auto j = entryOf(name);
    if (!j) return false;
    const Json& m = *j;
    auto str = [&](const char* key) {
        auto it = m.find(key);
        return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (str("lecert") != version() || str("input_sha256") != inputHash ||
        str("options") != m_optionsKey || str("password_tag") != passwordTag)
        return false;
    auto outs = m.find("outputs");
    if (outs == m.end() || !outs->is_array() || outs->size() != expectedFiles.size()) return false;
    std::vector<OutputFile> found;
    for (std::size_t i = 0; i < outs->size(); ++i) {
        const Json& o = (*outs)[i];
        // The entry must name exactly the outputs these options produce, and nothing outside.
        if (!o.is_object() || !o.contains("file") || !o["file"].is_string() ||
            o["file"].get<std::string>() != expectedFiles[i] || !o.contains("sha256"))
            return false;
        OutputFile f{expectedFiles[i],
                     o["sha256"].is_string() ? o["sha256"].get<std::string>() : "", 0};
        auto bytes = readFile((fs::path(m_outDir) / f.file).string());
        if (!bytes || sha256Hex(*bytes) != f.sha256) return false;
        f.bytes = bytes->size();
        found.push_back(std::move(f));
    }
    outputs = std::move(found);
    return true;
}

void BatchManifests::append(const Json& line) {
    std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
    text += '\n';
    // One write per line on an O_APPEND descriptor: lines from several workers never interleave.
    std::lock_guard lock(m_mu);
    (void)writeAll(m_appendFd, text);
}

void BatchManifests::forget(const std::string& name) {
    Json line = Json::object();
    line["name"] = name;
    line["forget"] = true;
    append(line);
}

void BatchManifests::record(const std::string& name, const std::string& source,
                            const std::string& inputHash, const std::string& passwordTag,
                            const std::vector<OutputFile>& outputs) {
    Json line = Json::object();
    line["name"] = name;  // first: the index finds it without parsing
    line["lecert"] = version();
    line["source"] = source;
    line["input_sha256"] = inputHash;
    line["options"] = m_optionsKey;
    line["password_tag"] = passwordTag;
    if (!passwordTag.empty()) line["password_kdf"] = "scrypt-hmac-sha256";
    Json outs = Json::array();
    for (const auto& o : outputs)
        outs.push_back(Json{{"file", o.file}, {"sha256", o.sha256}, {"bytes", o.bytes}});
    line["outputs"] = std::move(outs);
    append(line);
}

Status BatchManifests::close() {
    if (m_appendFd < 0) return Ok{};
    const bool ok = ::fdatasync(m_appendFd) == 0;
    const int err = errno;
    ::close(m_appendFd);
    m_appendFd = -1;
    if (!ok)
        return Error{std::string("cannot flush the resume log: ") + std::strerror(err),
                     {logPath(), 0, 0, {}}};
    return Ok{};
}

void BatchManifests::cleanStaleTemporaries() const {
    // Temporaries of writeFileAtomic (".<name>.tmp-XXXXXX") can stay after a hard kill; the
    // manifest folder held one temporary per record before the log.
    for (const std::string& dir : {m_outDir, m_dir}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            const std::string n = e.path().filename().string();
            const bool ours =
                isTempNameFor(n, ".pdf") || (dir == m_dir && isTempNameFor(n, ".json"));
            if (ours && e.is_regular_file(ec)) fs::remove(e.path(), ec);
        }
    }
}

}  // namespace lecert
