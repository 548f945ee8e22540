// SPDX-License-Identifier: MIT
#pragma once
// Behaviour every register back end must have, run by test_register.cpp (SQLite) and
// test_register_pg.cpp (PostgreSQL) against the same expectations.

#include <algorithm>

#include "core/review/review.h"
#include "register_env.h"

namespace lecert::test {

inline bool hasId(const std::vector<RequestSummary>& list, std::int64_t id) {
    return std::any_of(list.begin(), list.end(), [id](const auto& s) { return s.id == id; });
}

inline std::vector<RequestSummary> queueOf(Register& r, RegisterQueue q, const Date& today) {
    auto list = r.queue(q, today);
    if (!list) FAIL("queue " << toString(q) << ": " << list.error().toString());
    return *list;
}

inline std::int64_t intakeFor(Register& r, const std::string& owner, const Date& received,
                              bool removal, const std::string& caseNumber) {
    RequestIntake in;
    in.received = received;
    in.requesterKind = RequesterKind::Attorney;
    in.requesterName = "Harbor Legal Aid";
    in.contact = "intake@harbor-legal.example.org";
    in.caseNumber = caseNumber;
    in.removalProceedings = removal;
    in.owner = owner;
    auto id = r.intake(in);
    if (!id) FAIL("intake: " << id.error().toString());
    return *id;
}

// Deadlines from rules/deadlines.json (California: 90 days, 14 in removal proceedings) and the
// expiring / overdue queues, with days left computed against a fixed today.
inline void deadlineScenario(RegisterEnv& env) {
    auto clerk = env.as("clerk_c");
    const Date today = day("2026-11-28");
    const auto normal = intakeFor(*clerk, "ofc_a", day("2026-11-01"), false, "RPD-1");
    const auto removal = intakeFor(*clerk, "ofc_a", day("2026-11-01"), true, "RPD-2");
    const auto soon = intakeFor(*clerk, "ofc_a", day("2026-11-20"), true, "RPD-3");
    auto n = clerk->request(normal, today);
    REQUIRE(n.ok());
    CHECK(n->deadline == day("2027-01-30"));
    CHECK(n->daysLeft == 63);
    CHECK(n->deadlineRule == "US-CA");
    auto r = clerk->request(removal, today);
    REQUIRE(r.ok());
    CHECK(r->deadline == day("2026-11-15"));
    CHECK(r->daysLeft == -13);
    auto overdue = queueOf(*clerk, RegisterQueue::Overdue, today);
    CHECK(hasId(overdue, removal));
    CHECK_FALSE(hasId(overdue, normal));
    auto expiring = queueOf(*clerk, RegisterQueue::Expiring, today);
    CHECK(hasId(expiring, soon));  // 2026-12-04: 6 days left
    CHECK_FALSE(hasId(expiring, normal));
    CHECK_FALSE(hasId(expiring, removal));
    // An answered request is neither expiring nor overdue.
    REQUIRE(clerk->setOutcome(removal, RequestOutcome::Withdrawn, day("2026-11-10")).ok());
    CHECK_FALSE(hasId(queueOf(*clerk, RegisterQueue::Overdue, today), removal));
}

// Submit, return with a field comment, resubmit, approve; the rules of who may do what; every
// version kept and every event anchoring the record's chain head.
inline void workflowScenario(RegisterEnv& env) {
    const Date today = day("2026-11-28");
    auto clerk = env.as("clerk_c");
    auto a = env.as("ofc_a");
    auto b = env.as("ofc_b");
    auto sup = env.as("sup_s");
    auto aud = env.as("aud_x");
    const auto id = intakeFor(*clerk, "ofc_a", day("2026-11-10"), false, "RPD-2026-0412");

    auto v1 = a->saveRecord(id, recordFor("reg-1", "RPD-2026-0412"), 0);
    REQUIRE(v1.ok());
    CHECK(*v1 == 1);
    CHECK(hasId(queueOf(*a, RegisterQueue::MyDrafts, today), id));
    // The unit rule: ofc_b (patrol) does not see svu's drafts, not even by search.
    CHECK_FALSE(hasId(queueOf(*b, RegisterQueue::All, today), id));
    CHECK(b->search("RPD-2026-0412", today)->empty());
    CHECK_FALSE(b->record(id).ok());
    CHECK(hasId(*a->search("rivera", today), id));
    CHECK(hasId(*a->search("Ana", today), id));  // given name, any case
    CHECK(a->search("riverax", today)->empty());
    CHECK(hasId(*clerk->search("harbor", today), id));
    // Neither another officer nor an auditor can save it.
    auto denied = b->saveRecord(id, recordFor("reg-1", "RPD-2026-0412"), 1);
    REQUIRE_FALSE(denied.ok());
    auto audSave = aud->saveRecord(id, recordFor("reg-1", "RPD-2026-0412"), 1);
    REQUIRE_FALSE(audSave.ok());
    CHECK(isPermissionDenied(audSave.error()));

    REQUIRE(a->submit(id, "ready").ok());
    // An officer cannot approve; a supervisor sees it waiting.
    auto approveByOfficer = a->approve(id, "");
    REQUIRE_FALSE(approveByOfficer.ok());
    CHECK(isPermissionDenied(approveByOfficer.error()));
    CHECK(hasId(queueOf(*sup, RegisterQueue::WaitingForMyReview, today), id));
    CHECK(queueOf(*a, RegisterQueue::WaitingForMyReview, today).empty());
    Status ret = sup->returnToOfficer(id, "check the crime date",
                                      {{"crime.dates[0]", "Please confirm against the report."}});
    REQUIRE(ret.ok());
    CHECK(hasId(queueOf(*a, RegisterQueue::ReturnedToMe, today), id));
    auto latest = a->record(id);
    REQUIRE(latest.ok());
    CHECK(review::comments(latest->record, true).size() == 1);
    Json edited = latest->record;
    edited["crime"]["dates"][0] = "2026-03-15";
    auto v = a->saveRecord(id, edited, latest->version);
    REQUIRE(v.ok());
    REQUIRE(a->submit(id, "date fixed").ok());
    Status ok = sup->approve(id, "approved");
    if (!ok) FAIL(ok.error().toString());
    CHECK(hasId(queueOf(*a, RegisterQueue::Approved, today), id));

    auto final = sup->record(id);
    REQUIRE(final.ok());
    const auto verdict = review::verifyChain(final->record);
    CHECK(verdict.ok);
    CHECK(reviewStatusLine(final->record).rfind("Approved by sup_s", 0) == 0);
    // Every version kept, each one's chain head anchored by the event that made it.
    auto evs = sup->events(id);
    REQUIRE(evs.ok());
    std::vector<std::string> actions;
    for (const auto& e : *evs) actions.push_back(e.action);
    CHECK(actions == std::vector<std::string>{"intake", "edited", "submitted", "returned", "edited",
                                              "submitted", "approved"});
    for (const auto& e : *evs) {
        if (e.version == 0) continue;
        auto at = sup->record(id, e.version);
        REQUIRE(at.ok());
        CHECK(at->record["review"]["head"] == e.chainHead);
        CHECK(review::isUtcTimestamp(e.at));
    }
    CHECK((*evs)[6].actor == "sup_s");
    CHECK((*evs)[2].actor == "ofc_a");

    // Outcomes: an officer cannot record one; declined needs a reason; certified needs approval.
    CHECK_FALSE(a->setOutcome(id, RequestOutcome::Certified, today).ok());
    REQUIRE(clerk->setOutcome(id, RequestOutcome::Certified, today).ok());
    const auto other = intakeFor(*clerk, "ofc_a", day("2026-11-12"), false, "RPD-X");
    CHECK_FALSE(clerk->setOutcome(other, RequestOutcome::Certified, today).ok());
    CHECK_FALSE(clerk->setOutcome(other, RequestOutcome::Declined, today).ok());
    CHECK(clerk->setOutcome(other, RequestOutcome::Declined, today, "no helpfulness").ok());
}

// A supervisor cannot approve what they submitted themself; another supervisor can.
inline void separationScenario(RegisterEnv& env) {
    auto clerk = env.as("clerk_c");
    auto s = env.as("sup_s");
    auto t = env.as("sup_t");
    const auto id = intakeFor(*clerk, "sup_s", day("2026-11-10"), false, "RPD-S");
    REQUIRE(s->saveRecord(id, recordFor("reg-s", "RPD-S"), 0).ok());
    REQUIRE(s->submit(id, "").ok());
    CHECK(queueOf(*s, RegisterQueue::WaitingForMyReview, day("2026-11-28")).empty());
    auto self = s->approve(id, "");
    REQUIRE_FALSE(self.ok());
    CHECK(isPermissionDenied(self.error()));
    CHECK(t->approve(id, "").ok());
}

// Two desks edit one record: the second save gets a conflict and both versions are kept.
inline void conflictScenario(RegisterEnv& env) {
    auto a = env.as("ofc_a");
    auto s = env.as("sup_s");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-10"), false, "RPD-C");
    REQUIRE(a->saveRecord(id, recordFor("reg-c", "RPD-C"), 0).ok());
    Json mine = recordFor("reg-c", "RPD-C");
    mine["crime"]["dates"][0] = "2026-03-01";
    Json theirs = recordFor("reg-c", "RPD-C");
    theirs["crime"]["dates"][0] = "2026-03-02";
    REQUIRE(s->saveRecord(id, theirs, 1).ok());
    auto second = a->saveRecord(id, mine, 1);
    REQUIRE_FALSE(second.ok());
    CHECK(isVersionConflict(second.error()));
    CHECK(second.error().message.find("version conflict") != std::string::npos);
    auto latest = a->record(id);
    REQUIRE(latest.ok());
    CHECK(latest->version == 2);
    CHECK(latest->record["crime"]["dates"][0] == "2026-03-02");
    CHECK(*a->conflicts(id) == std::vector<int>{1});
    // Saving on top of the latest works.
    CHECK(a->saveRecord(id, mine, 2).ok());
}

// Yearly statistics: counts by outcome, month and crime, median days, deadlines missed.
inline void reportScenario(RegisterEnv& env) {
    auto clerk = env.as("clerk_c");
    auto a = env.as("ofc_a");
    auto s = env.as("sup_s");
    const auto r1 = intakeFor(*clerk, "ofc_a", day("2026-01-05"), false, "R1");
    const auto r2 = intakeFor(*clerk, "ofc_a", day("2026-01-20"), true, "R2");
    const auto r3 = intakeFor(*clerk, "ofc_a", day("2026-03-02"), false, "R3");
    intakeFor(*clerk, "ofc_a", day("2025-12-30"), false, "R0");  // another year
    REQUIRE(a->saveRecord(r1, recordFor("rep-1", "R1"), 0).ok());
    REQUIRE(a->submit(r1, "").ok());
    REQUIRE(s->approve(r1, "").ok());
    REQUIRE(clerk->setOutcome(r1, RequestOutcome::Certified, day("2026-02-04")).ok());  // 30 d
    REQUIRE(clerk->setOutcome(r2, RequestOutcome::Declined, day("2026-02-19"), "x")
                .ok());  // 30 d, late
    auto rep = clerk->report(2026, day("2026-11-28"));
    REQUIRE(rep.ok());
    CHECK(rep->received == 3);
    CHECK(rep->certified == 1);
    CHECK(rep->declined == 1);
    CHECK(rep->pending == 1);
    CHECK(rep->byMonth[0] == 2);
    CHECK(rep->byMonth[2] == 1);
    REQUIRE(rep->medianDaysToRespond.has_value());
    CHECK(*rep->medianDaysToRespond == 30.0);
    CHECK(rep->deadlinesMissed == 2);  // r2 answered after 14 days, r3 pending past 90 days
    const std::string csv = rep->csv();
    CHECK(csv.rfind("section,key,value\n", 0) == 0);
    CHECK(csv.find("outcome,certified,1\n") != std::string::npos);
    CHECK(csv.find("month,2026-01,2\n") != std::string::npos);
    CHECK(csv.find("crime,felonious_assault,1\n") != std::string::npos);
    CHECK(csv.find("response,median_days,30\n") != std::string::npos);
    CHECK(csv.find("deadline,missed,2\n") != std::string::npos);
    (void)r3;
}

// A file exported from the register matches its anchored chain head; a file from an older
// version is reported as superseded; a rewritten history matches nothing.
inline void anchorScenario(RegisterEnv& env) {
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-10"), false, "RPD-V");
    REQUIRE(a->saveRecord(id, recordFor("reg-v", "RPD-V"), 0).ok());
    auto old = a->record(id);
    REQUIRE(a->submit(id, "").ok());
    auto now = a->record(id);
    auto cur = a->checkAnchor(now->record);
    REQUIRE(cur.ok());
    CHECK(cur->found);
    CHECK(cur->current);
    auto stale = a->checkAnchor(old->record);
    REQUIRE(stale.ok());
    CHECK_FALSE(stale->current);
    CHECK(stale->known);
    Json forged = now->record;
    forged["review"]["events"].back()["actor"] = "sup_s";
    forged["review"]["events"].back()["hash"] = "0";
    forged["review"]["head"] = std::string(64, 'a');
    auto bad = a->checkAnchor(forged);
    REQUIRE(bad.ok());
    CHECK_FALSE(bad->known);
    CHECK_FALSE(bad->current);
}

}  // namespace lecert::test
