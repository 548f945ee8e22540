// SPDX-License-Identifier: MIT
// Many desks at once, and a desk killed mid-write, on both back ends: nothing lost, every
// conflict reported, the register consistent after a kill -9.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "core/review/review.h"
#include "register_scenarios.h"

using namespace lecert;
using namespace lecert::test;

namespace {

constexpr int kClients = 20;
constexpr int kPerClient = 50;

struct Tally {
    std::atomic<int> ok{0}, conflicts{0}, refusals{0}, failures{0};
    std::mutex m;
    std::vector<std::string> firstFailures;  // messages only (no victim data in them)
    void fail(const Error& e) {
        ++failures;
        std::lock_guard<std::mutex> lock(m);
        if (firstFailures.size() < 5) firstFailures.push_back(e.toString());
    }
};

void addClients(RegisterEnv& env) {
    auto admin = env.admin();
    for (int t = 0; t < kClients; ++t) {
        REQUIRE(admin->addUser({"o" + std::to_string(t), RegisterRole::Officer, "svu"}).ok());
        REQUIRE(admin->addUser({"s" + std::to_string(t), RegisterRole::Supervisor, "svu"}).ok());
    }
}

// 20 officers each take in, write and submit 50 requests at the same time; then 20 supervisors
// race through the review queue approving them. Every request is approved exactly once; every
// lost race is reported as a refusal, none is silent.
void manyDesks(RegisterEnv& env) {
    addClients(env);
    Tally intake;
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t) {
        threads.emplace_back([&env, &intake, t] {
            auto r = env.as("o" + std::to_string(t));
            for (int i = 0; i < kPerClient; ++i) {
                const std::string cn = "C-" + std::to_string(t) + "-" + std::to_string(i);
                RequestIntake in;
                in.received = day("2026-11-01");
                in.caseNumber = cn;
                auto id = r->intake(in);
                if (!id) {
                    intake.fail(id.error());
                    continue;
                }
                auto v = r->saveRecord(*id, recordFor("rec-" + cn, cn), 0);
                if (!v) {
                    intake.fail(v.error());
                    continue;
                }
                if (Status s = r->submit(*id, ""); !s) {
                    intake.fail(s.error());
                    continue;
                }
                ++intake.ok;
            }
        });
    }
    for (auto& th : threads) th.join();
    threads.clear();
    INFO((intake.firstFailures.empty() ? std::string() : intake.firstFailures.front()));
    REQUIRE(intake.ok == kClients * kPerClient);

    Tally review;
    auto everyone = env.as("s0")->queue(RegisterQueue::WaitingForMyReview, day("2026-11-28"), 5000);
    REQUIRE(everyone.ok());
    REQUIRE(everyone->size() == static_cast<std::size_t>(kClients * kPerClient));
    const std::vector<RequestSummary> waiting = *everyone;
    // Every request is contested by two supervisors at once (client t takes the requests
    // i with i % 20 == t or t + 1): one approves, the other is refused, visibly.
    for (int t = 0; t < kClients; ++t) {
        threads.emplace_back([&env, &review, &waiting, t] {
            auto r = env.as("s" + std::to_string(t));
            for (std::size_t i = 0; i < waiting.size(); ++i) {
                const int slot = static_cast<int>(i % kClients);
                if (slot != t && slot != (t + 1) % kClients) continue;
                Status st = r->approve(waiting[i].id, "");
                if (st)
                    ++review.ok;
                else if (st.error().where.field == "review.status")
                    ++review.refusals;
                else
                    review.fail(st.error());
            }
        });
    }
    for (auto& th : threads) th.join();
    INFO((review.firstFailures.empty() ? std::string() : review.firstFailures.front()));
    CHECK(review.failures == 0);
    CHECK(review.ok == kClients * kPerClient);
    CHECK(review.refusals == kClients * kPerClient);
    auto auditor = env.as("aud_x");
    auto approved = auditor->queue(RegisterQueue::Approved, day("2026-11-28"), 5000);
    REQUIRE(approved.ok());
    CHECK(approved->size() == static_cast<std::size_t>(kClients * kPerClient));
    std::size_t approvals = 0;
    for (const auto& s : *approved) {
        auto evs = auditor->events(s.id);
        REQUIRE(evs.ok());
        for (const auto& e : *evs) approvals += e.action == "approved";
        CHECK(s.version == 3);
    }
    CHECK(approvals == static_cast<std::size_t>(kClients * kPerClient));
}

// 20 desks save the same version of one record at once: one wins, 19 get a conflict and their
// 19 versions are kept.
void oneRecordManyDesks(RegisterEnv& env) {
    addClients(env);
    auto s0 = env.as("s0");
    const auto id = intakeFor(*s0, "s0", day("2026-11-01"), false, "ONE");
    REQUIRE(s0->saveRecord(id, recordFor("one", "ONE"), 0).ok());
    Tally t;
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
        threads.emplace_back([&env, &t, id, c] {
            auto r = env.as("s" + std::to_string(c));
            Json mine = recordFor("one", "ONE");
            mine["helpfulness"]["description"] = "Version of desk " + std::to_string(c) + ".";
            auto v = r->saveRecord(id, mine, 1);
            if (v)
                ++t.ok;
            else if (isVersionConflict(v.error()))
                ++t.conflicts;
            else
                t.fail(v.error());
        });
    }
    for (auto& th : threads) th.join();
    CHECK(t.failures == 0);
    CHECK(t.ok == 1);
    CHECK(t.conflicts == kClients - 1);
    CHECK(s0->conflicts(id)->size() == static_cast<std::size_t>(kClients - 1));
    CHECK(s0->record(id)->version == 2);
}

