// SPDX-License-Identifier: MIT
// SQLite back end of SqlConnection: WAL (readers never wait for the writer, a crash loses no
// committed transaction), synchronous=FULL, a long busy timeout so 20 desks queue rather than
// fail, foreign keys on.
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "core/register/sql_connection.h"

namespace lecert::reg {

namespace {

Error sqliteError(sqlite3* db, std::string_view what) {
    Error e;
    e.message = std::string("register (SQLite): ") + std::string(what) + ": " +
                (db ? sqlite3_errmsg(db) : "out of memory");
    return e;
}

class SqliteConnection final : public SqlConnection {
public:
    explicit SqliteConnection(sqlite3* db) : m_db(db) {}
    ~SqliteConnection() override { sqlite3_close_v2(m_db); }
    SqlDialect dialect() const override { return SqlDialect::Sqlite; }

    Result<SqlRows> query(std::string_view sql, const std::vector<SqlParam>& params) override {
        m_lastPermission = false;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &st, nullptr) !=
            SQLITE_OK)
            return sqliteError(m_db, "prepare");
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int idx = static_cast<int>(i + 1);
            const int rc =
                params[i] ? sqlite3_bind_text(st, idx, params[i]->data(),
                                              static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                          : sqlite3_bind_null(st, idx);
            if (rc != SQLITE_OK) {
                sqlite3_finalize(st);
                return sqliteError(m_db, "bind");
            }
        }
        SqlRows rows;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const int n = sqlite3_column_count(st);
            SqlRow row;
            row.reserve(static_cast<std::size_t>(n));
            for (int c = 0; c < n; ++c) {
                const auto* text = sqlite3_column_text(st, c);
                if (!text) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(
                        std::string(reinterpret_cast<const char*>(text),
                                    static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
                }
            }
            rows.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE) {
            Error e = sqliteError(m_db, "statement");
            m_lastPermission = sqlite3_extended_errcode(m_db) == SQLITE_CONSTRAINT_TRIGGER;
            if (m_lastPermission) e.where.field = "register.permission";
            // A file on a share that went away: the caller may work offline and retry.
            const int primary = sqlite3_errcode(m_db);
            if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
                e.where.field = "register.connection";
            sqlite3_finalize(st);
            return e;
        }
        sqlite3_finalize(st);
        return rows;
    }

    Status script(std::string_view sql) override {
        char* msg = nullptr;
        const std::string text(sql);
        if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
            Error e;
            e.message = std::string("register (SQLite): ") + (msg ? msg : "script failed");
            sqlite3_free(msg);
            return e;
        }
        return Ok{};
    }

    // BEGIN IMMEDIATE takes the write lock now; the busy handler waits for it, but a lock held
    // across a WAL checkpoint can still report BUSY at once, so retry a few times.
    Status begin() override {
        Status s = exec("BEGIN IMMEDIATE");
        for (int i = 0; i < 50 && !s.ok() && sqlite3_errcode(m_db) == SQLITE_BUSY; ++i) {
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
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        Error e = sqliteError(db, create ? "cannot create the register file"
                                         : "cannot open the register file (run `lecert register "
                                           "init` first?)");
        e.where.file = path;
        if (!create) e.where.field = "register.connection";
        sqlite3_close_v2(db);
        return e;
    }
    sqlite3_busy_timeout(db, 60000);
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
