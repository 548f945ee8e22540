// SPDX-License-Identifier: MIT
// `lecert register …` and `lecert review verify --register`: outputs, files and exit codes.
#include <catch2/catch.hpp>

#include "support.h"

using namespace lecert::test;
using lecert::Json;

namespace {
RunResult cli(const std::vector<std::string>& args) {
    return lecert::test::lecert(args);
}
}  // namespace

namespace {

// Runs lecert against the register file `db` as `user`.
RunResult as(const std::string& user, const std::string& db, std::vector<std::string> args) {
    std::vector<std::string> all = {"register", "--register", db,          "--user",
                                    user,       "--today",    "2026-11-28"};
    all.insert(all.end(), args.begin(), args.end());
    return cli(all);
}

}  // namespace

TEST_CASE("register cli: init, users, import, queues, review, export, verify, report") {
    TempDir tmp;
    const std::string db = tmp.file("agency.db");
    auto init = cli({"register", "--register", db, "init", "--jurisdiction", "US-CA", "--admin",
                     "sup", "--identity", "trusted-desk"});
    REQUIRE(init.exitCode == 0);
    CHECK(init.out.find("schema version 3") != std::string::npos);
    REQUIRE(as("sup", db, {"user", "ofc", "--role", "officer", "--unit", "svu"}).exitCode == 0);
    REQUIRE(as("sup", db, {"user", "clerk", "--role", "clerk"}).exitCode == 0);
    CHECK(as("ofc", db, {"user", "ofc", "--role", "supervisor"}).exitCode == 1);
    CHECK(as("sup", db, {"user", "x", "--role", "boss"}).exitCode == 2);

    const std::string file = tmp.write("r.json", validRecord("i918b").dump());
    auto imp = as("ofc", db, {"import", "--received", "2026-11-01", "--removal", file});
    REQUIRE(imp.exitCode == 0);
    CHECK(imp.out == file + ": request 1 version 1\n");

    auto drafts = as("ofc", db, {"list", "--queue", "my-drafts"});
    REQUIRE(drafts.exitCode == 0);
    // Received 2026-11-01 in removal proceedings: California's 14 days -> 2026-11-15, 13 late.
    CHECK(drafts.out.find(
              "1\t2026-11-01\ti918b\tRPD-2026-0412\tdraft\tpending\t2026-11-15\t-13\tofc\tsvu\n") !=
          std::string::npos);
    CHECK(as("ofc", db, {"list", "--queue", "overdue", "--json"}).out.find("\"days_left\":-13") !=
          std::string::npos);
    CHECK(as("ofc", db, {"list", "--queue", "nope"}).exitCode == 2);

    REQUIRE(as("ofc", db, {"submit", "1"}).exitCode == 0);
    auto self = as("ofc", db, {"approve", "1"});
    CHECK(self.exitCode == 1);
    CHECK(self.err.find("only a supervisor") != std::string::npos);
    CHECK(as("sup", db, {"return", "1"}).exitCode == 2);  // --note is required
    REQUIRE(as("sup", db,
               {"return", "1", "--note", "check", "--comment", "crime.dates[0]=Confirm the date."})
                .exitCode == 0);
    CHECK(as("ofc", db, {"list", "--queue", "returned"}).out.find("\treturned\t") !=
          std::string::npos);
    REQUIRE(as("ofc", db, {"submit", "1"}).exitCode == 0);
    REQUIRE(as("sup", db, {"approve", "1"}).exitCode == 0);
    CHECK(as("clerk", db, {"outcome", "1", "declined"}).exitCode == 1);  // needs a reason
    REQUIRE(as("clerk", db, {"outcome", "1", "certified", "--date", "2026-11-20"}).exitCode == 0);

    const std::string out = tmp.file("out.json");
    REQUIRE(as("ofc", db, {"export", "1", "-o", out}).exitCode == 0);
    const Json exported = loadJson(out);
    CHECK(exported["review"]["status"] == "approved");
    auto verify = cli({"review", "verify", "--register", db, out});
    CHECK(verify.exitCode == 0);
    CHECK(verify.out.find("register: matches the register (request 1, approved)") !=
          std::string::npos);
    const std::string old = tmp.file("old.json");
    REQUIRE(as("ofc", db, {"export", "1", "--version", "1", "-o", old}).exitCode == 0);
    auto stale = cli({"review", "verify", "--register", db, old});
    CHECK(stale.exitCode == 1);
    CHECK(stale.out.find("an older version") != std::string::npos);

    // A stale import is a conflict (exit 1) and is kept as a conflict copy.
    auto conflict = as("ofc", db, {"import", "--request", "1", "--expect-version", "1", file});
    CHECK(conflict.exitCode == 1);
    CHECK(conflict.err.find("version conflict") != std::string::npos);
    CHECK(run("sqlite3 " + shellQuote(db) + " 'SELECT count(*) FROM record_conflicts'").out ==
          "1\n");

    const std::string csv = tmp.file("2026.csv");
    REQUIRE(as("clerk", db, {"report", "--year", "2026", "--csv", csv}).exitCode == 0);
    const std::string text = readText(csv);
    CHECK(text.find("outcome,certified,1\n") != std::string::npos);
    CHECK(text.find("month,2026-11,1\n") != std::string::npos);
    CHECK(text.find("response,median_days,19\n") != std::string::npos);
    CHECK(text.find("deadline,missed,1\n") != std::string::npos);  // answered after 11-15
}

TEST_CASE("register cli: no register, a missing file, an unwritable output") {
    TempDir tmp;
    auto none = run("env -u LECERT_REGISTER " + shellQuote(LECERT_CLI_PATH) + " register list");
    CHECK(none.exitCode == 2);
    CHECK(none.err.find("LECERT_REGISTER") != std::string::npos);
    CHECK(cli({"register", "--register", tmp.file("absent.db"), "list"}).exitCode == 2);
    const std::string db = tmp.file("r.db");
    REQUIRE(
        cli({"register", "--register", db, "init", "--admin", "sup", "--identity", "trusted-desk"})
            .exitCode == 0);
    CHECK(as("sup", db, {"report", "--year", "2026", "--csv", tmp.file("no/such/dir/x.csv")})
              .exitCode == 2);
    CHECK(as("sup", db, {"export", "7", "-o", tmp.file("x.json")}).exitCode == 2);
    CHECK_FALSE(fileExists(tmp.file("x.json")));
}
