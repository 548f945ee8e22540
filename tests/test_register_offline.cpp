// SPDX-License-Identifier: MIT
// The offline local copy and its sync (core/register/local_copy.h) on both back ends: edits
// and actions made without a connection reach the register with the server's user and time
// and the desk's "made offline at"; a conflict keeps both versions and is reported; the file
// is owner-only; a sync cut off by a killed server loses nothing and a second sync finishes.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <iostream>
#include <thread>

#include "core/register/local_copy.h"
#include "core/review/review.h"
#include "register_scenarios.h"

using namespace lecert;
using namespace lecert::test;

namespace {

std::unique_ptr<LocalCopy> localFor(const std::string& path, const std::string& user) {
    auto l = LocalCopy::open(path, user, true);
    if (!l) FAIL("local copy: " << l.error().toString());
    return std::move(*l);
}

Json edited(const std::string& id, const std::string& caseNumber, const std::string& text) {
    Json r = recordFor(id, caseNumber);
    r["helpfulness"]["description"] = text;
    return r;
}

// Checkout, an offline edit and an offline submit, sync: both in the register, stamped.
void offlineScenario(RegisterEnv& env, const TempDir& dir) {
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "OFF-1");
    REQUIRE(a->saveRecord(id, recordFor("off-1", "OFF-1"), 0).ok());
    auto local = localFor(dir.file("offline-ofc_a.db"), a->user());
    REQUIRE(local->checkout(*a, id).ok());
    a.reset();  // the connection is gone; the desk keeps working

    REQUIRE(local->saveEdit(id, edited("off-1", "OFF-1", "Offline edit one.")).ok());
    REQUIRE(local->saveEdit(id, edited("off-1", "OFF-1", "Offline edit two.")).ok());
    REQUIRE(local->addAction(id, "submitted", "sent from the car").ok());
    auto ops = local->operations();
    REQUIRE(ops.ok());
    REQUIRE(ops->size() == 2);  // two edits in a row are one change
    CHECK((*ops)[0].kind == "edit");
    CHECK((*ops)[1].kind == "submitted");
    CHECK((*ops)[0].state == "pending");

    auto back = env.as("ofc_a");
    const SyncReport rep = local->sync(*back);
    CHECK_FALSE(rep.stoppedBy.has_value());
    CHECK(rep.synced == 2);
    CHECK(rep.complete());
    auto latest = back->record(id);
    REQUIRE(latest.ok());
    CHECK(latest->version == 3);
    CHECK(latest->record["helpfulness"]["description"] == "Offline edit two.");
    CHECK(latest->record["review"]["status"] == "submitted");
    CHECK(review::verifyChain(latest->record).ok);
    auto evs = back->events(id);
    REQUIRE(evs.ok());
    REQUIRE(evs->size() == 4);  // intake, edited (online), edited (offline), submitted
    CHECK((*evs)[1].madeOfflineAt.empty());
    for (std::size_t i = 2; i < 4; ++i) {
        CHECK((*evs)[i].actor == "ofc_a");
        CHECK_FALSE((*evs)[i].madeOfflineAt.empty());
        CHECK((*evs)[i].at >= (*evs)[i].madeOfflineAt);  // the server's time is at sync
    }
    CHECK((*evs)[3].action == "submitted");
    // Nothing left: a second sync sends nothing and the local record is the register's.
    const SyncReport again = local->sync(*back);
    CHECK(again.synced == 0);
    CHECK(again.complete());
    auto item = local->item(id);
    REQUIRE(item.ok());
    CHECK(item->baseVersion == 3);
    CHECK(item->record["review"]["status"] == "submitted");

    // lecert killed after the register committed an operation but before the local copy
    // noted it: the next sync recognises it (client_op) and does not apply it twice.
    REQUIRE(local->saveEdit(id, edited("off-1", "OFF-1", "Offline edit three.")).ok());
    REQUIRE(local->sync(*back).synced == 1);
    const std::string file = dir.file("offline-ofc_a.db");
    REQUIRE(run("sqlite3 " + shellQuote(file) +
                " \"UPDATE ops SET state = 'pending', synced_version = 0 WHERE seq = (SELECT "
                "max(seq) FROM ops); UPDATE items SET base_version = 3\"")
                .exitCode == 0);
    const SyncReport replay = local->sync(*back);
    CHECK(replay.alreadyInRegister == 1);
    CHECK(replay.synced == 0);
    CHECK(replay.conflicts == 0);
    CHECK(back->record(id)->version == 4);
    CHECK(back->events(id)->size() == 5);
    CHECK(local->item(id)->baseVersion == 4);
}

