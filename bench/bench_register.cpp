// SPDX-License-Identifier: MIT
// bench_register: the register's queue queries, search and yearly report with N requests
// (default 100,000) on SQLite and, given --pg ADMIN_URL to an empty database, on PostgreSQL.
// The requests are bulk-loaded with SQL (three years, 20 officers in 4 units, realistic mix of
// statuses and outcomes); the queries then go through the Register API as an officer and as a
// supervisor, so PostgreSQL's row-level security is part of what is measured.
//   bench_register [-n N] [--runs R] [--pg postgresql://admin@127.0.0.1:PORT/db] [--no-sqlite]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "core/register/register.h"
#include "core/register/sql_connection.h"

using namespace lecert;

namespace {

constexpr int kOfficers = 20;

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

bool check(const Status& s, const char* what) {
    if (!s) std::cerr << what << ": " << s.error().toString() << "\n";
    return s.ok();
}

// One request row as SQL values; deterministic from i.
std::string rowValues(long i, long n) {
    const long day = i * (3 * 365) / n;  // spread over 2024-01-01 .. 2026-12-31
    const Date received = Date{2024, 1, 1}.addDays(day);
    const long round = i / kOfficers;  // officer i % 20's round-th request
    const bool removal = round % 10 == 0;
    const Date deadline = received.addDays(removal ? 14 : 90);
    const bool old = received.year < 2026 || received.month < 9;
    static const char* kStatus[] = {"draft", "submitted", "returned", "approved"};
    const char* status = old ? "approved" : kStatus[round % 4];
    std::string outcome = "pending", outcomeDate = "NULL";
    if (old) {
        outcome = i % 7 == 0 ? "declined" : i % 23 == 0 ? "withdrawn" : "certified";
        outcomeDate = "'" + received.addDays(20 + i % 100).iso() + "'";
    }
    const int officer = static_cast<int>(i % kOfficers);
    const std::string owner = "o" + std::to_string(officer);
    const std::string unit = "u" + std::to_string(officer % 4);
    char buf[700];
    std::snprintf(
        buf, sizeof buf,
        "('%s','attorney','firm %ld','c%ld@example.org','i918b','C-%07ld',%d,'%s','US-CA',"
        "'%s','%s','%s',%s,%s,%d,'r%ld','family%ld given%ld','given%ld family%ld','firm %ld',"
        "'felonious_assault','%s',%s,"
        "'2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')",
        received.iso().c_str(), i % 300, i, i, removal ? 1 : 0, deadline.iso().c_str(),
        unit.c_str(), owner.c_str(), status,
        std::string(status) == "draft" ? "NULL" : ("'" + owner + "'").c_str(),
        std::string(status) == "approved" ? "'s0'" : "NULL", std::string(status) == "draft" ? 1 : 3,
        i, i % 5000, i % 700, i % 700, i % 5000, i % 300, outcome.c_str(), outcomeDate.c_str());
    return buf;
}

bool bulkLoad(reg::SqlConnection& db, long n) {
    if (!check(db.begin(), "begin")) return false;
    if (db.dialect() == reg::SqlDialect::Postgres &&
        !check(db.exec("SET session_replication_role = replica"), "triggers off"))
        return false;
    for (long i = 0; i < n;) {
        std::string sql =
            "INSERT INTO requests (received_date, requester_kind, requester_name, contact, form, "
            "case_number, removal_proceedings, deadline, deadline_rule, unit, owner, status, "
            "submitted_by, approved_by, version, record_id, victim_key, victim_key2, "
            "requester_key, "
            "crime, outcome, "
            "outcome_date, created_at, updated_at) VALUES ";
        for (long k = 0; k < 500 && i < n; ++k, ++i) sql += (k ? "," : "") + rowValues(i, n);
        if (!check(db.exec(sql), "insert")) return false;
    }
    if (!check(db.commit(), "commit")) return false;
    return check(db.exec("ANALYZE"), "analyze");
}

struct Timing {
    double median = 0, max = 0;
    std::size_t rows = 0;
};

Timing timeIt(int runs, const std::function<std::size_t()>& f) {
    f();  // warm up
    std::vector<double> t;
    Timing out;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        out.rows = f();
        t.push_back(msSince(t0));
    }
    std::sort(t.begin(), t.end());
    out.median = t[t.size() / 2];
    out.max = t.back();
    return out;
}

void line(const std::string& backend, const std::string& what, const Timing& t) {
    std::printf("%-10s  %-34s  %6zu rows  median %8.2f ms  max %8.2f ms\n", backend.c_str(),
                what.c_str(), t.rows, t.median, t.max);
}