// A child process saves version after version; it is killed with SIGKILL mid-stream. Every
// version it reported committed is there, every version there is whole, the chain verifies.
void killedDesk(RegisterEnv& env) {
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "KILL");
    REQUIRE(a->saveRecord(id, recordFor("kill", "KILL"), 0).ok());
    a.reset();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        auto r = Register::open(env.location("ofc_a"), RegisterOptions{"ofc_a"});
        if (!r) ::_exit(3);
        Json rec = recordFor("kill", "KILL");
        for (int v = 1;; ++v) {
            rec["helpfulness"]["description"] = "Edit number " + std::to_string(v) + ".";
            auto saved = (*r)->saveRecord(id, rec, v);
            if (!saved) ::_exit(4);
            const int committed = *saved;
            if (::write(fds[1], &committed, sizeof committed) != sizeof committed) ::_exit(5);
        }
    }
    ::close(fds[1]);
    int last = 0, got = 0;
    while (last < 30 && ::read(fds[0], &got, sizeof got) == sizeof got) last = got;
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(fds[0]);
    REQUIRE(last >= 30);
    CHECK(WIFSIGNALED(status));

    auto r = env.as("ofc_a");
    auto latest = r->record(id);
    REQUIRE(latest.ok());
    CHECK(latest->version >= last);
    CHECK(review::verifyChain(latest->record).ok);
    auto evs = r->events(id);
    REQUIRE(evs.ok());
    CHECK(evs->size() == static_cast<std::size_t>(latest->version) + 1);  // intake + one each
    for (int v = 1; v <= latest->version; ++v) {
        auto at = r->record(id, v);
        REQUIRE(at.ok());
        CHECK((*evs)[static_cast<std::size_t>(v)].chainHead == at->record["review"]["head"]);
    }
    // And the desk goes on where the register is.
    CHECK(r->saveRecord(id, recordFor("kill", "KILL"), latest->version).ok());
}

}  // namespace

TEST_CASE("register sqlite: 20 desks submitting and reviewing 1,000 requests at once") {
    SqliteEnv env;
    manyDesks(env);
}

TEST_CASE("register sqlite: 20 desks saving one record at once") {
    SqliteEnv env;
    oneRecordManyDesks(env);
}

TEST_CASE("register sqlite: a desk killed with SIGKILL mid-write loses no committed edit") {
    SqliteEnv env;
    killedDesk(env);
    CHECK(run("sqlite3 " + shellQuote(env.path()) + " 'PRAGMA integrity_check'").out == "ok\n");
}

TEST_CASE("register postgresql: 20 desks submitting and reviewing 1,000 requests at once") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    manyDesks(env);
}

TEST_CASE("register postgresql: 20 desks saving one record at once") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    oneRecordManyDesks(env);
}

TEST_CASE("register postgresql: a desk killed with SIGKILL mid-write loses no committed edit") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    killedDesk(env);
}

TEST_CASE(
    "register postgresql: the server killed with SIGKILL mid-write loses no committed "
    "edit") {
    LECERT_REQUIRE_POSTGRES(shared);
    PgServer server;  // its own, since it is killed
    REQUIRE(server.available());
    PgEnv env(server);
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "CRASH");
    REQUIRE(a->saveRecord(id, recordFor("crash", "CRASH"), 0).ok());
    a.reset();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        auto r = Register::open(env.location("ofc_a"), RegisterOptions{"ofc_a"});
        if (!r) ::_exit(3);
        Json rec = recordFor("crash", "CRASH");
        for (int v = 1;; ++v) {
            rec["helpfulness"]["description"] = "Edit number " + std::to_string(v) + ".";
            auto saved = (*r)->saveRecord(id, rec, v);
            if (!saved) ::_exit(4);  // the server is gone
            const int committed = *saved;
            if (::write(fds[1], &committed, sizeof committed) != sizeof committed) ::_exit(5);
        }
    }
    ::close(fds[1]);
    int last = 0, got = 0;
    while (last < 20 && ::read(fds[0], &got, sizeof got) == sizeof got) last = got;
    const pid_t postmaster = server.postmasterPid();
    REQUIRE(postmaster > 0);
    ::kill(postmaster, SIGKILL);
    // Whatever the child still reports committed before it notices counts too.
    while (::read(fds[0], &got, sizeof got) == sizeof got) last = got;
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(fds[0]);
    REQUIRE(last >= 20);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 4);
    // Backends of the killed postmaster may take a moment to go; the restart waits for them.
    bool restarted = false;
    for (int i = 0; i < 20 && !restarted; ++i) {
        restarted = server.restart();
        if (!restarted) ::usleep(500000);
    }
    REQUIRE(restarted);

    auto r = env.as("ofc_a");
    auto latest = r->record(id);
    REQUIRE(latest.ok());
    CHECK(latest->version >= last);
    CHECK(review::verifyChain(latest->record).ok);
    auto evs = r->events(id);
    REQUIRE(evs.ok());
    CHECK(evs->size() == static_cast<std::size_t>(latest->version) + 1);
    for (int v = 1; v <= latest->version; ++v) {
        auto at = r->record(id, v);
        REQUIRE(at.ok());
        CHECK((*evs)[static_cast<std::size_t>(v)].chainHead == at->record["review"]["head"]);
    }
    CHECK(r->saveRecord(id, recordFor("crash", "CRASH"), latest->version).ok());
}
