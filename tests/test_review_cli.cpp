// SPDX-License-Identifier: MIT
// `lecert review show` and `lecert review verify`: exit codes and output of the built CLI.
#include <catch2/catch.hpp>

#include <string>

#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/util/json_io.h"
#include "support.h"

using lecert::Json;
using lecert::test::TempDir;
namespace review = lecert::review;

namespace {

std::string approvedPath() {
    return lecert::test::dataFile("review/approved.json");
}

std::string write(const TempDir& dir, const std::string& name, const Json& j) {
    return dir.write(name, lecert::dumpPretty(j));
}

}  // namespace

TEST_CASE("review verify: intact, broken, unreadable, malformed", "[cli][review]") {
    TempDir dir;
    const Json good = lecert::test::loadJson(approvedPath());
    Json broken = good;
    broken["review"]["events"][2]["note"] = "rewritten";
    const std::string brokenPath = write(dir, "broken.json", broken);
    Json malformed = good;
    malformed["review"]["events"] = 3;
    const std::string malformedPath = write(dir, "malformed.json", malformed);
    const std::string garbagePath = dir.write("garbage.json", "{\"form\": \"i918b\",");
    const std::string plainPath = lecert::test::dataFile("review/record.json");

    SECTION("an intact chain") {
        auto r = lecert::test::lecert({"review", "verify", approvedPath()});
        CHECK(r.exitCode == 0);
        CHECK(r.out.rfind(approvedPath() + ": intact (8 events)\n", 0) == 0);
        // An intact chain of unsigned events: intact, but nothing authenticates the approval.
        CHECK_THAT(r.out, Catch::Contains("  event 8 approved by Sgt. Dana Reyes: UNSIGNED\n"));
        CHECK_THAT(r.out,
                   Catch::Contains("Approval: APPROVAL UNVERIFIED: the approval is not signed"));
    }
    SECTION("a record without history") {
        auto r = lecert::test::lecert({"review", "verify", plainPath});
        CHECK(r.exitCode == 0);
        CHECK(r.out == plainPath + ": no review history\n");
    }
    SECTION("a broken chain gives exit 1 and names the event") {
        auto r = lecert::test::lecert({"review", "verify", approvedPath(), brokenPath});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.out, Catch::Contains(approvedPath() + ": intact (8 events)"));
        CHECK_THAT(r.out, Catch::Contains(brokenPath + ": BROKEN at event 3: "));
        // The tampered note is never echoed.
        CHECK_THAT(r.out + r.err, !Catch::Contains("rewritten"));
    }
    SECTION("unreadable input gives exit 2 and the other files are still checked") {
        auto r = lecert::test::lecert(
            {"review", "verify", garbagePath, approvedPath(), dir.file("missing.json")});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("garbage.json"));
        CHECK_THAT(r.err, Catch::Contains("missing.json"));
        CHECK_THAT(r.out, Catch::Contains(approvedPath() + ": intact (8 events)"));
    }
    SECTION("a malformed review gives exit 2, even beside a broken chain") {
        auto r = lecert::test::lecert({"review", "verify", brokenPath, malformedPath});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains(
                              "malformed.json: malformed review: review.events: must be an array"));
    }
    SECTION("arrays of records are labelled by index") {
        const std::string arr = write(dir, "two.json", Json::array({good, broken}));
        auto r = lecert::test::lecert({"review", "verify", arr});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.out, Catch::Contains(arr + ":0: intact (8 events)"));
        CHECK_THAT(r.out, Catch::Contains(arr + ":1: BROKEN at event 3"));
    }
    SECTION("usage errors") {
        CHECK(lecert::test::lecert({"review"}).exitCode == 2);
        CHECK(lecert::test::lecert({"review", "verify"}).exitCode == 2);
    }
}

