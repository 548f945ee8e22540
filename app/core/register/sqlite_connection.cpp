// SPDX-License-Identifier: MIT
// SQLite back end of SqlConnection: WAL (readers never wait for the writer, a crash loses no
// committed transaction), synchronous=FULL, a long busy timeout so 20 desks queue rather than
// fail, foreign keys on.
#include <dlfcn.h>
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>

#include "core/register/sql_connection.h"

namespace lecert::reg {

namespace {

// The SQLite functions the register uses, resolved once per process. libsqlite3 is opened with
// dlopen() on the first register, not linked: its 1,600 symbol bindings were resolved at every
// `lecert` start (validate, batch) that never opens a register. The header gives the types.
struct LibSqlite {
    decltype(&::sqlite3_bind_null) sqlite3_bind_null = nullptr;
    decltype(&::sqlite3_bind_text) sqlite3_bind_text = nullptr;
    decltype(&::sqlite3_busy_timeout) sqlite3_busy_timeout = nullptr;
    decltype(&::sqlite3_close_v2) sqlite3_close_v2 = nullptr;
    decltype(&::sqlite3_column_bytes) sqlite3_column_bytes = nullptr;
    decltype(&::sqlite3_column_count) sqlite3_column_count = nullptr;
    decltype(&::sqlite3_column_text) sqlite3_column_text = nullptr;
    decltype(&::sqlite3_errcode) sqlite3_errcode = nullptr;
    decltype(&::sqlite3_errmsg) sqlite3_errmsg = nullptr;
    decltype(&::sqlite3_exec) sqlite3_exec = nullptr;
    decltype(&::sqlite3_extended_errcode) sqlite3_extended_errcode = nullptr;
    decltype(&::sqlite3_finalize) sqlite3_finalize = nullptr;
    decltype(&::sqlite3_free) sqlite3_free = nullptr;
    decltype(&::sqlite3_open_v2) sqlite3_open_v2 = nullptr;
    decltype(&::sqlite3_prepare_v2) sqlite3_prepare_v2 = nullptr;
    decltype(&::sqlite3_step) sqlite3_step = nullptr;
    std::string error;  // why it could not be loaded; empty when loaded
};

const LibSqlite& sq() {
    static LibSqlite lib;
    static std::once_flag once;
    std::call_once(once, [] {
        // The handle stays open for the life of the process (connections outlive callers).
        void* h = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            lib.error =
                "the SQLite library (libsqlite3.so.0) is not installed: apt-get install "
                "libsqlite3-0";
            return;
        }
        auto resolve = [h](const char* name, auto& fn) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(h, name));
            if (!fn && lib.error.empty()) lib.error = std::string("libsqlite3.so.0 lacks ") + name;
        };
        resolve("sqlite3_bind_null", lib.sqlite3_bind_null);
        resolve("sqlite3_bind_text", lib.sqlite3_bind_text);
        resolve("sqlite3_busy_timeout", lib.sqlite3_busy_timeout);
        resolve("sqlite3_close_v2", lib.sqlite3_close_v2);
        resolve("sqlite3_column_bytes", lib.sqlite3_column_bytes);
        resolve("sqlite3_column_count", lib.sqlite3_column_count);
        resolve("sqlite3_column_text", lib.sqlite3_column_text);
        resolve("sqlite3_errcode", lib.sqlite3_errcode);
        resolve("sqlite3_errmsg", lib.sqlite3_errmsg);
        resolve("sqlite3_exec", lib.sqlite3_exec);
        resolve("sqlite3_extended_errcode", lib.sqlite3_extended_errcode);
        resolve("sqlite3_finalize", lib.sqlite3_finalize);
        resolve("sqlite3_free", lib.sqlite3_free);
        resolve("sqlite3_open_v2", lib.sqlite3_open_v2);
        resolve("sqlite3_prepare_v2", lib.sqlite3_prepare_v2);
        resolve("sqlite3_step", lib.sqlite3_step);
    });
    return lib;
}

