// SPDX-License-Identifier: MIT
// PostgreSQL back end of SqlConnection over libpq. Parameters are sent as text, separately
// from the statement, so no value is ever spliced into SQL.
//
// libpq is loaded with dlopen() on the first connection, not linked: it brings about fifteen
// libraries (Kerberos, LDAP, SASL, TLS) that every `lecert` start paid for, although only a
// shared register uses them. The header still gives the types and the functions' signatures.
#include <dlfcn.h>
#include <libpq-fe.h>

#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>

#include "core/register/sql_connection.h"

namespace lecert::reg {

namespace {

// The libpq functions the register uses, resolved once per process.
struct LibPq {
    decltype(&::PQclear) PQclear = nullptr;
    decltype(&::PQconnectdb) PQconnectdb = nullptr;
    decltype(&::PQerrorMessage) PQerrorMessage = nullptr;
    decltype(&::PQexec) PQexec = nullptr;
    decltype(&::PQexecParams) PQexecParams = nullptr;
    decltype(&::PQfinish) PQfinish = nullptr;
    decltype(&::PQgetisnull) PQgetisnull = nullptr;
    decltype(&::PQgetlength) PQgetlength = nullptr;
    decltype(&::PQgetvalue) PQgetvalue = nullptr;
    decltype(&::PQnfields) PQnfields = nullptr;
    decltype(&::PQntuples) PQntuples = nullptr;
    decltype(&::PQresultErrorField) PQresultErrorField = nullptr;
    decltype(&::PQresultStatus) PQresultStatus = nullptr;
    decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor = nullptr;
    decltype(&::PQstatus) PQstatus = nullptr;
    std::string error;  // why it could not be loaded; empty when loaded
};

const LibPq& libpq() {
    static LibPq pq;
    static std::once_flag once;
    std::call_once(once, [] {
        // The handle stays open for the life of the process (connections outlive callers).
        void* h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            pq.error =
                "the PostgreSQL client library (libpq.so.5) is not installed: "
                "apt-get install libpq5";
            return;
        }
        auto resolve = [](void* lib, const char* name, auto& fn) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            if (!fn && pq.error.empty()) pq.error = std::string("libpq.so.5 lacks ") + name;
        };
        resolve(h, "PQclear", pq.PQclear);
        resolve(h, "PQconnectdb", pq.PQconnectdb);
        resolve(h, "PQerrorMessage", pq.PQerrorMessage);
        resolve(h, "PQexec", pq.PQexec);
        resolve(h, "PQexecParams", pq.PQexecParams);
        resolve(h, "PQfinish", pq.PQfinish);
        resolve(h, "PQgetisnull", pq.PQgetisnull);
        resolve(h, "PQgetlength", pq.PQgetlength);
        resolve(h, "PQgetvalue", pq.PQgetvalue);
        resolve(h, "PQnfields", pq.PQnfields);
        resolve(h, "PQntuples", pq.PQntuples);
        resolve(h, "PQresultErrorField", pq.PQresultErrorField);
        resolve(h, "PQresultStatus", pq.PQresultStatus);
        resolve(h, "PQsetNoticeProcessor", pq.PQsetNoticeProcessor);
        resolve(h, "PQstatus", pq.PQstatus);
    });
    return pq;
}

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
    ~PgConnection() override { libpq().PQfinish(m_conn); }
    SqlDialect dialect() const override { return SqlDialect::Postgres; }

    Result<SqlRows> query(std::string_view sql, const std::vector<SqlParam>& params) override {
        const std::string text = numbered(sql);
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
        PGresult* res = libpq().PQexecParams(m_conn, text.c_str(), static_cast<int>(params.size()),
                                             nullptr, values.data(), nullptr, nullptr, 0);
        return collect(res);
    }

    Status script(std::string_view sql) override {
        const std::string text(sql);
        auto r = collect(libpq().PQexec(m_conn, text.c_str()));
        if (!r) return r.error();
        return Ok{};
    }

    Status begin() override { return exec("BEGIN"); }

private:
    Result<SqlRows> collect(PGresult* res) {
        m_lastPermission = false;
        const ExecStatusType st = res ? libpq().PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            Error e;
            const char* primary =
                res ? libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
            const char* state = res ? libpq().PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
            e.message = std::string("register (PostgreSQL): ") +
                        (primary ? primary : libpq().PQerrorMessage(m_conn));
            if (state) {
                e.message += std::string(" (SQLSTATE ") + state + ")";
                // 42501 insufficient_privilege (grants, RLS); P0001 raised by our triggers.
                m_lastPermission = std::strcmp(state, "42501") == 0;
                if (m_lastPermission) e.where.field = "register.permission";
            }
            // The server went away (crash, network): the caller may work offline and retry.
            if (libpq().PQstatus(m_conn) == CONNECTION_BAD) e.where.field = "register.connection";
            libpq().PQclear(res);
            return e;
        }
        SqlRows rows;
        const int n = libpq().PQntuples(res), m = libpq().PQnfields(res);
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            SqlRow row;
            row.reserve(static_cast<std::size_t>(m));
            for (int j = 0; j < m; ++j) {
                if (libpq().PQgetisnull(res, i, j)) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(
                        std::string(libpq().PQgetvalue(res, i, j),
                                    static_cast<std::size_t>(libpq().PQgetlength(res, i, j))));
                }
            }
            rows.push_back(std::move(row));
        }
        libpq().PQclear(res);
        return rows;
    }

    PGconn* m_conn;
};

// Notices (e.g. "relation already exists, skipping") would go to stderr; drop them.
void quietNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& conninfo) {
    if (!libpq().error.empty()) {
        Error e;
        e.message = "register (PostgreSQL): " + libpq().error;
        e.where.field = "register.connection";
        return e;
    }
    PGconn* c = libpq().PQconnectdb(conninfo.c_str());
    if (!c || libpq().PQstatus(c) != CONNECTION_OK) {
        Error e;
        std::string msg = c ? libpq().PQerrorMessage(c) : "out of memory";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        e.message = "register (PostgreSQL): cannot connect: " + msg;
        e.where.field = "register.connection";
        libpq().PQfinish(c);
        return e;
    }
    libpq().PQsetNoticeProcessor(c, quietNotice, nullptr);
    auto conn = std::make_unique<PgConnection>(c);
    Status s = conn->exec("SET TIME ZONE 'UTC'");
    if (!s) return s.error();
    return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace lecert::reg
