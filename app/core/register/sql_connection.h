// SPDX-License-Identifier: MIT
#pragma once
// The register's one seam to a database: a connection that runs parameterised SQL and returns
// rows of text. Internal to core/register (the desktop and CLI never see SQL). Statements use
// `?` placeholders; the PostgreSQL connection rewrites them to `$1, $2, …`. Error messages are
// the database's primary message and SQLSTATE only, never its DETAIL (which may quote values).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace lecert::reg {

using SqlParam = std::optional<std::string>;  // nullopt binds NULL
using SqlRow = std::vector<std::optional<std::string>>;
using SqlRows = std::vector<SqlRow>;

enum class SqlDialect { Sqlite, Postgres };

// SQL for the server's current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
inline std::string_view nowSql(SqlDialect d) {
    return d == SqlDialect::Sqlite ? "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                                   : "to_char(now() AT TIME ZONE 'UTC', "
                                     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

// One connection; not thread-safe (one per thread). Transactions nest no deeper than one.
class SqlConnection {
public:
    virtual ~SqlConnection() = default;
    virtual SqlDialect dialect() const = 0;
    // Runs one statement with `?` parameters; every result row as text (NULL = nullopt).
    virtual Result<SqlRows> query(std::string_view sql,
                                  const std::vector<SqlParam>& params = {}) = 0;
    // Runs a script of several statements without parameters (migrations).
    virtual Status script(std::string_view sql) = 0;
    // Starts a write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of failing
    // at commit; PostgreSQL: BEGIN, rows locked with FOR UPDATE).
    virtual Status begin() = 0;
    Status commit() { return exec("COMMIT"); }
    void rollback() { (void)exec("ROLLBACK"); }
    Status exec(std::string_view sql, const std::vector<SqlParam>& params = {}) {
        auto r = query(sql, params);
        if (!r) return r.error();
        return Ok{};
    }
    // Whether the last failed statement was a permission / row-level security refusal.
    bool lastErrorWasPermission() const { return m_lastPermission; }

protected:
    bool m_lastPermission = false;
};

// Opens (and with `create`, creates) an SQLite file in WAL mode with a busy timeout.
Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path, bool create);
// Connects with a libpq connection string or URI (postgresql://user@host:port/db).
Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& conninfo);

// Scope guard: rolls back unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(SqlConnection& c) : m_c(c) {}
    ~Transaction() {
        if (m_open) m_c.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Status begin() {
        Status s = m_c.begin();
        m_open = s.ok();
        return s;
    }
    Status commit() {
        Status s = m_c.commit();
        if (s.ok()) m_open = false;
        return s;
    }

private:
    SqlConnection& m_c;
    bool m_open = false;
};

}  // namespace lecert::reg