int measure(const std::string& backend,
            const std::function<std::unique_ptr<Register>(const std::string&)>& as, int runs) {
    const Date today{2026, 11, 28};
    auto officer = as("o3");
    auto supervisor = as("s0");
    if (!officer || !supervisor) return 2;
    auto queueCount = [&](Register& r, RegisterQueue q) {
        return [&r, q, today] {
            auto l = r.queue(q, today);
            return l ? l->size() : 0;
        };
    };
    line(backend, "my-drafts (officer)",
         timeIt(runs, queueCount(*officer, RegisterQueue::MyDrafts)));
    line(backend, "returned (officer)",
         timeIt(runs, queueCount(*officer, RegisterQueue::ReturnedToMe)));
    line(backend, "review (supervisor)",
         timeIt(runs, queueCount(*supervisor, RegisterQueue::WaitingForMyReview)));
    line(backend, "approved (officer)",
         timeIt(runs, queueCount(*officer, RegisterQueue::Approved)));
    line(backend, "expiring (officer)",
         timeIt(runs, queueCount(*officer, RegisterQueue::Expiring)));
    line(backend, "overdue (officer)", timeIt(runs, queueCount(*officer, RegisterQueue::Overdue)));
    line(backend, "all, newest 500 (officer)",
         timeIt(runs, queueCount(*officer, RegisterQueue::All)));
    line(backend, "search case number (officer)", timeIt(runs, [&] {
             auto l = officer->search("C-0054321", today);
             return l ? l->size() : 0;
         }));
    line(backend, "search victim name (officer)", timeIt(runs, [&] {
             auto l = officer->search("family4321", today);
             return l ? l->size() : 0;
         }));
    line(backend, "yearly report 2026 (supervisor)", timeIt(std::max(3, runs / 4), [&] {
             auto rep = supervisor->report(2026, today);
             return rep ? static_cast<std::size_t>(rep->received) : 0;
         }));
    return 0;
}

RegisterInit california() {
    RegisterInit init;
    init.jurisdiction = "US-CA";
    init.identity = RegisterIdentity::TrustedDesk;  // one process acts as many users
    return init;
}

bool addUsers(Register& admin) {
    for (int o = 0; o < kOfficers; ++o)
        if (!check(admin.addUser({"o" + std::to_string(o), RegisterRole::Officer,
                                  "u" + std::to_string(o % 4)}),
                   "user"))
            return false;
    return check(admin.addUser({"s0", RegisterRole::Supervisor, "u0"}), "user");
}

int runSqlite(long n, int runs) {
    char tmpl[] = "/tmp/lecert-bench-register-XXXXXX";
    if (!::mkdtemp(tmpl)) return 2;
    const std::string path = std::string(tmpl) + "/register.db";
    {
        auto admin = Register::open(path, {"s0"}, true);
        if (!admin || !check((*admin)->init(california()), "init")) return 2;
        if (!check((*admin)->addUser({"s0", RegisterRole::Supervisor, "u0"}), "user") ||
            !addUsers(**admin))
            return 2;
        auto db = reg::openSqlite(path, false);
        const auto t0 = std::chrono::steady_clock::now();
        if (!db || !bulkLoad(**db, n)) return 2;
        std::printf("sqlite      loaded %ld requests in %.1f s (%.1f MB)\n", n, msSince(t0) / 1000,
                    static_cast<double>(std::filesystem::file_size(path)) / 1e6);
    }
    const int rc = measure(
        "sqlite",
        [&](const std::string& user) -> std::unique_ptr<Register> {
            auto r = Register::open(path, {user});
            return r ? std::move(*r) : nullptr;
        },
        runs);
    std::filesystem::remove_all(tmpl);
    return rc;
}

// `adminUrl` names an empty database; user connections reuse it with the user's login.
int runPostgres(const std::string& adminUrl, long n, int runs) {
    auto admin = Register::open(adminUrl);
    if (!admin) {
        std::cerr << admin.error().toString() << "\n";
        return 2;
    }
    if (!check((*admin)->init(california()), "init") || !addUsers(**admin)) return 2;
    auto db = reg::openPostgres(adminUrl);
    const auto t0 = std::chrono::steady_clock::now();
    if (!db || !bulkLoad(**db, n)) return 2;
    std::printf("postgresql  loaded %ld requests in %.1f s\n", n, msSince(t0) / 1000);
    const std::size_t at = adminUrl.find("://") + 3, end = adminUrl.find('@', at);
    return measure(
        "postgresql",
        [&](const std::string& user) -> std::unique_ptr<Register> {
            const std::string url = adminUrl.substr(0, at) + user + adminUrl.substr(end);
            auto r = Register::open(url);
            if (!r) std::cerr << r.error().toString() << "\n";
            return r ? std::move(*r) : nullptr;
        },
        runs);
}

}  // namespace

int main(int argc, char** argv) {
    long n = 100000;
    int runs = 20;
    std::string pg;
    bool sqlite = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-n" && i + 1 < argc)
            n = std::atol(argv[++i]);
        else if (a == "--runs" && i + 1 < argc)
            runs = std::atoi(argv[++i]);
        else if (a == "--pg" && i + 1 < argc)
            pg = argv[++i];
        else if (a == "--no-sqlite")
            sqlite = false;
        else {
            std::cerr << "usage: bench_register [-n N] [--runs R] [--pg ADMIN_URL] [--no-sqlite]\n";
            return 2;
        }
    }
    int rc = 0;
    if (sqlite) rc = std::max(rc, runSqlite(n, runs));
    if (!pg.empty()) rc = std::max(rc, runPostgres(pg, n, runs));
    return rc;
}
