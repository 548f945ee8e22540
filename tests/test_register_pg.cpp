// SPDX-License-Identifier: MIT
// The register on a real PostgreSQL server that the test starts itself (pg_server.h): the same
// behaviour as on SQLite, and the rules enforced by the database for a hand-written client.
#include <libpq-fe.h>

#include <catch2/catch.hpp>

#include "register_scenarios.h"

using namespace lecert;
using namespace lecert::test;

namespace {

// A plain libpq session as `user`: what a hand-written SQL client can do.
class RawSession {
public:
    RawSession(PgServer& server, const std::string& user, const std::string& db)
        : m_c(PQconnectdb(server.url(user, db).c_str())) {
        REQUIRE(PQstatus(m_c) == CONNECTION_OK);
    }
    ~RawSession() { PQfinish(m_c); }
    // SQLSTATE of the failure, "" on success; `rows` gets the number of rows returned/affected.
    std::string exec(const std::string& sql, long* rows = nullptr, std::string* first = nullptr) {
        PGresult* r = PQexec(m_c, sql.c_str());
        std::string state;
        const auto st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            state = s ? s : "?";
        } else {
            if (rows) *rows = st == PGRES_TUPLES_OK ? PQntuples(r) : std::atol(PQcmdTuples(r));
            if (first && st == PGRES_TUPLES_OK && PQntuples(r) > 0) *first = PQgetvalue(r, 0, 0);
        }
        PQclear(r);
        return state;
    }

private:
    PGconn* m_c;
};

}  // namespace

TEST_CASE("register postgresql: schema migrations and roles are created") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    auto r = env.as("sup_s");
    CHECK(r->backend() == "postgresql");
    CHECK(r->user() == "sup_s");
    CHECK(*r->schemaVersion() == 3);
    auto admin = env.as(PgServer::kAdmin);
    REQUIRE(admin->init(RegisterInit{}).ok());  // again: no migration re-applied
    CHECK(*r->schemaVersion() == 3);
}

TEST_CASE("register postgresql: deadlines, expiring and overdue queues") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    deadlineScenario(env);
}

TEST_CASE("register postgresql: review workflow, roles and every version kept") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    workflowScenario(env);
}

TEST_CASE("register postgresql: the approver is not the submitter") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    separationScenario(env);
}

TEST_CASE("register postgresql: two desks editing one record get a conflict") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    conflictScenario(env);
}

TEST_CASE("register postgresql: yearly report") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    reportScenario(env);
}

TEST_CASE("register postgresql: exported files are checked against the anchored chain head") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    anchorScenario(env);
}

