// SPDX-License-Identifier: MIT
// The offline local copy and its sync (see local_copy.h).
#include "core/register/local_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>

#include "core/register/sql_connection.h"

namespace lecert {

namespace {

constexpr std::string_view kLocalSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  request_id INTEGER PRIMARY KEY,
  base_version INTEGER NOT NULL,
  form TEXT NOT NULL,
  record TEXT NOT NULL,
  checked_out_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ops (
  seq INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES items(request_id),
  kind TEXT NOT NULL CHECK (kind IN ('edit','submitted','returned','approved')),
  note TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  client_op TEXT NOT NULL UNIQUE,
  made_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending','synced','conflict','refused','blocked')),
  message TEXT NOT NULL DEFAULT '',
  synced_version INTEGER NOT NULL DEFAULT 0
);
)sql";

Error localError(std::string message, const std::string& path = {}) {
    Error e;
    e.message = "local copy: " + std::move(message);
    e.where.file = path;
    return e;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// 128 random bits: the operation's id in the register (unique across desks).
std::string newClientOp() {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 4; ++i) {
        const unsigned v = rd();
        for (int s = 28; s >= 0; s -= 4) out += hex[(v >> s) & 0xF];
    }
    return out;
}

// Creates the file owner-only if missing, then insists nobody else may read or write it:
// the copy holds victim data.
Status ownerOnly(const std::string& path, bool create) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (create && !fs::exists(path, ec)) {
        const fs::path dir = fs::path(path).parent_path();
        if (!dir.empty() && !fs::exists(dir, ec)) {
            fs::create_directories(dir, ec);
            if (ec) return localError("cannot create its folder: " + ec.message(), path);
            fs::permissions(dir, fs::perms::owner_all, ec);
        }
        const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return localError(std::string("cannot create it: ") + std::strerror(errno), path);
        if (fd >= 0) ::close(fd);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return localError(create ? "cannot create it"
                                 : "there is none (check requests out first: `lecert register "
                                   "checkout ID`)",
                          path);
    if (st.st_uid != ::geteuid())
        return localError("it belongs to another account; a local copy is per user", path);
    if ((st.st_mode & 077) != 0)
        return localError("others may read or write it (mode " +
                              std::to_string((st.st_mode >> 6) & 7) +
                              std::to_string((st.st_mode >> 3) & 7) +
                              std::to_string(st.st_mode & 7) + "); run chmod 600 on it",
                          path);
    return Ok{};
}

}  // namespace

LocalCopy::LocalCopy(std::unique_ptr<reg::SqlConnection> db) : m_db(std::move(db)) {}
LocalCopy::~LocalCopy() = default;

std::string LocalCopy::defaultPath(const std::string& user) {
    if (const char* p = std::getenv("LECERT_LOCAL_COPY"); p && *p) return p;
    std::string base;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
        base = x;
    else if (const char* h = std::getenv("HOME"); h && *h)
        base = std::string(h) + "/.local/share";
    else
        base = ".";
    return base + "/lecert/offline-" + (user.empty() ? "user" : user) + ".db";
}

Result<std::unique_ptr<LocalCopy>> LocalCopy::open(const std::string& path, const std::string& user,
                                                   bool create) {
    if (Status s = ownerOnly(path, create); !s) return s.error();
    auto conn = reg::openSqlite(path, false);
    if (!conn) return conn.error();
    if (Status s = (*conn)->script(kLocalSchema); !s) return s.error();
    auto who = (*conn)->query("SELECT value FROM meta WHERE key = 'user'");
    if (!who) return who.error();
    if (user.empty()) {
        // Offline commands: the file's owner-only mode is the guard; sync checks the user.
    } else if (who->empty()) {
        Status s = (*conn)->exec("INSERT INTO meta (key, value) VALUES ('user', ?)", {user});
        if (!s) return s.error();
    } else if ((*who)[0][0].value_or("") != user) {
        return localError(
            "it was made for user '" + (*who)[0][0].value_or("") + "', not for '" + user + "'",
            path);
    }
    return std::unique_ptr<LocalCopy>(new LocalCopy(std::move(*conn)));
}

Status LocalCopy::checkout(Register& reg, std::int64_t id) {
    auto open = m_db->query("SELECT count(*) FROM ops WHERE request_id = ? AND state = 'pending'",
                            {std::to_string(id)});
    if (!open) return open.error();
    if ((*open)[0][0].value_or("0") != "0")
        return localError("request " + std::to_string(id) +
                          " has offline changes not synced yet; run `lecert register sync` first");
    auto rec = reg.record(id);
    if (!rec) return rec.error();
    return m_db->exec(
        "INSERT INTO items (request_id, base_version, form, record, checked_out_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET "
        "base_version = excluded.base_version, form = excluded.form, record = excluded.record, "
        "checked_out_at = excluded.checked_out_at",
        {std::to_string(id), std::to_string(rec->version), rec->record.value("form", ""),
         dumpCanonical(rec->record), utcNow()});
}