Error sqliteError(sqlite3* db, std::string_view what) {
    Error e;
    e.message = std::string("register (SQLite): ") + std::string(what) + ": " +
                (db ? sq().sqlite3_errmsg(db) : "out of memory");
    return e;
}

class SqliteConnection final : public SqlConnection {
public:
    explicit SqliteConnection(sqlite3* db) : m_db(db) {}
    ~SqliteConnection() override { sq().sqlite3_close_v2(m_db); }
    SqlDialect dialect() const override { return SqlDialect::Sqlite; }

    Result<SqlRows> query(std::string_view sql, const std::vector<SqlParam>& params) override {
        m_lastPermission = false;
        sqlite3_stmt* st = nullptr;
        if (sq().sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &st, nullptr) !=
            SQLITE_OK)
            return sqliteError(m_db, "prepare");
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int idx = static_cast<int>(i + 1);
            const int rc = params[i] ? sq().sqlite3_bind_text(st, idx, params[i]->data(),
                                                              static_cast<int>(params[i]->size()),
                                                              SQLITE_TRANSIENT)
                                     : sq().sqlite3_bind_null(st, idx);
            if (rc != SQLITE_OK) {
                sq().sqlite3_finalize(st);
                return sqliteError(m_db, "bind");
            }
        }
        SqlRows rows;
        int rc;
        while ((rc = sq().sqlite3_step(st)) == SQLITE_ROW) {
            const int n = sq().sqlite3_column_count(st);
            SqlRow row;
            row.reserve(static_cast<std::size_t>(n));
            for (int c = 0; c < n; ++c) {
                const auto* text = sq().sqlite3_column_text(st, c);
                if (!text) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(
                        std::string(reinterpret_cast<const char*>(text),
                                    static_cast<std::size_t>(sq().sqlite3_column_bytes(st, c))));
                }
            }
            rows.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE) {
            Error e = sqliteError(m_db, "statement");
            m_lastPermission = sq().sqlite3_extended_errcode(m_db) == SQLITE_CONSTRAINT_TRIGGER;
            if (m_lastPermission) e.where.field = "register.permission";
            // A file on a share that went away: the caller may work offline and retry.
            const int primary = sq().sqlite3_errcode(m_db);
            if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
                e.where.field = "register.connection";
            sq().sqlite3_finalize(st);
            return e;
        }
        sq().sqlite3_finalize(st);
        return rows;
    }

    Status script(std::string_view sql) override {
        char* msg = nullptr;
        const std::string text(sql);
        if (sq().sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
            Error e;
            e.message = std::string("register (SQLite): ") + (msg ? msg : "script failed");
            sq().sqlite3_free(msg);
            return e;
        }
        return Ok{};
    }

    // BEGIN IMMEDIATE takes the write lock now; the busy handler waits for it, but a lock held
    // across a WAL checkpoint can still report BUSY at once, so retry a few times.
    Status begin() override {
        Status s = exec("BEGIN IMMEDIATE");
        for (int i = 0; i < 50 && !s.ok() && sq().sqlite3_errcode(m_db) == SQLITE_BUSY; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            s = exec("BEGIN IMMEDIATE");
        }
        return s;
    }

private:
    sqlite3* m_db;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path, bool create) {
    if (!sq().error.empty()) {
        Error e;
        e.message = "register (SQLite): " + sq().error;
        e.where.file = path;
        e.where.field = "register.connection";
        return e;
    }
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sq().sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        Error e = sqliteError(db, create ? "cannot create the register file"
                                         : "cannot open the register file (run `lecert register "
                                           "init` first?)");
        e.where.file = path;
        if (!create) e.where.field = "register.connection";
        sq().sqlite3_close_v2(db);
        return e;
    }
    sq().sqlite3_busy_timeout(db, 60000);
    auto conn = std::make_unique<SqliteConnection>(db);
    Status s =
        conn->script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    if (!s) {
        Error e = s.error();
        e.where.file = path;
        return e;
    }
    return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace lecert::reg