TEST_CASE(
    "register postgresql: an officer's own SQL client cannot approve, rewrite history "
    "or read another unit's drafts") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    auto a = env.as("ofc_a");
    auto b = env.as("ofc_b");
    const auto mine = intakeFor(*a, "ofc_a", day("2026-11-10"), false, "RPD-A");
    REQUIRE(a->saveRecord(mine, recordFor("raw-a", "RPD-A"), 0).ok());
    REQUIRE(a->submit(mine, "").ok());
    const auto theirs = intakeFor(*b, "ofc_b", day("2026-11-10"), false, "RPD-B");
    REQUIRE(b->saveRecord(theirs, recordFor("raw-b", "RPD-B"), 0).ok());
    const std::string m = std::to_string(mine), t = std::to_string(theirs);

    RawSession sql(server, "ofc_a", env.database());
    long rows = -1;
    // Approving by hand: the status column, an approval event, or the outcome.
    CHECK(sql.exec("UPDATE requests SET status = 'approved' WHERE id = " + m) == "42501");
    CHECK(sql.exec("INSERT INTO review_events (request_id, version, action, actor, at) VALUES (" +
                   m + ", 3, 'approved', 'sup_s', 'x')") == "42501");
    CHECK(sql.exec("UPDATE requests SET outcome = 'certified', outcome_date = '2026-11-28' "
                   "WHERE id = " +
                   m) == "42501");
    // Rewriting history.
    CHECK(sql.exec("UPDATE review_events SET actor = 'sup_s' WHERE request_id = " + m) == "42501");
    CHECK(sql.exec("DELETE FROM review_events WHERE request_id = " + m) == "42501");
    CHECK(sql.exec("DELETE FROM record_versions WHERE request_id = " + m) == "42501");
    CHECK(sql.exec("UPDATE record_versions SET record = '{}' WHERE request_id = " + m) == "42501");
    CHECK(sql.exec("TRUNCATE review_events") == "42501");
    CHECK(sql.exec("UPDATE users SET role = 'supervisor' WHERE name = 'ofc_a'") == "42501");
    CHECK(sql.exec("INSERT INTO users (name, role) VALUES ('ofc_q', 'supervisor')") == "42501");
    CHECK(sql.exec("GRANT lecert_supervisor TO ofc_a") != "");
    // Another unit's draft is invisible, its versions too, and cannot be updated.
    CHECK(sql.exec("SELECT * FROM requests WHERE id = " + t, &rows) == "");
    CHECK(rows == 0);
    CHECK(sql.exec("SELECT * FROM record_versions WHERE request_id = " + t, &rows) == "");
    CHECK(rows == 0);
    CHECK(sql.exec("UPDATE requests SET case_number = 'x' WHERE id = " + t, &rows) == "");
    CHECK(rows == 0);
    // An appended event gets the real login and the server's time, whatever the client says.
    std::string actor;
    CHECK(sql.exec("INSERT INTO review_events (request_id, version, action, actor, at) VALUES (" +
                       m + ", 3, 'commented', 'sup_s', '1999-01-01T00:00:00Z') RETURNING actor",
                   &rows, &actor) == "");
    CHECK(actor == "ofc_a");
    // The submitter, even a supervisor, cannot approve by hand either.
    RawSession supSql(server, "sup_s", env.database());
    const auto own = intakeFor(*env.as("sup_s"), "sup_s", day("2026-11-10"), false, "RPD-S");
    auto sup = env.as("sup_s");
    REQUIRE(sup->saveRecord(own, recordFor("raw-s", "RPD-S"), 0).ok());
    REQUIRE(sup->submit(own, "").ok());
    CHECK(supSql.exec("UPDATE requests SET status = 'approved' WHERE id = " +
                      std::to_string(own)) == "42501");
    // Not even the tables' owner can rewrite events.
    std::string err;
    CHECK_FALSE(server.adminExec("UPDATE review_events SET actor = 'x'", err, env.database()));
    CHECK(err.find("append-only") != std::string::npos);
    // An auditor reads everything and writes nothing.
    RawSession aud(server, "aud_x", env.database());
    CHECK(aud.exec("SELECT * FROM requests", &rows) == "");
    CHECK(rows == 3);
    CHECK(aud.exec("INSERT INTO requests (received_date, requester_kind, form, deadline, "
                   "deadline_rule, owner, created_at, updated_at) VALUES ('2026-01-01', 'victim', "
                   "'i918b', '2026-04-01', 'x', 'aud_x', '', '')") == "42501");
    // Batch outputs (schema 3): an officer appends, the server stamps who and when; an
    // auditor cannot append; nobody rewrites them.
    std::string by;
    CHECK(sql.exec("INSERT INTO batch_outputs (request_id, version, status, outputs, "
                   "produced_by, produced_at) VALUES (" +
                       m +
                       ", 2, 'ok', '[]', 'sup_s', '1999-01-01T00:00:00Z') RETURNING produced_by",
                   &rows, &by) == "");
    CHECK(by == "ofc_a");
    CHECK(aud.exec("INSERT INTO batch_outputs (request_id, version, status, outputs, "
                   "produced_by, produced_at) VALUES (" +
                   m + ", 2, 'ok', '[]', 'x', 'x')") == "42501");
    CHECK(sql.exec("UPDATE batch_outputs SET status = 'error'") == "42501");
    CHECK(sql.exec("DELETE FROM batch_outputs") == "42501");
    CHECK_FALSE(server.adminExec("DELETE FROM batch_outputs", err, env.database()));
    // An offline event's made_offline_at is the desk's; actor and time stay the server's.
    std::string who;
    CHECK(sql.exec("INSERT INTO review_events (request_id, version, action, actor, at, client_op, "
                   "made_offline_at) VALUES (" +
                       m +
                       ", 3, 'commented', 'sup_s', 'x', 'op-raw-1', '2026-11-01T08:00:00Z') "
                       "RETURNING actor",
                   &rows, &who) == "");
    CHECK(who == "ofc_a");
}
