// SPDX-License-Identifier: MIT
// Review model: transitions, comments, the hash chain and its verifier, diff, status line.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "support.h"

using lecert::Json;
using lecert::ReviewAction;
using lecert::ReviewStatus;
namespace review = lecert::review;
namespace fs = std::filesystem;

namespace {

const std::string kDataDir = LECERT_TEST_DATA_DIR;

Json loadSample() {
    auto text = lecert::readFile(kDataDir + "/review/record.json");
    REQUIRE(text.ok());
    auto j = lecert::parseJson(*text, "record.json");
    REQUIRE(j.ok());
    return *j;
}

const char* const kOfficer = "Det. Sam Officer";
const char* const kSupervisor = "Sgt. Dana Reyes";

// Timestamps a minute apart, deterministic.
std::string at(int minute) {
    const int h = 14 + minute / 60;
    const int m = minute % 60;
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-11-28T%02d:%02d:00Z", h, m);
    return buf;
}

// A record brought to `target` through the normal workflow.
Json recordIn(ReviewStatus target) {
    Json r = loadSample();
    REQUIRE(review::ensureCreated(r, kOfficer, at(0)).ok());
    if (target == ReviewStatus::Draft) return r;
    REQUIRE(review::submit(r, kOfficer, "", at(1)).ok());
    if (target == ReviewStatus::Submitted) return r;
    if (target == ReviewStatus::Returned) {
        REQUIRE(review::returnToOfficer(r, kSupervisor, "Please add the injury.", at(2)).ok());
        return r;
    }
    REQUIRE(review::approve(r, kSupervisor, "", at(2), false).ok());
    return r;
}

std::string lastAction(const Json& r) {
    return r["review"]["events"].back()["action"].get<std::string>();
}

// A history of every kind of event: created, commented, submitted, returned, edited,
// commented (resolve), submitted, approved.
Json fullHistory() {
    Json r = loadSample();
    REQUIRE(review::ensureCreated(r, kOfficer, at(0)).ok());
    auto id = review::addComment(r, "crime.injury", kOfficer, "Injury report pending.", at(1));
    REQUIRE(id.ok());
    REQUIRE(review::submit(r, kOfficer, "Ready", at(2)).ok());
    REQUIRE(review::returnToOfficer(r, kSupervisor, "Add the injury.", at(3)).ok());
    r["crime"]["injury"] = "Fictional injury.";
    auto edited = review::recordEdited(r, kOfficer, at(4), {"crime.injury"});
    REQUIRE(edited.ok());
    REQUIRE(*edited);
    REQUIRE(review::resolveComment(r, *id, kOfficer, at(5)).ok());
    REQUIRE(review::submit(r, kOfficer, "", at(6)).ok());
    REQUIRE(review::approve(r, kSupervisor, "Looks right.", at(7), false).ok());
    REQUIRE(review::verifyChain(r).ok);
    return r;
}

}  // namespace