Result<std::vector<LocalItem>> LocalCopy::items() {
    auto rows = m_db->query(
        "SELECT i.request_id, i.base_version, i.form, i.record, i.checked_out_at, "
        "(SELECT count(*) FROM ops o WHERE o.request_id = i.request_id AND o.state = 'pending') "
        "FROM items i ORDER BY i.request_id");
    if (!rows) return rows.error();
    std::vector<LocalItem> out;
    for (const auto& r : *rows) {
        auto json = parseJson(r[3].value_or("{}"), "local copy");
        if (!json) return json.error();
        out.push_back({std::stoll(r[0].value_or("0")), std::stoi(r[1].value_or("0")),
                       r[2].value_or(""), std::move(*json), r[4].value_or(""),
                       std::stoi(r[5].value_or("0"))});
    }
    return out;
}

Result<LocalItem> LocalCopy::item(std::int64_t id) {
    auto all = items();
    if (!all) return all.error();
    for (auto& i : *all)
        if (i.requestId == id) return std::move(i);
    return localError("request " + std::to_string(id) +
                      " is not checked out (`lecert register checkout " + std::to_string(id) +
                      "` while connected)");
}

Status LocalCopy::addOp(std::int64_t id, const std::string& kind, const std::string& note,
                        const std::string& payload) {
    return m_db->exec(
        "INSERT INTO ops (request_id, kind, note, payload, client_op, made_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {std::to_string(id), kind, note, payload, newClientOp(), utcNow()});
}

Status LocalCopy::saveEdit(std::int64_t id, const Json& record) {
    auto it = item(id);
    if (!it) return it.error();
    if (!record.is_object()) return localError("a record must be a JSON object");
    if (record.value("form", "") != it->form)
        return localError("the record's form differs from the request's form");
    reg::Transaction tx(*m_db);
    if (Status b = tx.begin(); !b) return b;
    const std::string text = dumpCanonical(record);
    // Successive edits with no action between them are one change: the latest record.
    auto last = m_db->query(
        "SELECT seq, kind, state FROM ops WHERE request_id = ? ORDER BY seq "
        "DESC LIMIT 1",
        {std::to_string(id)});
    if (!last) return last.error();
    Status s = !last->empty() && (*last)[0][1] == "edit" && (*last)[0][2] == "pending"
                   ? m_db->exec("UPDATE ops SET payload = ?, made_at = ? WHERE seq = ?",
                                {text, utcNow(), (*last)[0][0]})
                   : addOp(id, "edit", "", text);
    if (!s) return s;
    s = m_db->exec("UPDATE items SET record = ? WHERE request_id = ?", {text, std::to_string(id)});
    if (!s) return s;
    return tx.commit();
}

Status LocalCopy::addAction(std::int64_t id, const std::string& action, const std::string& note,
                            const std::vector<FieldComment>& comments) {
    if (action != "submitted" && action != "returned" && action != "approved")
        return localError("an offline action is submitted, returned or approved");
    auto it = item(id);
    if (!it) return it.error();
    Json list = Json::array();
    for (const auto& c : comments) list.push_back({{"field", c.field}, {"text", c.text}});
    return addOp(id, action, note, list.dump());
}

Result<std::vector<LocalOp>> LocalCopy::operations() {
    auto rows = m_db->query(
        "SELECT seq, request_id, kind, note, client_op, made_at, state, message, synced_version "
        "FROM ops ORDER BY seq");
    if (!rows) return rows.error();
    std::vector<LocalOp> out;
    for (const auto& r : *rows) {
        out.push_back({std::stoll(r[0].value_or("0")), std::stoll(r[1].value_or("0")),
                       r[2].value_or(""), r[3].value_or(""), r[4].value_or(""), r[5].value_or(""),
                       r[6].value_or(""), r[7].value_or(""), std::stoi(r[8].value_or("0"))});
    }
    return out;
}

Status LocalCopy::markOp(std::int64_t seq, const std::string& state, const std::string& message,
                         int version) {
    return m_db->exec("UPDATE ops SET state = ?, message = ?, synced_version = ? WHERE seq = ?",
                      {state, message, std::to_string(version), std::to_string(seq)});
}

Status LocalCopy::blockLater(std::int64_t id, std::int64_t seq, const std::string& why) {
    return m_db->exec(
        "UPDATE ops SET state = 'blocked', message = ? WHERE request_id = ? AND seq > ? AND "
        "state = 'pending'",
        {why, std::to_string(id), std::to_string(seq)});
}

}  // namespace lecert