// Someone else saves while the desk is offline: the offline edit is a conflict, reported,
// kept in the register's conflict copies and in the local copy; the later action is blocked.
void offlineConflictScenario(RegisterEnv& env, const TempDir& dir) {
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "OFF-2");
    REQUIRE(a->saveRecord(id, recordFor("off-2", "OFF-2"), 0).ok());
    auto local = localFor(dir.file("offline-conflict.db"), a->user());
    REQUIRE(local->checkout(*a, id).ok());
    REQUIRE(local->saveEdit(id, edited("off-2", "OFF-2", "Desk version.")).ok());
    REQUIRE(local->addAction(id, "submitted", "").ok());
    auto sup = env.as("sup_s");
    REQUIRE(sup->saveRecord(id, edited("off-2", "OFF-2", "Supervisor version."), 1).ok());

    const SyncReport rep = local->sync(*a);
    CHECK_FALSE(rep.stoppedBy.has_value());
    CHECK(rep.conflicts == 1);
    CHECK(rep.blocked == 1);
    CHECK(rep.synced == 0);
    REQUIRE(rep.lines.size() == 1);
    CHECK(rep.lines[0].find("CONFLICT") != std::string::npos);
    CHECK(rep.lines[0].find("Desk version") == std::string::npos);  // no values in messages
    auto latest = a->record(id);
    REQUIRE(latest.ok());
    CHECK(latest->version == 2);  // the register's version stays
    CHECK(latest->record["helpfulness"]["description"] == "Supervisor version.");
    CHECK(latest->record["review"]["status"] == "draft");  // the blocked submit was not sent
    auto kept = a->conflicts(id);
    REQUIRE(kept.ok());
    CHECK(*kept == std::vector<int>{1});
    auto item = local->item(id);
    REQUIRE(item.ok());
    CHECK(item->record["helpfulness"]["description"] == "Desk version.");
    auto ops = local->operations();
    REQUIRE(ops.ok());
    CHECK((*ops)[0].state == "conflict");
    CHECK((*ops)[1].state == "blocked");
    // After merging, check out again (the conflict is settled) and the next sync applies.
    REQUIRE(local->checkout(*a, id).ok());
    REQUIRE(local->saveEdit(id, edited("off-2", "OFF-2", "Merged version.")).ok());
    CHECK(local->sync(*a).synced == 1);
    CHECK(a->record(id)->record["helpfulness"]["description"] == "Merged version.");
}

// An offline approval by the submitter is refused at sync by the register's rules.
void offlineRulesScenario(RegisterEnv& env, const TempDir& dir) {
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "OFF-3");
    REQUIRE(a->saveRecord(id, recordFor("off-3", "OFF-3"), 0).ok());
    auto local = localFor(dir.file("offline-rules.db"), a->user());
    REQUIRE(local->checkout(*a, id).ok());
    REQUIRE(local->addAction(id, "approved", "").ok());
    const SyncReport rep = local->sync(*a);
    CHECK(rep.refused == 1);
    CHECK(a->record(id)->record["review"]["status"] == "draft");
}

}  // namespace

TEST_CASE("register offline sqlite: edits and actions made offline sync, stamped") {
    SqliteEnv env;
    TempDir dir;
    offlineScenario(env, dir);
}

TEST_CASE("register offline sqlite: a conflict keeps both versions and is reported") {
    SqliteEnv env;
    TempDir dir;
    offlineConflictScenario(env, dir);
    offlineRulesScenario(env, dir);
}

TEST_CASE("register offline postgresql: edits and actions made offline sync, stamped") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    TempDir dir;
    offlineScenario(env, dir);
}

TEST_CASE("register offline postgresql: a conflict keeps both versions and is reported") {
    LECERT_REQUIRE_POSTGRES(server);
    PgEnv env(server);
    TempDir dir;
    offlineConflictScenario(env, dir);
    offlineRulesScenario(env, dir);
}