TEST_CASE("sha256Hex matches the FIPS 180-2 test vectors", "[sha256]") {
    CHECK(lecert::sha256Hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(lecert::sha256Hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(lecert::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    lecert::Sha256 h;
    const std::string chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(chunk);
    CHECK(h.finalHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // finalHex() resets: the object hashes a new message.
    h.update("ab");
    h.update("c");
    CHECK(h.finalHex() == lecert::sha256Hex("abc"));
}

TEST_CASE("a new record gets status draft and a created event", "[review]") {
    Json r = loadSample();
    CHECK(review::status(r) == ReviewStatus::Draft);
    REQUIRE(review::ensureCreated(r, kOfficer, at(0)).ok());
    REQUIRE(r["review"]["events"].size() == 1);
    CHECK(r["review"]["status"] == "draft");
    const Json& e = r["review"]["events"][0];
    CHECK(e["action"] == "created");
    CHECK(e["actor"] == kOfficer);
    CHECK(e["at"] == at(0));
    CHECK(e["snapshot_hash"] == review::contentHash(r));
    CHECK(r["review"]["head"] == e["hash"]);
    // A second call does nothing.
    const Json before = r;
    REQUIRE(review::ensureCreated(r, kSupervisor, at(5)).ok());
    CHECK(r == before);
}

TEST_CASE("the event hash is SHA-256 of the previous hash and the canonical event", "[review]") {
    Json r = loadSample();
    REQUIRE(review::ensureCreated(r, "A", "2026-01-02T03:04:05Z").ok());
    REQUIRE(review::submit(r, "B", "n", "2026-01-02T03:04:06Z").ok());
    const Json& e0 = r["review"]["events"][0];
    // Written out by hand: keys sorted, compact, without "hash".
    const std::string canon0 =
        "{\"action\":\"created\",\"actor\":\"A\",\"at\":\"2026-01-02T03:04:05Z\","
        "\"note\":\"\",\"snapshot_hash\":\"" +
        e0["snapshot_hash"].get<std::string>() + "\"}";
    const std::string h0 = lecert::sha256Hex(std::string(64, '0') + canon0);
    CHECK(e0["hash"] == h0);
    const Json& e1 = r["review"]["events"][1];
    Json noHash = e1;
    noHash.erase("hash");
    CHECK(e1["hash"] == lecert::sha256Hex(h0 + lecert::dumpCanonical(noHash)));
    CHECK(e1["snapshot"] == review::content(r));
    CHECK_FALSE(e1["snapshot"].contains("review"));
}

TEST_CASE("every allowed transition", "[review][transitions]") {
    SECTION("draft -> submitted") {
        Json r = recordIn(ReviewStatus::Draft);
        REQUIRE(review::submit(r, kOfficer, "", at(5)).ok());
        CHECK(review::status(r) == ReviewStatus::Submitted);
        CHECK(lastAction(r) == "submitted");
    }
    SECTION("submitted -> returned (with a note)") {
        Json r = recordIn(ReviewStatus::Submitted);
        REQUIRE(review::returnToOfficer(r, kSupervisor, "Fix the dates.", at(5)).ok());
        CHECK(review::status(r) == ReviewStatus::Returned);
        CHECK(r["review"]["events"].back()["note"] == "Fix the dates.");
    }
    SECTION("returned -> submitted") {
        Json r = recordIn(ReviewStatus::Returned);
        REQUIRE(review::submit(r, kOfficer, "Fixed", at(5)).ok());
        CHECK(review::status(r) == ReviewStatus::Submitted);
    }
    SECTION("submitted -> approved") {
        Json r = recordIn(ReviewStatus::Submitted);
        REQUIRE(review::approve(r, kSupervisor, "", at(5), false).ok());
        CHECK(review::status(r) == ReviewStatus::Approved);
        CHECK(lastAction(r) == "approved");
    }
    SECTION("approved -> draft by an edit") {
        Json r = recordIn(ReviewStatus::Approved);
        r["victim"]["middle_name"] = "Lee";
        auto e = review::recordEdited(r, kOfficer, at(5), {"victim.middle_name"});
        REQUIRE(e.ok());
        CHECK(*e);
        CHECK(review::status(r) == ReviewStatus::Draft);
        CHECK(lastAction(r) == "edited");
        CHECK(r["review"]["events"].back()["fields"] == Json::array({"victim.middle_name"}));
    }
    SECTION("edits keep draft, returned and submitted") {
        for (ReviewStatus s :
             {ReviewStatus::Draft, ReviewStatus::Returned, ReviewStatus::Submitted}) {
            Json r = recordIn(s);
            r["crime"]["injury"] = "Fictional bruising.";
            auto e = review::recordEdited(r, kOfficer, at(5));
            REQUIRE(e.ok());
            CHECK(*e);
            CHECK(review::status(r) == s);
            CHECK(review::verifyChain(r).ok);
        }
    }
    SECTION("allowedActions matches the table") {
        using A = ReviewAction;
        CHECK(review::allowedActions(ReviewStatus::Draft) == std::vector<A>{A::Submit, A::Edit});
        CHECK(review::allowedActions(ReviewStatus::Returned) == std::vector<A>{A::Submit, A::Edit});
        CHECK(review::allowedActions(ReviewStatus::Submitted) ==
              std::vector<A>{A::Return, A::Approve, A::Edit});
        CHECK(review::allowedActions(ReviewStatus::Approved) == std::vector<A>{A::Edit});
    }
}

TEST_CASE("every forbidden transition is refused and leaves the record untouched",
          "[review][transitions]") {
    struct Case {
        ReviewStatus from;
        ReviewAction action;
        const char* allowed;
    };
    const std::vector<Case> cases = {
        {ReviewStatus::Draft, ReviewAction::Return, "allowed: submit, edit"},
        {ReviewStatus::Draft, ReviewAction::Approve, "allowed: submit, edit"},
        {ReviewStatus::Returned, ReviewAction::Return, "allowed: submit, edit"},
        {ReviewStatus::Returned, ReviewAction::Approve, "allowed: submit, edit"},
        {ReviewStatus::Submitted, ReviewAction::Submit, "allowed: return, approve, edit"},
        {ReviewStatus::Approved, ReviewAction::Submit, "allowed: edit"},
        {ReviewStatus::Approved, ReviewAction::Return, "allowed: edit"},
        {ReviewStatus::Approved, ReviewAction::Approve, "allowed: edit"},
    };
    for (const Case& c : cases) {
        Json r = recordIn(c.from);
        const Json before = r;
        lecert::Status result = lecert::Ok{};
        switch (c.action) {
            case ReviewAction::Submit:
                result = review::submit(r, kOfficer, "", at(9));
                break;
            case ReviewAction::Return:
                result = review::returnToOfficer(r, kSupervisor, "Note", at(9));
                break;
            case ReviewAction::Approve:
                result = review::approve(r, kSupervisor, "", at(9), false);
                break;
            case ReviewAction::Edit:
                break;
        }
        INFO(std::string(review::toString(c.action)) + " from " +
             std::string(review::toString(c.from)));
        REQUIRE_FALSE(result.ok());
        const std::string msg = result.error().message;
        CHECK_THAT(msg, Catch::Contains("'" + std::string(review::toString(c.from)) + "'"));
        CHECK_THAT(msg, Catch::Contains(c.allowed));
        CHECK(result.error().where.field == "review.status");
        CHECK(r == before);
        CHECK_FALSE(review::isAllowed(c.from, c.action));
    }
}

TEST_CASE("approve and return have preconditions", "[review][transitions]") {
    SECTION("approving a record with validation errors is refused") {
        Json r = recordIn(ReviewStatus::Submitted);
        const Json before = r;
        auto s = review::approve(r, kSupervisor, "", at(5), true);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("validation errors"));
        CHECK(r == before);
    }
    SECTION("returning needs a note") {
        Json r = recordIn(ReviewStatus::Submitted);
        const Json before = r;
        auto s = review::returnToOfficer(r, kSupervisor, "  \n ", at(5));
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("note"));
        CHECK(r == before);
    }
    SECTION("content changed outside lecert after submission blocks approval") {
        Json r = recordIn(ReviewStatus::Submitted);
        r["victim"]["given_name"] = "Changed";
        auto s = review::approve(r, kSupervisor, "", at(5), false);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("changed outside lecert"));
        // Recording the edit (the app does so on save) makes the change reviewable.
        REQUIRE(review::recordEdited(r, kOfficer, at(6)).ok());
        CHECK(review::approve(r, kSupervisor, "", at(7), false).ok());
    }
    SECTION("a broken history blocks approval") {
        Json r = recordIn(ReviewStatus::Submitted);
        r["review"]["events"][0]["actor"] = "Someone else";
        auto s = review::approve(r, kSupervisor, "", at(5), false);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("does not verify"));
    }
    SECTION("actor and timestamp are checked") {
        Json r = recordIn(ReviewStatus::Draft);
        const Json before = r;
        CHECK_FALSE(review::submit(r, "  ", "", at(5)).ok());
        CHECK_FALSE(review::submit(r, kOfficer, "", "2026-11-28 14:00").ok());
        CHECK_FALSE(review::submit(r, kOfficer, "", "2026-02-30T10:00:00Z").ok());
        CHECK_FALSE(review::submit(r, kOfficer, "", "2026-11-28T24:00:00Z").ok());
        CHECK(r == before);
    }
}

