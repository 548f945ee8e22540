// SPDX-License-Identifier: MIT
// Reading the register: names, the unit rule, queues, search, records, the yearly report and
// the anchor check.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "core/model/record.h"
#include "core/register/register.h"
#include "core/register/register_internal.h"
#include "core/register/sql_connection.h"

namespace lecert {

namespace {

constexpr std::array<std::string_view, 4> kRoles = {"officer", "supervisor", "clerk", "auditor"};
constexpr std::array<std::string_view, 3> kKinds = {"victim", "attorney", "advocate"};
constexpr std::array<std::string_view, 4> kOutcomes = {"pending", "certified", "declined",
                                                       "withdrawn"};
constexpr std::array<std::string_view, 7> kQueues = {"my-drafts", "returned", "review", "approved",
                                                     "expiring",  "overdue",  "all"};

template <class E, std::size_t N>
std::optional<E> fromName(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

// Columns of RequestSummary, in the order rowToSummary reads them.
constexpr const char* kSummaryColumns =
    "id, received_date, requester_kind, form, case_number, removal_proceedings, status, owner, "
    "unit, submitted_by, approved_by, version, outcome, outcome_date, deadline, deadline_rule";

RequestSummary rowToSummary(const reg::SqlRow& r, const Date& today) {
    RequestSummary s;
    s.id = std::stoll(r[0].value_or("0"));
    s.received = Date::parseIso(r[1].value_or("")).value_or(Date{});
    s.requesterKind = r[2].value_or("");
    s.form = r[3].value_or("");
    s.caseNumber = r[4].value_or("");
    s.removalProceedings = r[5].value_or("0") == "1";
    s.status = r[6].value_or("");
    s.owner = r[7].value_or("");
    s.unit = r[8].value_or("");
    s.submittedBy = r[9].value_or("");
    s.approvedBy = r[10].value_or("");
    s.version = std::stoi(r[11].value_or("0"));
    s.outcome = r[12].value_or("");
    if (r[13]) s.outcomeDate = Date::parseIso(*r[13]);
    s.deadline = Date::parseIso(r[14].value_or("")).value_or(Date{});
    s.deadlineRule = r[15].value_or("");
    s.daysLeft = daysLeft(s.deadline, today);
    return s;
}

}  // namespace

std::string_view toString(RegisterRole r) {
    return kRoles[static_cast<std::size_t>(r)];
}
std::string_view toString(RequesterKind k) {
    return kKinds[static_cast<std::size_t>(k)];
}
std::string_view toString(RequestOutcome o) {
    return kOutcomes[static_cast<std::size_t>(o)];
}
std::string_view toString(RegisterQueue q) {
    return kQueues[static_cast<std::size_t>(q)];
}
std::optional<RegisterRole> roleFromString(std::string_view s) {
    return fromName<RegisterRole>(kRoles, s);
}
std::optional<RequesterKind> requesterKindFromString(std::string_view s) {
    return fromName<RequesterKind>(kKinds, s);
}
std::optional<RequestOutcome> outcomeFromString(std::string_view s) {
    return fromName<RequestOutcome>(kOutcomes, s);
}
std::optional<RegisterQueue> queueFromString(std::string_view s) {
    return fromName<RegisterQueue>(kQueues, s);
}
std::string queueNames() {
    std::string out;
    for (auto q : kQueues) out += (out.empty() ? "" : ", ") + std::string(q);
    return out;
}

Result<bool> Register::visible(const reg::Actor& a, const std::string& owner,
                               const std::string& unit, const std::string& status) {
    auto cond = visibleSql(a);
    if (!cond) return cond.error();
    if (cond->first.empty()) return true;
    return (status != "draft" && status != "returned") || owner == a.name || unit == a.unit;
}

// Officers see drafts (draft or returned) of their own unit only, when the register's unit rule
// is on; everyone else sees every request. PostgreSQL enforces the same rule by RLS.
Result<std::pair<std::string, std::vector<std::optional<std::string>>>> Register::visibleSql(
    const reg::Actor& a) {
    if (!m_draftsPrivate) {
        auto r = db().query("SELECT value FROM settings WHERE key = 'drafts_private_to_unit'");
        if (!r) return r.error();
        m_draftsPrivate = r->empty() || (*r)[0][0].value_or("1") != "0";
    }
    std::pair<std::string, std::vector<std::optional<std::string>>> out;
    if (a.role != RegisterRole::Officer || !*m_draftsPrivate) return out;
    out.first = "(status NOT IN ('draft', 'returned') OR owner = ? OR unit = ?)";
    out.second = {a.name, a.unit};
    return out;
}

Result<std::vector<RequestSummary>> Register::summaries(
    const std::string& where, std::vector<std::optional<std::string>> params, const reg::Actor& a,
    const Date& today, const std::string& order, std::size_t limit) {
    auto vis = visibleSql(a);
    if (!vis) return vis.error();
    std::string sql =
        std::string("SELECT ") + kSummaryColumns + " FROM requests WHERE (" + where + ")";
    if (!vis->first.empty()) {
        sql += " AND " + vis->first;
        params.insert(params.end(), vis->second.begin(), vis->second.end());
    }
    sql += " ORDER BY " + order + " LIMIT " + std::to_string(limit);
    auto rows = db().query(sql, params);
    if (!rows) return rows.error();
    std::vector<RequestSummary> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(rowToSummary(r, today));
    return out;
}

Result<std::vector<RequestSummary>> Register::queue(RegisterQueue q, const Date& today,
                                                    std::size_t limit) {
    auto a = actor();
    if (!a) return a.error();
    auto window = db().query("SELECT value FROM settings WHERE key = 'expiring_days'");
    if (!window) return window.error();
    const int days = window->empty() ? 14 : std::stoi((*window)[0][0].value_or("14"));
    const std::string t = today.iso();
    switch (q) {
        case RegisterQueue::MyDrafts:
            return summaries("owner = ? AND status = 'draft'", {a->name}, *a, today, "deadline, id",
                             limit);
        case RegisterQueue::ReturnedToMe:
            return summaries("owner = ? AND status = 'returned'", {a->name}, *a, today,
                             "deadline, id", limit);
        case RegisterQueue::WaitingForMyReview:
            if (a->role != RegisterRole::Supervisor) return std::vector<RequestSummary>{};
            return summaries("status = 'submitted' AND coalesce(submitted_by, '') <> ?", {a->name},
                             *a, today, "received_date, id", limit);
        case RegisterQueue::Approved:
            return summaries("status = 'approved'", {}, *a, today, "received_date DESC, id", limit);
        case RegisterQueue::Expiring:
            return summaries("outcome = 'pending' AND deadline >= ? AND deadline <= ?",
                             {t, today.addDays(days).iso()}, *a, today, "deadline, id", limit);
        case RegisterQueue::Overdue:
            return summaries("outcome = 'pending' AND deadline < ?", {t}, *a, today, "deadline, id",
                             limit);
        case RegisterQueue::All:
            break;
    }
    return summaries("1 = 1", {}, *a, today, "id DESC", limit);
}

Result<std::vector<RequestSummary>> Register::search(std::string_view text, const Date& today,
                                                     std::size_t limit) {
    auto a = actor();
    if (!a) return a.error();
    const std::string key = reg::searchKey(std::string(text));
    if (key.empty()) return std::vector<RequestSummary>{};
    // One indexed lookup per column (an OR across columns would scan the table); prefixes
    // as byte ranges, so PostgreSQL compares in the "C" collation its indexes use.
    const bool pg = db().dialect() == reg::SqlDialect::Postgres;
    auto range = [pg](const char* column) {
        const std::string c = pg ? std::string(column) + " COLLATE \"C\"" : std::string(column);
        return "SELECT id FROM requests WHERE " + c + " >= ? AND " + c + " < ?";
    };
    const std::string end = key + "\xF4\x8F\xBF\xBF";  // after every text with this prefix
    return summaries("id IN (SELECT id FROM requests WHERE case_number = ? UNION " +
                         range("victim_key") + " UNION " + range("victim_key2") + " UNION " +
                         range("requester_key") + ")",
                     {std::string(text), key, end, key, end, key, end}, *a, today,
                     "received_date DESC, id", limit);
}

Result<RequestSummary> Register::request(std::int64_t id, const Date& today) {
    auto a = actor();
    if (!a) return a.error();
    auto r = summaries("id = ?", {std::to_string(id)}, *a, today, "id", 1);
    if (!r) return r.error();
    if (r->empty()) return reg::notFound(id);
    return r->front();
}

Result<StoredRecord> Register::record(std::int64_t id, std::optional<int> version) {
    auto found = request(id, Date::today());
    if (!found) return found.error();
    const int v = version.value_or(found->version);
    if (v <= 0 || v > found->version)
        return reg::registerError(
            "request " + std::to_string(id) + " has no record version " + std::to_string(v),
            "version");
    auto r = db().query(
        "SELECT record, saved_by, saved_at FROM record_versions WHERE request_id = ? AND version = "
        "?",
        {std::to_string(id), std::to_string(v)});
    if (!r) return r.error();
    if (r->empty()) return reg::notFound(id);
    auto json = parseJson((*r)[0][0].value_or("{}"), "register");
    if (!json) return json.error();
    return StoredRecord{id, v, std::move(*json), (*r)[0][1].value_or(""), (*r)[0][2].value_or("")};
}

Result<std::vector<RegisterEvent>> Register::events(std::int64_t id) {
    auto r = db().query(
        "SELECT id, version, action, actor, at, chain_head, made_offline_at FROM review_events "
        "WHERE request_id = ? "
        "ORDER BY id",
        {std::to_string(id)});
    if (!r) return r.error();
    std::vector<RegisterEvent> out;
    for (const auto& row : *r) {
        out.push_back({std::stoll(row[0].value_or("0")), std::stoi(row[1].value_or("0")),
                       row[2].value_or(""), row[3].value_or(""), row[4].value_or(""),
                       row[5].value_or(""), row[6].value_or("")});
    }
    return out;
}

Result<std::vector<int>> Register::conflicts(std::int64_t id) {
    auto r =
        db().query("SELECT base_version FROM record_conflicts WHERE request_id = ? ORDER BY id",
                   {std::to_string(id)});
    if (!r) return r.error();
    std::vector<int> out;
    for (const auto& row : *r) out.push_back(std::stoi(row[0].value_or("0")));
    return out;
}

Result<AnchorCheck> Register::checkAnchor(const Json& record) {
    AnchorCheck out;
    const std::string recordId = Record(record).string("id");
    const Json* head = jsonAt(record, "review.head");
    if (recordId.empty()) {
        out.message = "the record has no id, so the register cannot be asked about it";
        return out;
    }
    auto rows = db().query(
        "SELECT id, status FROM requests WHERE record_id = ? ORDER BY id DESC LIMIT 1", {recordId});
    if (!rows) return rows.error();
    if (rows->empty()) {
        out.message = "not in the register";
        return out;
    }
    out.found = true;
    out.requestId = std::stoll((*rows)[0][0].value_or("0"));
    out.registerStatus = (*rows)[0][1].value_or("");
    auto evs = events(out.requestId);
    if (!evs) return evs.error();
    std::string latest;
    const std::string fileHead = head && head->is_string() ? head->get<std::string>() : "";
    for (const auto& e : *evs) {
        if (e.chainHead.empty()) continue;
        latest = e.chainHead;
        if (!fileHead.empty() && e.chainHead == fileHead) out.known = true;
    }
    out.current = !fileHead.empty() && fileHead == latest;
    out.message = out.current ? "matches the register (request " + std::to_string(out.requestId) +
                                    ", " + out.registerStatus + ")"
                  : out.known ? "an older version: the register's request " +
                                    std::to_string(out.requestId) + " has moved on (" +
                                    out.registerStatus + ")"
                              : "its review history is not the register's (request " +
                                    std::to_string(out.requestId) + ")";
    return out;
}

Result<YearReport> Register::report(int year, const Date& today) {
    auto a = actor();
    if (!a) return a.error();
    const std::string y = std::to_string(year);
    auto rows = db().query(
        "SELECT received_date, outcome, outcome_date, deadline, crime FROM requests "
        "WHERE received_date >= ? AND received_date <= ?",
        {y + "-01-01", y + "-12-31"});
    if (!rows) return rows.error();
    YearReport rep;
    rep.year = year;
    std::map<std::string, long> crimes;
    std::vector<long> days;
    for (const auto& r : *rows) {
        const Date received = Date::parseIso(r[0].value_or("")).value_or(Date{year, 1, 1});
        const std::string outcome = r[1].value_or("pending");
        const std::optional<Date> answered = r[2] ? Date::parseIso(*r[2]) : std::nullopt;
        const Date deadline = Date::parseIso(r[3].value_or("")).value_or(received);
        ++rep.received;
        ++rep.byMonth[static_cast<std::size_t>(received.month - 1)];
        if (outcome == "certified")
            ++rep.certified;
        else if (outcome == "declined")
            ++rep.declined;
        else if (outcome == "withdrawn")
            ++rep.withdrawn;
        else
            ++rep.pending;
        if ((outcome == "certified" || outcome == "declined") && answered)
            days.push_back(daysBetween(received, *answered));
        if ((answered && *answered > deadline) || (outcome == "pending" && today > deadline))
            ++rep.deadlinesMissed;
        std::string list = r[4].value_or("");
        for (std::size_t start = 0; !list.empty() && start <= list.size();) {
            const std::size_t comma = std::min(list.find(',', start), list.size());
            if (comma > start) ++crimes[list.substr(start, comma - start)];
            start = comma + 1;
        }
    }
    rep.byCrime.assign(crimes.begin(), crimes.end());
    if (!days.empty()) {
        std::sort(days.begin(), days.end());
        const std::size_t n = days.size();
        rep.medianDaysToRespond =
            n % 2 ? static_cast<double>(days[n / 2])
                  : (static_cast<double>(days[n / 2 - 1]) + static_cast<double>(days[n / 2])) / 2.0;
    }
    return rep;
}

std::string YearReport::medianText() const {
    if (!medianDaysToRespond) return "";
    const long tenths = std::lround(*medianDaysToRespond * 10.0);
    return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "");
}

std::string YearReport::csv() const {
    std::string out = "section,key,value\n";
    auto line = [&out](const std::string& s, const std::string& k, const std::string& v) {
        out += s + "," + k + "," + v + "\n";
    };
    line("year", "", std::to_string(year));
    line("requests", "received", std::to_string(received));
    line("outcome", "certified", std::to_string(certified));
    line("outcome", "declined", std::to_string(declined));
    line("outcome", "withdrawn", std::to_string(withdrawn));
    line("outcome", "pending", std::to_string(pending));
    for (std::size_t m = 0; m < byMonth.size(); ++m) {
        const std::string mm = (m < 9 ? "0" : "") + std::to_string(m + 1);
        line("month", std::to_string(year) + "-" + mm, std::to_string(byMonth[m]));
    }
    for (const auto& [crime, n] : byCrime) line("crime", crime, std::to_string(n));
    line("response", "median_days", medianText());
    line("deadline", "missed", std::to_string(deadlinesMissed));
    return out;
}

}  // namespace lecert