TEST_CASE("review show: status, comments, history, chain", "[cli][review]") {
    TempDir dir;

    SECTION("an approved record") {
        auto r = lecert::test::lecert({"review", "show", approvedPath()});
        CHECK(r.exitCode == 0);
        CHECK_THAT(r.out, Catch::Contains("Status: approved\n"));
        CHECK_THAT(r.out,
                   Catch::Contains("Cover: APPROVAL UNVERIFIED: the approval is not signed\n"));
        CHECK_THAT(r.out, Catch::Contains("Open comments (0):\n"));
        CHECK_THAT(r.out, Catch::Contains("History (8 events):\n"));
        CHECK_THAT(r.out, Catch::Contains("  2026-11-28T14:00:00Z  Det. Sam Officer  created\n"));
        CHECK_THAT(
            r.out,
            Catch::Contains(
                "  2026-11-28T14:01:00Z  Det. Sam Officer  commented  c1 on crime.injury\n"));
        CHECK_THAT(r.out,
                   Catch::Contains(
                       "  2026-11-28T14:03:00Z  Sgt. Dana Reyes  returned  Add the injury.\n"));
        CHECK_THAT(r.out, Catch::Contains(
                              "  2026-11-28T14:04:00Z  Det. Sam Officer  edited  crime.injury\n"));
        CHECK_THAT(
            r.out,
            Catch::Contains("  2026-11-28T14:05:00Z  Det. Sam Officer  commented  resolved c1\n"));
        CHECK_THAT(r.out, Catch::Contains(
                              "  2026-11-28T14:07:00Z  Sgt. Dana Reyes  approved  Looks right.\n"));
        CHECK_THAT(r.out, Catch::Contains("Chain: intact (8 events)\n"));
    }
    SECTION("a submitted record with open comments") {
        Json rec = lecert::test::loadJson(lecert::test::dataFile("review/record.json"));
        REQUIRE(review::submit(rec, "Det. Sam Officer", "", "2026-11-28T14:00:00Z").ok());
        REQUIRE(review::addComment(rec, "crime.dates[1]", "Sgt. Dana Reyes", "Confirm this date.",
                                   "2026-11-28T14:05:00Z")
                    .ok());
        REQUIRE(review::addComment(rec, "victim.gender", "Sgt. Dana Reyes", "Done.",
                                   "2026-11-28T14:06:00Z")
                    .ok());
        REQUIRE(review::resolveComment(rec, "c2", "Det. Sam Officer", "2026-11-28T14:07:00Z").ok());
        const std::string path = write(dir, "submitted.json", rec);
        auto r = lecert::test::lecert({"review", "show", path});
        CHECK(r.exitCode == 0);
        CHECK_THAT(r.out, Catch::Contains("Status: submitted\n"));
        CHECK_THAT(r.out, Catch::Contains("Cover: DRAFT\n"));
        CHECK_THAT(r.out, Catch::Contains("Open comments (1):\n"));
        CHECK_THAT(r.out, Catch::Contains("  [c1] crime.dates[1]: Confirm this date. \u2014 Sgt. "
                                          "Dana Reyes, 2026-11-28T14:05:00Z\n"));
        CHECK_THAT(r.out, !Catch::Contains("[c2]"));
        CHECK_THAT(r.out, Catch::Contains("Chain: intact (5 events)\n"));
    }
    SECTION("a broken record gives exit 1") {
        Json rec = lecert::test::loadJson(approvedPath());
        std::swap(rec["review"]["events"][4], rec["review"]["events"][5]);
        const std::string path = write(dir, "swapped.json", rec);
        auto r = lecert::test::lecert({"review", "show", path});
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.out, Catch::Contains("Chain: BROKEN at event 5: "));
    }
    SECTION("content edited outside lecert is pointed out") {
        Json rec = lecert::test::loadJson(approvedPath());
        rec["victim"]["given_name"] = "Other";
        const std::string path = write(dir, "outside.json", rec);
        auto r = lecert::test::lecert({"review", "show", path});
        // Approved content changed without touching the history: reported, exit 1.
        CHECK(r.exitCode == 1);
        CHECK_THAT(r.out, Catch::Contains(
                              "Cover: APPROVAL UNVERIFIED: the record content changed after the "
                              "approval\n"));
        CHECK_THAT(r.out, Catch::Contains("CONTENT CHANGED AFTER APPROVAL"));
        CHECK_THAT(r.out, Catch::Contains("changed since the last review event"));
    }
    SECTION("unreadable input gives exit 2") {
        auto r = lecert::test::lecert({"review", "show", dir.file("missing.json")});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("missing.json"));
        CHECK(r.out.empty());
    }
}