TEST_CASE("register offline: the local copy is owner-only and refuses wider permissions") {
    SqliteEnv env;
    TempDir dir;
    const std::string path = dir.file("sub/offline.db");
    auto a = env.as("ofc_a");
    {
        auto local = localFor(path, "ofc_a");
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    CHECK(LocalCopy::open(path, "ofc_b", false).error().message.find("made for user 'ofc_a'") !=
          std::string::npos);
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    auto refused = LocalCopy::open(path, "ofc_a", false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("chmod 600") != std::string::npos);
    // A copy checked out by ofc_a cannot be synced by another user.
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    auto local = localFor(path, "ofc_a");
    auto b = env.as("ofc_b");
    CHECK(local->sync(*b).stoppedBy.has_value());
}

TEST_CASE(
    "register offline postgresql: the server killed mid-sync loses nothing, a second "
    "sync finishes") {
    LECERT_REQUIRE_POSTGRES(shared);
    PgServer server;  // its own, since it is killed
    REQUIRE(server.available());
    PgEnv env(server);
    TempDir dir;
    const std::string path = dir.file("offline.db");
    constexpr int kRequests = 60;
    std::vector<std::int64_t> ids;
    {
        auto a = env.as("ofc_a");
        auto local = localFor(path, a->user());
        for (int i = 0; i < kRequests; ++i) {
            const std::string n = std::to_string(i);
            ids.push_back(intakeFor(*a, "ofc_a", day("2026-11-01"), false, "K-" + n));
            REQUIRE(a->saveRecord(ids.back(), recordFor("k-" + n, "K-" + n), 0).ok());
            REQUIRE(local->checkout(*a, ids.back()).ok());
            REQUIRE(
                local->saveEdit(ids.back(), edited("k-" + n, "K-" + n, "Offline " + n + ".")).ok());
        }
    }
    // Sync on a thread; kill the server once a few operations are in.
    SyncReport first;
    std::atomic<bool> done{false};
    std::thread syncer([&] {
        auto a = env.as("ofc_a");
        auto local = localFor(path, "ofc_a");
        first = local->sync(*a);
        done = true;
    });
    auto watcher = localFor(path, "ofc_a");
    for (int i = 0; i < 6000 && !done; ++i) {
        auto ops = watcher->operations();
        if (ops && std::count_if(ops->begin(), ops->end(),
                                 [](const LocalOp& o) { return o.state == "synced"; }) >= 10)
            break;
        ::usleep(5000);
    }
    REQUIRE_FALSE(done.load());  // the kill must land mid-sync
    const pid_t postmaster = server.postmasterPid();
    REQUIRE(postmaster > 0);
    ::kill(postmaster, SIGKILL);
    syncer.join();
    REQUIRE(first.stoppedBy.has_value());
    CHECK(isConnectionLost(*first.stoppedBy));
    CHECK(first.stillPending > 0);
    CHECK(first.synced >= 10);
    bool restarted = false;
    for (int i = 0; i < 20 && !restarted; ++i) {
        restarted = server.restart();
        if (!restarted) ::usleep(500000);
    }
    REQUIRE(restarted);

    auto a = env.as("ofc_a");
    const SyncReport second = watcher->sync(*a);
    CHECK_FALSE(second.stoppedBy.has_value());
    CHECK(second.complete());
    CHECK(first.synced + second.synced + second.alreadyInRegister == kRequests);
    // Every offline edit is in the register exactly once.
    for (int i = 0; i < kRequests; ++i) {
        auto latest = a->record(ids[static_cast<std::size_t>(i)]);
        REQUIRE(latest.ok());
        CHECK(latest->version == 2);
        CHECK(latest->record["helpfulness"]["description"] == "Offline " + std::to_string(i) + ".");
        auto evs = a->events(ids[static_cast<std::size_t>(i)]);
        REQUIRE(evs.ok());
        CHECK(evs->size() == 3);
        CHECK_FALSE(evs->back().madeOfflineAt.empty());
    }
    std::cout << "killed mid-sync: first sync " << first.synced << " synced, second "
              << second.synced << " synced + " << second.alreadyInRegister
              << " found already in the register\n";
}