TEST_CASE("the first save of a record without history records only its creation", "[review]") {
    Json r = loadSample();
    r["x custom key"] = 1;  // unknown keys are kept; their paths need not parse
    auto e = review::recordEdited(r, kOfficer, at(0), {"x custom key"});
    REQUIRE(e.ok());
    CHECK(*e);
    REQUIRE(r["review"]["events"].size() == 1);
    CHECK(lastAction(r) == "created");
    r["x custom key"] = 2;
    REQUIRE(review::recordEdited(r, kOfficer, at(1), {"x custom key"}).ok());
    CHECK(r["review"]["events"].back()["fields"] == Json::array({"x custom key"}));
    CHECK(review::verifyChain(r).ok);
}

TEST_CASE("edits that change nothing add no event", "[review]") {
    Json r = recordIn(ReviewStatus::Approved);
    const Json before = r;
    auto e = review::recordEdited(r, kOfficer, at(5));
    REQUIRE(e.ok());
    CHECK_FALSE(*e);
    CHECK(r == before);
    CHECK(review::status(r) == ReviewStatus::Approved);
}

TEST_CASE("comments are anchored, resolvable, and survive save and load", "[review][comments]") {
    Json r = recordIn(ReviewStatus::Submitted);
    auto c1 = review::addComment(r, "crime.dates[1]", kSupervisor,
                                 "Confirm this date with the report.", at(3));
    auto c2 = review::addComment(r, "family.members[0].relationship", kSupervisor,
                                 "Spouse or partner?", at(4));
    REQUIRE(c1.ok());
    REQUIRE(c2.ok());
    CHECK(*c1 == "c1");
    CHECK(*c2 == "c2");
    CHECK(review::status(r) == ReviewStatus::Submitted);  // comments never change the status
    REQUIRE(review::resolveComment(r, "c1", kOfficer, at(5)).ok());

    SECTION("bad comments are refused") {
        const Json before = r;
        CHECK_FALSE(review::addComment(r, "crime..dates", kSupervisor, "x", at(6)).ok());
        CHECK_FALSE(review::addComment(r, "", kSupervisor, "x", at(6)).ok());
        auto empty = review::addComment(r, "victim.gender", kSupervisor, " \t", at(6));
        REQUIRE_FALSE(empty.ok());
        CHECK(empty.error().where.field == "victim.gender");
        auto again = review::resolveComment(r, "c1", kOfficer, at(6));
        REQUIRE_FALSE(again.ok());
        CHECK_THAT(again.error().message, Catch::Contains("already resolved"));
        CHECK_FALSE(review::resolveComment(r, "c9", kOfficer, at(6)).ok());
        CHECK(r == before);
    }

    SECTION("save and load") {
        const fs::path dir =
            fs::temp_directory_path() / ("lecert-test-review-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        const std::string path = (dir / "draft.json").string();
        REQUIRE(lecert::writeFileAtomic(path, lecert::dumpPretty(r), 0600).ok());
        auto text = lecert::readFile(path);
        REQUIRE(text.ok());
        auto loaded = lecert::parseJson(*text, path);
        REQUIRE(loaded.ok());
        fs::remove_all(dir);

        const auto all = review::comments(*loaded);
        REQUIRE(all.size() == 2);
        CHECK(all[0].id == "c1");
        CHECK(all[0].field == "crime.dates[1]");
        CHECK(all[0].author == kSupervisor);
        CHECK(all[0].at == at(3));
        CHECK(all[0].text == "Confirm this date with the report.");
        CHECK(all[0].resolved);
        CHECK(all[0].resolvedBy == kOfficer);
        CHECK(all[0].resolvedAt == at(5));
        CHECK(all[1].field == "family.members[0].relationship");
        CHECK_FALSE(all[1].resolved);
        const auto open = review::comments(*loaded, true);
        REQUIRE(open.size() == 1);
        CHECK(open[0].id == "c2");
        CHECK(review::verifyChain(*loaded).ok);
        CHECK(*loaded == r);
        // Ids keep counting after a reload.
        auto c3 =
            review::addComment(*loaded, "victim.family_name", kSupervisor, "Spelling?", at(7));
        REQUIRE(c3.ok());
        CHECK(*c3 == "c3");
    }
}

TEST_CASE("the verifier detects any edit, reorder, deletion or insertion", "[review][verify]") {
    const Json good = fullHistory();
    const std::size_t n = good["review"]["events"].size();
    REQUIRE(n == 8);
    {
        const auto v = review::verifyChain(good);
        CHECK(v.ok);
        CHECK(v.eventCount == n);
        CHECK(v.firstBrokenIndex == -1);
        CHECK_FALSE(v.contentChangedSinceLastEvent);
    }

    SECTION("editing any member of any past event") {
        for (std::size_t i = 0; i < n; ++i) {
            for (const char* key : {"at", "actor", "action", "note", "snapshot_hash"}) {
                Json r = good;
                Json& e = r["review"]["events"][i];
                const std::string old = e[key].get<std::string>();
                e[key] = old + "x";
                const auto v = review::verifyChain(r);
                INFO("event " << i << " key " << key);
                CHECK_FALSE(v.ok);
                CHECK(v.firstBrokenIndex == static_cast<long>(i));
            }
            Json r = good;
            r["review"]["events"][i]["extra"] = true;  // adding a key is an edit too
            CHECK(review::verifyChain(r).firstBrokenIndex == static_cast<long>(i));
        }
        Json r = good;
        r["review"]["events"][2]["snapshot"]["victim"]["family_name"] = "Other";
        CHECK(review::verifyChain(r).firstBrokenIndex == 2);
    }
    SECTION("reordering two events") {
        for (std::size_t i = 0; i + 1 < n; ++i) {
            Json r = good;
            std::swap(r["review"]["events"][i], r["review"]["events"][i + 1]);
            const auto v = review::verifyChain(r);
            INFO("swap " << i);
            CHECK_FALSE(v.ok);
            CHECK(v.firstBrokenIndex == static_cast<long>(i));
        }
    }
    SECTION("deleting any event, including the last") {
        for (std::size_t i = 0; i < n; ++i) {
            Json r = good;
            r["review"]["events"].erase(i);
            const auto v = review::verifyChain(r);
            INFO("delete " << i);
            CHECK_FALSE(v.ok);
            CHECK(v.firstBrokenIndex == static_cast<long>(i));
        }
        Json r = good;
        r["review"].erase("head");
        CHECK_FALSE(review::verifyChain(r).ok);
    }
    SECTION("inserting a forged event") {
        Json r = good;
        Json forged = r["review"]["events"][3];
        forged["note"] = "inserted";
        r["review"]["events"].insert(r["review"]["events"].begin() + 4, forged);
        CHECK(review::verifyChain(r).firstBrokenIndex == 4);
    }
    SECTION("a consistent rewrite with recomputed hashes is still caught by the rules") {
        // Drop the `returned` event and recompute every hash and head: the links verify, but
        // submitted -> submitted is not a transition the table allows.
        Json r = good;
        Json& ev = r["review"]["events"];
        ev.erase(3);
        std::string prev(review::kGenesisHash);
        for (auto& e : ev) {
            e["hash"] = review::eventHash(prev, e);
            prev = e["hash"].get<std::string>();
        }
        r["review"]["head"] = prev;
        const auto v = review::verifyChain(r);
        CHECK_FALSE(v.ok);
        CHECK(v.firstBrokenIndex == 5);
        CHECK_THAT(v.message, Catch::Contains("not allowed"));
    }
    SECTION("status and comments edited by hand") {
        Json r = good;
        r["review"]["status"] = "returned";
        auto v = review::verifyChain(r);
        CHECK_FALSE(v.ok);
        CHECK(v.firstBrokenIndex == -1);
        CHECK_THAT(v.message, Catch::Contains("review.status"));

        r = good;
        r["review"]["comments"][0]["text"] = "Different text";
        CHECK_FALSE(review::verifyChain(r).ok);
        r = good;
        r["review"]["comments"][0]["resolved"] = false;
        CHECK_FALSE(review::verifyChain(r).ok);
        r = good;
        r["review"]["comments"].erase(0);
        CHECK_FALSE(review::verifyChain(r).ok);
        r = good;
        r["review"]["comments"].push_back(Json{{"id", "c7"},
                                               {"field", "victim.gender"},
                                               {"author", "X"},
                                               {"at", at(1)},
                                               {"text", "t"},
                                               {"resolved", false}});
        CHECK_FALSE(review::verifyChain(r).ok);
    }
    SECTION("malformed review structures are reported, not thrown") {
        for (const Json& bad :
             {Json("x"), Json::array(), Json{{"events", 3}}, Json{{"events", Json::array({1})}},
              Json{{"status", "done"}}, Json{{"comments", Json::object()}}}) {
            Json r = good;
            r["review"] = bad;
            const auto v = review::verifyChain(r);
            INFO(bad.dump());
            CHECK_FALSE(v.ok);
            CHECK(v.malformed);
            // Mutators refuse it with an error instead of throwing.
            CHECK_FALSE(review::submit(r, kOfficer, "", at(9)).ok());
            CHECK_FALSE(review::addComment(r, "victim.gender", kOfficer, "t", at(9)).ok());
        }
        CHECK(review::verifyChain(Json::array()).malformed);
    }
    SECTION("content edited outside the app is flagged but is not a broken chain") {
        Json r = good;
        r["victim"]["given_name"] = "Other";
        const auto v = review::verifyChain(r);
        CHECK(v.ok);
        CHECK(v.contentChangedSinceLastEvent);
    }
    SECTION("a record without review verifies with no events") {
        const auto v = review::verifyChain(loadSample());
        CHECK(v.ok);
        CHECK(v.eventCount == 0);
    }
}

TEST_CASE("the stored golden history still verifies", "[review][verify]") {
    // Written by this code once; guards the canonical form against accidental changes.
    auto text = lecert::readFile(kDataDir + "/review/approved.json");
    REQUIRE(text.ok());
    auto r = lecert::parseJson(*text, "approved.json");
    REQUIRE(r.ok());
    const auto v = review::verifyChain(*r);
    CHECK(v.ok);
    CHECK(v.eventCount == 8);
    CHECK(lecert::reviewStatusLine(*r) == "Approved by Sgt. Dana Reyes on 11/28/2026");

    const auto ev = review::events(*r);
    REQUIRE(ev.size() == 8);
    CHECK(ev[0].action == "created");
    CHECK(ev[1].commentId == "c1");
    CHECK(ev[1].commentField == "crime.injury");
    CHECK_FALSE(ev[1].commentResolved);
    CHECK(ev[3].note == "Add the injury.");
    CHECK(ev[4].fields == std::vector<std::string>{"crime.injury"});
    CHECK(ev[5].commentResolved);
    CHECK(ev[7].hash == (*r)["review"]["head"]);
    const auto summary = review::summarize(*r);
    CHECK(summary.status == ReviewStatus::Approved);
    CHECK(summary.approvalCurrent);
    CHECK(summary.approvedBy == "Sgt. Dana Reyes");
    CHECK(summary.approvedAt == "2026-11-28T14:07:00Z");
    CHECK(summary.openComments == 0);
}

TEST_CASE("changedFields finds exactly the changed leaves", "[review][diff]") {
    const Json a = fullHistory();
    Json b = a;
    CHECK(review::changedFields(a, b).empty());
    b["victim"]["family_name"] = "Other";
    b["crime"]["dates"][1] = "2026-03-16";
    b["crime"]["dates"].push_back("2026-04-01");
    b["family"]["members"][0]["relationship"] = "partner";
    b["victim"]["a_number"] = "012345678";
    b["agency"]["official"].erase("role");
    b["victim"]["other_names"] = Json::array({Json{{"family_name", "Alias"}, {"given_name", "A"}}});
    b["assistance"]["services"] = Json::array();
    b["helpfulness"]["helpful"] = "yes";  // type change
    b["review"]["status"] = "draft";      // ignored
    const std::vector<std::string> expected = {
        "victim.family_name",
        "victim.a_number",
        "victim.other_names[0].family_name",
        "victim.other_names[0].given_name",
        "agency.official.role",
        "crime.dates[1]",
        "crime.dates[2]",
        "helpfulness.helpful",
        "family.members[0].relationship",
        "assistance.services",
    };
    CHECK(review::changedFields(a, b) == expected);
    // Removed keys are listed too (from the other side).
    const auto back = review::changedFields(b, a);
    CHECK(back.size() == expected.size());
    CHECK(std::is_permutation(back.begin(), back.end(), expected.begin()));
    // Numbers compare by value.
    CHECK(review::changedFields(Json{{"x", 1}}, Json{{"x", 1.0}}).empty());
}

TEST_CASE("changes since the last review", "[review][diff]") {
    Json r = recordIn(ReviewStatus::Submitted);
    CHECK_FALSE(review::lastReviewedSnapshot(r));  // nobody acted on the submission yet
    REQUIRE(review::lastSubmittedSnapshot(r));
    REQUIRE(review::returnToOfficer(r, kSupervisor, "Dates?", at(3)).ok());
    r["crime"]["dates"][0] = "2026-03-02";
    REQUIRE(review::recordEdited(r, kOfficer, at(4)).ok());
    REQUIRE(review::submit(r, kOfficer, "", at(5)).ok());
    CHECK(review::changesSinceLastReview(r) == std::vector<std::string>{"crime.dates[0]"});
    CHECK(review::changedFields(*review::lastSubmittedSnapshot(r), review::content(r)).empty());
}

TEST_CASE("the cover status line", "[review][cover]") {
    CHECK(lecert::reviewStatusLine(loadSample()) == "DRAFT");
    CHECK(lecert::reviewStatusLine(recordIn(ReviewStatus::Draft)) == "DRAFT");
    CHECK(lecert::reviewStatusLine(recordIn(ReviewStatus::Submitted)) == "DRAFT");
    CHECK(lecert::reviewStatusLine(recordIn(ReviewStatus::Returned)) == "DRAFT");
    Json r = recordIn(ReviewStatus::Approved);
    CHECK(lecert::reviewStatusLine(r) == "Approved by Sgt. Dana Reyes on 11/28/2026");
    // Comments after approval keep it.
    REQUIRE(review::addComment(r, "victim.gender", kOfficer, "Noted.", at(8)).ok());
    CHECK(lecert::reviewStatusLine(r) == "Approved by Sgt. Dana Reyes on 11/28/2026");
    SECTION("content edited outside lecert") {
        r["victim"]["given_name"] = "Other";
        CHECK(lecert::reviewStatusLine(r) == "DRAFT");
    }
    SECTION("edited in the app") {
        r["victim"]["given_name"] = "Other";
        REQUIRE(review::recordEdited(r, kOfficer, at(9)).ok());
        CHECK(lecert::reviewStatusLine(r) == "DRAFT");
    }
    SECTION("status forged by hand") {
        Json d = recordIn(ReviewStatus::Submitted);
        d["review"]["status"] = "approved";
        CHECK(lecert::reviewStatusLine(d) == "DRAFT");
    }
}

TEST_CASE("timestamps", "[review]") {
    CHECK(review::isUtcTimestamp("2026-11-28T14:03:00Z"));
    CHECK(review::isUtcTimestamp(review::nowUtcIso()));
    CHECK_FALSE(review::isUtcTimestamp("2026-11-28T14:03:00"));
    CHECK_FALSE(review::isUtcTimestamp("2026-11-28T14:03:00+01:00"));
    CHECK_FALSE(review::isUtcTimestamp("2026-13-28T14:03:00Z"));
    CHECK_FALSE(review::isUtcTimestamp("2026-11-28T14:63:00Z"));
    CHECK_FALSE(review::isUtcTimestamp(""));
}

TEST_CASE("the officer who submitted a record cannot approve it") {
    Json r = recordIn(ReviewStatus::Submitted);
    const Json before = r;
    auto same = review::approve(r, kOfficer, "", at(3), false);
    REQUIRE_FALSE(same.ok());
    CHECK_THAT(same.error().message, Catch::Contains("different person"));
    CHECK(r == before);  // nothing recorded
    // Case and spacing do not make another person.
    std::string shouted = kOfficer;
    for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK_FALSE(review::approve(r, "  " + shouted + " ", "", at(3), false).ok());
    CHECK(review::approve(r, kSupervisor, "", at(3), false).ok());
    CHECK(review::status(r) == ReviewStatus::Approved);
}

// ---- signatures (core/review/signing.h) ----

namespace {

struct Keys {
    lecert::test::TempDir dir;
    review::ReviewerKey supervisor;
    review::ReviewerKey officer;
    review::ReviewerKey stranger;
    review::TrustStore trust;
    Keys() {
        auto s = review::ReviewerKey::loadOrCreate(dir.file("cfg/sup.pem"), "sup pass");
        auto o = review::ReviewerKey::loadOrCreate(dir.file("cfg/off.pem"), "off pass");
        auto x = review::ReviewerKey::loadOrCreate(dir.file("cfg/x.pem"), "x pass");
        REQUIRE(s.ok());
        REQUIRE(o.ok());
        REQUIRE(x.ok());
        supervisor = std::move(*s);
        officer = std::move(*o);
        stranger = std::move(*x);
        auto t = review::TrustStore::parse(
            "# agency keys\n\n" + review::trustedKeyLine(supervisor, "Sgt. Dana Reyes (RPD)") +
                "\n" + review::trustedKeyLine(officer, "Det. Sam Officer") + "\n",
            "trusted.txt");
        REQUIRE(t.ok());
        trust = std::move(*t);
    }
};

// Submitted by the officer and approved by the supervisor, both signed.
Json signedApproved(const Keys& k) {
    Json r = loadSample();
    REQUIRE(review::submit(r, kOfficer, "", at(1)).ok());
    REQUIRE(review::signLastEvent(r, k.officer).ok());
    REQUIRE(review::approve(r, kSupervisor, "ok", at(2), false).ok());
    REQUIRE(review::signLastEvent(r, k.supervisor).ok());
    return r;
}

// Recomputes every hash and the head, as a forger following review.h would.
void rechain(Json& r) {
    std::string prev(review::kGenesisHash);
    for (auto& e : r["review"]["events"]) {
        e.erase("hash");
        e["hash"] = review::eventHash(prev, e);
        prev = e["hash"].get<std::string>();
    }
    r["review"]["head"] = prev;
}

}  // namespace

TEST_CASE("reviewer keys: created on first use, encrypted, owner-only, reloadable",
          "[review][signing]") {
    lecert::test::TempDir dir;
    const std::string path = dir.file("conf/lecert/reviewer-key.pem");
    auto k = review::ReviewerKey::loadOrCreate(path, "correct horse");
    REQUIRE(k.ok());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string pem = lecert::test::readText(path);
    CHECK(pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
    auto again = review::ReviewerKey::loadOrCreate(path, "correct horse");
    REQUIRE(again.ok());
    CHECK(again->keyId() == k->keyId());
    CHECK(again->publicKeyBase64().size() == 44);
    CHECK_FALSE(review::ReviewerKey::loadOrCreate(path, "wrong").ok());
    CHECK_FALSE(review::ReviewerKey::loadOrCreate(dir.file("new.pem"), "").ok());
    ::chmod(path.c_str(), 0644);
    CHECK_FALSE(review::ReviewerKey::loadOrCreate(path, "correct horse").ok());
    // The env var chooses the default path (tests and several users on one machine).
    ::setenv("LECERT_REVIEWER_KEY", "/some/where/key.pem", 1);
    CHECK(review::ReviewerKey::defaultPath() == "/some/where/key.pem");
    ::unsetenv("LECERT_REVIEWER_KEY");
}

TEST_CASE("trusted keys file: format and errors", "[review][signing]") {
    CHECK(review::TrustStore::parse("", "t").ok());
    auto bad = review::TrustStore::parse("# c\nrsa AAAA name\n", "t.txt");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().where.line == 2);
    CHECK_FALSE(review::TrustStore::parse("ed25519 notbase64 name\n", "t").ok());
    CHECK_FALSE(review::TrustStore::parse("ed25519 AAAA name\n", "t").ok());  // not 32 bytes
    CHECK_FALSE(
        review::TrustStore::parse("ed25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "t")
            .ok());  // no name
}

TEST_CASE("a signed approval by a trusted key verifies, the cover names the key's owner",
          "[review][signing]") {
    Keys k;
    Json r = signedApproved(k);
    CHECK(review::verifyChain(r).ok);
    const auto sigs = review::verifySignatures(r, k.trust);
    REQUIRE(sigs.size() == 2);
    CHECK(sigs[0].action == "submitted");
    CHECK(sigs[0].state == review::SignatureState::Trusted);
    CHECK(sigs[0].keyName == "Det. Sam Officer");
    CHECK(sigs[1].state == review::SignatureState::Trusted);
    CHECK(sigs[1].keyName == "Sgt. Dana Reyes (RPD)");
    const auto a = review::approvalStatus(r, k.trust);
    CHECK(a.verified);
    CHECK(review::approvalLine(r, k.trust) == "Approved by Sgt. Dana Reyes (RPD) on 11/28/2026");
    // The same record with nobody trusted: signed, but by unknown keys.
    const review::TrustStore none;
    CHECK(review::verifySignatures(r, none)[1].state == review::SignatureState::UnknownKey);
    CHECK(review::approvalLine(r, none).rfind("APPROVAL UNVERIFIED", 0) == 0);
    // Survives a save and a reload (canonical form, not key order or white space).
    auto back = lecert::parseJson(lecert::dumpPretty(r), "r.json");
    REQUIRE(back.ok());
    CHECK(review::approvalStatus(*back, k.trust).verified);
}

TEST_CASE("forged approvals and changed content do not verify", "[review][signing]") {
    Keys k;
    SECTION("an unsigned approval written by following review.h") {
        Json r = recordIn(ReviewStatus::Approved);
        REQUIRE(review::verifyChain(r).ok);  // the chain alone cannot tell
        CHECK(review::verifySignatures(r, k.trust).back().state ==
              review::SignatureState::Unsigned);
        CHECK_FALSE(review::approvalStatus(r, k.trust).verified);
        CHECK(review::approvalLine(r, k.trust) ==
              "APPROVAL UNVERIFIED: the approval is not signed");
    }
    SECTION("an approval signed by a key the agency does not trust") {
        Json r = loadSample();
        REQUIRE(review::submit(r, kOfficer, "", at(1)).ok());
        REQUIRE(review::approve(r, kSupervisor, "", at(2), false).ok());
        REQUIRE(review::signLastEvent(r, k.stranger).ok());
        CHECK(review::verifySignatures(r, k.trust).back().state ==
              review::SignatureState::UnknownKey);
        CHECK_FALSE(review::approvalStatus(r, k.trust).verified);
    }
    SECTION("the content changed after approval, history untouched") {
        Json r = signedApproved(k);
        r["victim"]["family_name"] = "Changed";
        CHECK(review::verifyChain(r).ok);
        const auto a = review::approvalStatus(r, k.trust);
        CHECK(a.contentChanged);
        CHECK_FALSE(a.verified);
        CHECK(review::approvalLine(r, k.trust).find("changed after the approval") !=
              std::string::npos);
    }
    SECTION("content changed and the whole chain recomputed, old signature kept") {
        Json r = signedApproved(k);
        r["victim"]["family_name"] = "Changed";
        const std::string h = review::contentHash(r);
        for (auto& e : r["review"]["events"]) {
            if (e.contains("snapshot_hash")) e["snapshot_hash"] = h;
            if (e.contains("snapshot")) e["snapshot"] = review::content(r);
        }
        rechain(r);
        REQUIRE(review::verifyChain(r).ok);
        CHECK(review::verifySignatures(r, k.trust).back().state == review::SignatureState::Invalid);
        CHECK_FALSE(review::approvalStatus(r, k.trust).verified);
    }
    SECTION("another approver's name on a trusted signature") {
        Json r = signedApproved(k);
        r["review"]["events"].back()["actor"] = "Chief Somebody";
        rechain(r);
        CHECK(review::verifySignatures(r, k.trust).back().state == review::SignatureState::Invalid);
    }
    SECTION("a trusted signature moved onto another history") {
        Json r = signedApproved(k);
        Json other = loadSample();
        REQUIRE(review::submit(other, kOfficer, "other", at(5)).ok());
        REQUIRE(review::approve(other, kSupervisor, "ok", at(2), false).ok());
        other["review"]["events"].back()["signature"] = r["review"]["events"].back()["signature"];
        rechain(other);
        CHECK(review::verifySignatures(other, k.trust).back().state ==
              review::SignatureState::Invalid);
    }
    SECTION("only submitted, returned and approved events are signed") {
        Json r = recordIn(ReviewStatus::Draft);
        CHECK_FALSE(review::signLastEvent(r, k.officer).ok());
    }
}

TEST_CASE("the trusted keys from the environment follow the file when it changes",
          "[review][signing]") {
    Keys k;
    const std::string path = k.dir.file("trusted.txt");
    auto write = [&](const review::ReviewerKey& key, const std::string& name) {
        k.dir.write("trusted.txt", "ed25519 " + key.publicKeyBase64() + " " + name + "\n");
    };
    write(k.supervisor, "Sup");
    ::setenv("LECERT_TRUSTED_KEYS", path.c_str(), 1);
    CHECK(review::TrustStore::fromEnvironment().find(k.supervisor.keyId()) != nullptr);
    // Read once, then kept: the same answer again.
    CHECK(review::TrustStore::fromEnvironment().find(k.supervisor.keyId()) != nullptr);
    // Replaced by another key: the next cover sees the new file, not the kept one.
    write(k.officer, "Officer");
    const auto now = review::TrustStore::fromEnvironment();
    CHECK(now.find(k.supervisor.keyId()) == nullptr);
    CHECK(now.find(k.officer.keyId()) != nullptr);
    fs::remove(path);
    CHECK(review::TrustStore::fromEnvironment().empty());
    ::unsetenv("LECERT_TRUSTED_KEYS");
    CHECK(review::TrustStore::fromEnvironment().empty());
}