TEST_CASE("review key export, and verify reports each event's signature",
          "[cli][review][signing]") {
    TempDir dir;
    const std::string keyPath = dir.file("home/.config/lecert/reviewer-key.pem");
    const std::string pass = dir.write("pass.txt", "supervisor passphrase\n");
    auto ex = lecert::test::lecert({"review", "key", "export", "--key", keyPath,
                                    "--passphrase-file", pass, "--name", "Sgt. Dana Reyes"});
    INFO(ex.err);
    REQUIRE(ex.exitCode == 0);
    CHECK(ex.out.rfind("ed25519 ", 0) == 0);
    CHECK(ex.out.find(" Sgt. Dana Reyes\n") != std::string::npos);
    CHECK(lecert::test::readText(keyPath).find("ENCRYPTED PRIVATE KEY") != std::string::npos);
    // The same key the second time; a wrong passphrase fails.
    auto again = lecert::test::lecert({"review", "key", "export", "--key", keyPath,
                                       "--passphrase-file", pass, "--name", "Sgt. Dana Reyes"});
    CHECK(again.out == ex.out);
    const std::string wrong = dir.write("wrong.txt", "nope\n");
    CHECK(lecert::test::lecert({"review", "key", "export", "--key", keyPath, "--passphrase-file",
                                wrong, "--name", "x"})
              .exitCode == 2);
    const std::string trusted = dir.write("trusted-keys.txt", "# RPD reviewers\n" + ex.out);

    auto key = review::ReviewerKey::loadOrCreate(keyPath, "supervisor passphrase");
    REQUIRE(key.ok());
    Json rec = lecert::test::loadJson(lecert::test::dataFile("review/record.json"));
    REQUIRE(review::submit(rec, "Det. Sam Officer", "", "2026-11-28T14:00:00Z").ok());
    REQUIRE(review::approve(rec, "Sgt. Dana Reyes", "", "2026-11-28T15:00:00Z", false).ok());
    REQUIRE(review::signLastEvent(rec, *key).ok());
    const std::string signedPath = write(dir, "signed.json", rec);

    auto v = lecert::test::lecert({"review", "verify", "--trusted-keys", trusted, signedPath});
    INFO(v.out);
    CHECK(v.exitCode == 0);
    CHECK_THAT(v.out, Catch::Contains("event 2 submitted by Det. Sam Officer: UNSIGNED"));
    CHECK_THAT(
        v.out,
        Catch::Contains(
            "event 3 approved by Sgt. Dana Reyes: signed by trusted key \"Sgt. Dana Reyes\""));
    CHECK_THAT(v.out, Catch::Contains("Approval: Approved by Sgt. Dana Reyes on 11/28/2026"));
    // Without the trusted keys the same signature is an unknown key.
    auto unknown = lecert::test::lecert({"review", "verify", signedPath});
    CHECK_THAT(unknown.out, Catch::Contains("signed by an UNKNOWN key"));
    CHECK_THAT(unknown.out, Catch::Contains("APPROVAL UNVERIFIED"));
    // The env var names the trusted keys too.
    auto env = lecert::test::run("LECERT_TRUSTED_KEYS=" + lecert::test::shellQuote(trusted) + " " +
                                 lecert::test::shellQuote(LECERT_CLI_PATH) + " review show " +
                                 lecert::test::shellQuote(signedPath));
    CHECK_THAT(env.out, Catch::Contains("Cover: Approved by Sgt. Dana Reyes on 11/28/2026"));

    // Content changed after approval: reported, exit 1, cover unverified.
    Json changed = rec;
    changed["victim"]["family_name"] = "Someone Else";
    const std::string changedPath = write(dir, "changed.json", changed);
    auto c = lecert::test::lecert({"review", "verify", "--trusted-keys", trusted, changedPath});
    CHECK(c.exitCode == 1);
    CHECK_THAT(c.out, Catch::Contains("CONTENT CHANGED AFTER APPROVAL"));
    CHECK(c.out.find("Someone Else") == std::string::npos);
    // A rewritten approval (actor changed, chain recomputed): the signature no longer verifies.
    Json forged = rec;
    auto& evs = forged["review"]["events"];
    evs.back()["actor"] = "Chief Nobody";
    std::string prev(review::kGenesisHash);
    for (auto& e : evs) {
        e.erase("hash");
        e["hash"] = review::eventHash(prev, e);
        prev = e["hash"].get<std::string>();
    }
    forged["review"]["head"] = prev;
    const std::string forgedPath = write(dir, "forged.json", forged);
    auto f = lecert::test::lecert({"review", "verify", "--trusted-keys", trusted, forgedPath});
    CHECK(f.exitCode == 1);
    CHECK_THAT(f.out, Catch::Contains("intact"));
    CHECK_THAT(f.out, Catch::Contains("INVALID signature"));
}
