// SPDX-License-Identifier: MIT
// PostgreSQL back end of SqlConnection over libpq. Parameters are sent as text, separately
// from the statement, so no value is ever spliced into SQL.
#include <libpq-fe.h>

#include <cstring>

#include "core/register/sql_connection.h"

namespace lecert::reg {

namespace {

// `?` -> `$n`. The register's statements never contain `?` inside a literal.
std::string numbered(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    for (char c : sql) {
        if (c == '?') {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

class PgConnection final : public SqlConnection {
public:
    explicit PgConnection(PGconn* c) : m_conn(c) {}
    ~PgConnection() override { PQfinish(m_conn); }
    SqlDialect dialect() const override { return SqlDialect::Postgres; }

    Result<SqlRows> query(std::string_view sql, const std::vector<SqlParam>& params) override {
        const std::string text = numbered(sql);
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
        PGresult* res = PQexecParams(m_conn, text.c_str(), static_cast<int>(params.size()), nullptr,
                                     values.data(), nullptr, nullptr, 0);
        return collect(res);
    }

    Status script(std::string_view sql) override {
        const std::string text(sql);
        auto r = collect(PQexec(m_conn, text.c_str()));
        if (!r) return r.error();
        return Ok{};
    }

    Status begin() override { return exec("BEGIN"); }

private:
    Result<SqlRows> collect(PGresult* res) {
        m_lastPermission = false;
        const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            Error e;
            const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
            const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
            e.message = std::string("register (PostgreSQL): ") +
                        (primary ? primary : PQerrorMessage(m_conn));
            if (state) {
                e.message += std::string(" (SQLSTATE ") + state + ")";
                // 42501 insufficient_privilege (grants, RLS); P0001 raised by our triggers.
                m_lastPermission = std::strcmp(state, "42501") == 0;
                if (m_lastPermission) e.where.field = "register.permission";
            }
            // The server went away (crash, network): the caller may work offline and retry.
            if (PQstatus(m_conn) == CONNECTION_BAD) e.where.field = "register.connection";
            PQclear(res);
            return e;
        }
        SqlRows rows;
        const int n = PQntuples(res), m = PQnfields(res);
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            SqlRow row;
            row.reserve(static_cast<std::size_t>(m));
            for (int j = 0; j < m; ++j) {
                if (PQgetisnull(res, i, j)) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(std::string(PQgetvalue(res, i, j),
                                                 static_cast<std::size_t>(PQgetlength(res, i, j))));
                }
            }
            rows.push_back(std::move(row));
        }
        PQclear(res);
        return rows;
    }

    PGconn* m_conn;
};

// Notices (e.g. "relation already exists, skipping") would go to stderr; drop them.
void quietNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& conninfo) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (!c || PQstatus(c) != CONNECTION_OK) {
        Error e;
        std::string msg = c ? PQerrorMessage(c) : "out of memory";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        e.message = "register (PostgreSQL): cannot connect: " + msg;
        e.where.field = "register.connection";
        PQfinish(c);
        return e;
    }
    PQsetNoticeProcessor(c, quietNotice, nullptr);
    auto conn = std::make_unique<PgConnection>(c);
    Status s = conn->exec("SET TIME ZONE 'UTC'");
    if (!s) return s.error();
    return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace lecert::reg
