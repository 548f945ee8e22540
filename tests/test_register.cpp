// SPDX-License-Identifier: MIT
// The register on its SQLite back end (a file in a temporary folder): schema and migrations,
// deadlines, the review workflow and its rules, conflicts, reports, anchors.
#include <catch2/catch.hpp>

#include "core/register/deadlines.h"
#include "core/register/register.h"
#include "register_scenarios.h"

using namespace lecert;
using namespace lecert::test;

TEST_CASE("register sqlite: schema migrations are recorded and re-running init is harmless") {
    SqliteEnv env;
    auto r = env.as("sup_s");
    CHECK(r->backend() == "sqlite");
    CHECK(*r->schemaVersion() == 3);
    RegisterInit again;
    again.targetDays = 60;  // agency target instead of a state rule
    REQUIRE(r->init(again).ok());
    CHECK(*r->schemaVersion() == 3);
    const auto rows = run("sqlite3 " + shellQuote(env.path()) +
                          " 'SELECT version FROM schema_version ORDER BY version'");
    CHECK(rows.out == "1\n2\n3\n");
    // New requests now get the agency's 60-day target.
    auto clerk = env.as("clerk_c");
    const auto id = intakeFor(*clerk, "ofc_a", day("2026-11-01"), false, "A-1");
    auto s = clerk->request(id, day("2026-11-01"));
    REQUIRE(s.ok());
    CHECK(s->deadlineRule == "agency");
    CHECK(s->daysLeft == 60);
}

TEST_CASE("register sqlite: the file is in WAL mode") {
    SqliteEnv env;
    CHECK(run("sqlite3 " + shellQuote(env.path()) + " 'PRAGMA journal_mode'").out == "wal\n");
}

TEST_CASE("register: deadline rules come from rules/deadlines.json") {
    auto ca = deadlineRule("US-CA");
    REQUIRE(ca.ok());
    CHECK(ca->days == 90);
    CHECK(ca->removalDays == 14);
    CHECK(ca->citation.find("679.10") != std::string::npos);
    CHECK(ca->deadline(day("2026-01-01"), false) == day("2026-04-01"));
    CHECK(ca->deadline(day("2026-01-01"), true) == day("2026-01-15"));
    CHECK(daysLeft(day("2026-01-15"), day("2026-01-20")) == -5);
    auto none = deadlineRule("US-ZZ");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message.find("US-CA") != std::string::npos);
    TempDir tmp;
    auto bad =
        loadDeadlineRules(tmp.write("d.json", R"({"jurisdictions": [{"id": "X", "days": 0}]})"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().where.field == "jurisdictions[0]");
}

TEST_CASE("register sqlite: deadlines, expiring and overdue queues") {
    SqliteEnv env;
    deadlineScenario(env);
}

TEST_CASE("register sqlite: review workflow, roles and every version kept") {
    SqliteEnv env;
    workflowScenario(env);
}

TEST_CASE("register sqlite: the approver is not the submitter") {
    SqliteEnv env;
    separationScenario(env);
}

TEST_CASE("register sqlite: two desks editing one record get a conflict, both versions kept") {
    SqliteEnv env;
    conflictScenario(env);
}

TEST_CASE("register sqlite: yearly report") {
    SqliteEnv env;
    reportScenario(env);
}

TEST_CASE("register sqlite: exported files are checked against the anchored chain head") {
    SqliteEnv env;
    anchorScenario(env);
}

TEST_CASE("register sqlite: review events and record versions cannot be rewritten") {
    SqliteEnv env;
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-10"), false, "RPD-H");
    REQUIRE(a->saveRecord(id, recordFor("reg-h", "RPD-H"), 0).ok());
    const std::string db = shellQuote(env.path());
    auto upd = run("sqlite3 " + db + " \"UPDATE review_events SET actor = 'sup_s'\"");
    CHECK(upd.exitCode != 0);
    CHECK(upd.err.find("append-only") != std::string::npos);
    CHECK(run("sqlite3 " + db + " 'DELETE FROM record_versions'").exitCode != 0);
    CHECK(run("sqlite3 " + db + " \"SELECT count(*) FROM review_events WHERE actor = 'ofc_a'\"")
              .out == "2\n");
}

TEST_CASE("register sqlite: users and roles") {
    SqliteEnv env;
    auto a = env.as("ofc_a");
    auto denied = a->addUser({"ofc_z", RegisterRole::Supervisor, ""});
    REQUIRE_FALSE(denied.ok());
    CHECK(isPermissionDenied(denied.error()));
    auto stranger = env.as("nobody_here");
    auto q = stranger->queue(RegisterQueue::All, day("2026-11-28"));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().message.find("not one of the register's users") != std::string::npos);
    CHECK_FALSE(env.as("sup_s")->addUser({"Bad Name", RegisterRole::Officer, ""}).ok());
    auto users = env.as("aud_x")->users();
    REQUIRE(users.ok());
    CHECK(users->size() == 6);
}

TEST_CASE("register: a location that is neither a file nor a server is a clear error") {
    auto none = Register::open("", {});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message.find("LECERT_REGISTER") != std::string::npos);
    TempDir tmp;
    auto missing = Register::open(tmp.file("absent.db"), {"x"});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("register init") != std::string::npos);
}
