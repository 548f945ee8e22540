// SPDX-License-Identifier: MIT
// Register: the shared workflow over SqlConnection. Both back ends run the same statements;
// the PostgreSQL schema additionally enforces the role rules in the database (see
// migrations.cpp), so the checks here are the first line, not the only one.
#include "core/register/register.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

#include "core/model/record.h"
#include "core/register/migrations.h"
#include "core/register/register_internal.h"
#include "core/register/sql_connection.h"
#include "core/review/review.h"
#include "core/rules/validator.h"

namespace lecert {

using reg::SqlParam;
using reg::Transaction;

Register::Register(std::unique_ptr<reg::SqlConnection> conn, std::string user)
    : m_user(std::move(user)), m_db(std::move(conn)) {}

Register::~Register() = default;

Result<std::unique_ptr<Register>> Register::open(const std::string& location,
                                                 const RegisterOptions& options, bool create) {
    if (location.empty()) {
        return reg::registerError(
            "no register given (use --register LOCATION or set LECERT_REGISTER)", "register");
    }
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0)
        return PgRegister::open(location);
    std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
    return SqliteRegister::open(path, options.user, create);
}

std::string_view toString(RegisterIdentity i) {
    return i == RegisterIdentity::TrustedDesk ? "trusted-desk" : "os-account";
}

std::string osLoginName() {
    // getpwuid_r: the CLI and the desktop may open registers from several threads.
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) != 0 || !found) return "";
    return found->pw_name;
}

// The acting user: with the os-account mode the OS account, whatever the caller names (a
// different name is refused rather than ignored, so a script that names a user learns that
// it does not count); with the trusted-desk mode, or before init() chose a mode, the name given.
Result<std::unique_ptr<Register>> SqliteRegister::open(const std::string& path,
                                                       const std::string& user, bool create) {
    auto conn = reg::openSqlite(path, create);
    if (!conn) return conn.error();
    auto mode = (*conn)->query("SELECT value FROM settings WHERE key = 'identity'");
    std::string acting = user;
    const bool osAccount = mode && !mode->empty() &&
                           (*mode)[0][0].value_or("") != toString(RegisterIdentity::TrustedDesk);
    if (osAccount || acting.empty()) {
        const std::string os = osLoginName();
        if (osAccount && os.empty())
            return reg::permissionError(
                "this register takes the acting user from the operating-system account, and "
                "the account running lecert has no login name");
        if (osAccount && !user.empty() && user != os)
            return reg::permissionError(
                "this register takes the acting user from the operating-system account ('" + os +
                "'); acting as '" + user +
                "' is refused (only a register set up with `init --identity trusted-desk` lets a "
                "desk name its user)");
        acting = os;
    }
    return std::unique_ptr<Register>(new SqliteRegister(std::move(*conn), acting));
}

Result<std::unique_ptr<Register>> PgRegister::open(const std::string& conninfo) {
    auto conn = reg::openPostgres(conninfo);
    if (!conn) return conn.error();
    auto who = (*conn)->query("SELECT session_user");
    if (!who) return who.error();
    std::string user = (*who)[0][0].value_or("");
    return std::unique_ptr<Register>(new PgRegister(std::move(*conn), user));
}

Status PgRegister::createLoginRole(const UserInfo& user) {
    // The name was checked against a strict pattern, so quoting it as an identifier is safe.
    const std::string ident = "\"" + user.name + "\"";
    auto exists = db().query("SELECT 1 FROM pg_roles WHERE rolname = ?", {user.name});
    if (!exists) return exists.error();
    if (exists->empty()) {
        if (Status s = db().exec("CREATE ROLE " + ident + " LOGIN"); !s) return s;
    }
    if (Status s = db().exec("REVOKE lecert_officer, lecert_supervisor, lecert_clerk, "
                             "lecert_auditor FROM " +
                             ident);
        !s)
        return s;
    return db().exec("GRANT lecert_" + std::string(toString(user.role)) + " TO " + ident);
}

Status Register::requireSupervisorOnceUsers(const char* what) {
    if (db().dialect() != reg::SqlDialect::Sqlite) return Ok{};
    auto count = db().query("SELECT count(*) FROM users");
    if (!count) return count.error();
    if ((*count)[0][0].value_or("0") == "0") return Ok{};
    auto a = actor();
    if (!a) return a.error();
    if (a->role != RegisterRole::Supervisor)
        return reg::permissionError(std::string("only a supervisor may ") + what);
    return Ok{};
}

Status Register::init(const RegisterInit& settings) {
    auto v = reg::migrate(db());
    if (!v) return v.error();
    // Once there are users, only a supervisor changes the settings (the identity mode among
    // them). PostgreSQL: only the tables' owner can write settings.
    if (auto st = requireSupervisorOnceUsers("change the register's settings"); !st) return st;
    DeadlineRule rule = agencyTarget(settings.targetDays, settings.removalTargetDays);
    if (!settings.jurisdiction.empty()) {
        auto r = deadlineRule(settings.jurisdiction, settings.deadlinesFile);
        if (!r) return r.error();
        rule = *r;
    }
    if (rule.days <= 0 || rule.removalDays <= 0)
        return reg::registerError("deadline targets must be at least one day", "target_days");
    const std::vector<std::pair<std::string, std::string>> values = {
        {"deadline.id", rule.id},
        {"deadline.name", rule.name},
        {"deadline.days", std::to_string(rule.days)},
        {"deadline.removal_days", std::to_string(rule.removalDays)},
        {"deadline.citation", rule.citation},
        {"drafts_private_to_unit", settings.draftsPrivateToUnit ? "1" : "0"},
        {"expiring_days", std::to_string(settings.expiringWithinDays)},
    };
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b;
    if (db().dialect() == reg::SqlDialect::Sqlite) {
        // A new register takes its users from the OS accounts unless told otherwise; an
        // existing one keeps its mode unless one is given.
        const std::string mode(toString(settings.identity.value_or(RegisterIdentity::OsAccount)));
        Status s = db().exec(settings.identity
                                 ? "INSERT INTO settings (key, value) VALUES ('identity', ?) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                 : "INSERT INTO settings (key, value) VALUES ('identity', ?) "
                                   "ON CONFLICT (key) DO NOTHING",
                             {mode});
        if (!s) return s;
    }
    for (const auto& [key, value] : values) {
        Status s = db().exec(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {key, value});
        if (!s) return s;
    }
    return tx.commit();
}

Result<int> Register::schemaVersion() {
    return reg::schemaVersion(db());
}

Result<std::string> Register::serverNow() {
    auto r = db().query("SELECT " + std::string(reg::nowSql(db().dialect())));
    if (!r) return r.error();
    return (*r)[0][0].value_or("");
}

Result<reg::Actor> Register::actor() {
    auto r = db().query("SELECT role, unit FROM users WHERE name = ?", {m_user});
    if (!r) return r.error();
    if (r->empty()) {
        return reg::permissionError("user '" + m_user +
                                    "' is not one of the register's users (a supervisor adds "
                                    "them with `lecert register user`)");
    }
    reg::Actor a;
    a.name = m_user;
    a.role = roleFromString((*r)[0][0].value_or("")).value_or(RegisterRole::Auditor);
    a.unit = (*r)[0][1].value_or("");
    return a;
}

Result<DeadlineRule> Register::currentRule() {
    auto r = db().query("SELECT key, value FROM settings WHERE key LIKE 'deadline.%'");
    if (!r) return r.error();
    DeadlineRule rule = agencyTarget(90, 14);
    for (const auto& row : *r) {
        const std::string key = row[0].value_or(""), value = row[1].value_or("");
        if (key == "deadline.id") rule.id = value;
        if (key == "deadline.name") rule.name = value;
        if (key == "deadline.days") rule.days = std::stoi(value);
        if (key == "deadline.removal_days") rule.removalDays = std::stoi(value);
        if (key == "deadline.citation") rule.citation = value;
    }
    return rule;
}

Status Register::addUser(const UserInfo& user) {
    static const std::regex kName("[a-z_][a-z0-9_.-]{0,62}");
    if (!std::regex_match(user.name, kName)) {
        return reg::registerError(
            "a user name is 1 to 63 characters: lowercase letters, digits, '_', '.', '-', "
            "starting with a letter or '_'",
            "user");
    }
    if (auto st = requireSupervisorOnceUsers("add or change users"); !st) return st;
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b;
    if (Status s = createLoginRole(user); !s) return s;
    Status s = db().exec(
        "INSERT INTO users (name, role, unit) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET role = excluded.role, unit = excluded.unit",
        {user.name, std::string(toString(user.role)), user.unit});
    if (!s) return s;
    return tx.commit();
}

Result<std::vector<UserInfo>> Register::users() {
    auto r = db().query("SELECT name, role, unit FROM users ORDER BY name");
    if (!r) return r.error();
    std::vector<UserInfo> out;
    for (const auto& row : *r) {
        out.push_back({row[0].value_or(""),
                       roleFromString(row[1].value_or("")).value_or(RegisterRole::Auditor),
                       row[2].value_or("")});
    }
    return out;
}

Status Register::appendEvent(std::int64_t id, int version, std::string_view action,
                             const std::string& chainHead) {
    auto now = serverNow();
    if (!now) return now.error();
    if (m_stamp) {
        // A replayed offline operation: the unique client_op makes a second replay fail
        // instead of appending twice.
        const OfflineStamp stamp = std::move(*m_stamp);
        m_stamp.reset();
        return db().exec(
            "INSERT INTO review_events (request_id, version, action, actor, at, chain_head, "
            "client_op, made_offline_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {std::to_string(id), std::to_string(version), std::string(action), m_user, *now,
             chainHead.empty() ? SqlParam{} : SqlParam{chainHead}, stamp.clientOp,
             stamp.madeOfflineAt});
    }
    return db().exec(
        "INSERT INTO review_events (request_id, version, action, actor, at, chain_head) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {std::to_string(id), std::to_string(version), std::string(action), m_user, *now,
         chainHead.empty() ? SqlParam{} : SqlParam{chainHead}});
}

Result<std::int64_t> Register::intake(const RequestIntake& in) {
    auto a = actor();
    if (!a) return a.error();
    if (a->role == RegisterRole::Auditor)
        return reg::permissionError("an auditor has read-only access and cannot record requests");
    if (in.form != "i918b" && in.form != "i914b")
        return reg::registerError("must be i918b or i914b", "form");
    if (in.received.year == 0)
        return reg::registerError("the received date is required", "received");
    const std::string owner = in.owner.empty() ? a->name : in.owner;
    if (a->role == RegisterRole::Officer && owner != a->name)
        return reg::permissionError("an officer records requests for themself only");
    std::string unit = in.unit;
    if (unit.empty()) {
        auto u = db().query("SELECT unit FROM users WHERE name = ?", {owner});
        if (!u) return u.error();
        if (u->empty())
            return reg::registerError("the owner is not one of the register's users", "owner");
        unit = (*u)[0][0].value_or("");
    }
    auto rule = currentRule();
    if (!rule) return rule.error();
    const Date deadline = rule->deadline(in.received, in.removalProceedings);
    const std::string now(reg::nowSql(db().dialect()));
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b.error();
    auto r = db().query(
        "INSERT INTO requests (received_date, requester_kind, requester_name, requester_key, "
        "contact, form, "
        "case_number, removal_proceedings, deadline, deadline_rule, unit, owner, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " +
            now + ", " + now + ") RETURNING id",
        {in.received.iso(), std::string(toString(in.requesterKind)), in.requesterName,
         reg::searchKey(in.requesterName), in.contact, in.form, in.caseNumber,
         std::string(in.removalProceedings ? "1" : "0"), deadline.iso(), rule->id, unit, owner});
    if (!r) return r.error();
    const std::int64_t id = std::stoll((*r)[0][0].value_or("0"));
    if (Status e = appendEvent(id, 0, "intake", ""); !e) return e.error();
    if (Status c = tx.commit(); !c) return c.error();
    return id;
}

namespace {

// The columns the queues and reports need, taken from the record.
struct Indexed {
    std::string recordId, victimKey, victimKey2, crime, caseNumber;
};

Indexed indexedColumns(const Json& record) {
    Record r(record);
    Indexed out;
    out.recordId = r.string("id");
    const std::string family = r.string("victim.family_name");
    const std::string given = r.string("victim.given_name");
    out.victimKey = reg::searchKey(family + " " + given);
    out.victimKey2 = reg::searchKey(given + " " + family);
    out.caseNumber = r.string("agency.case_number");
    if (const Json* acts = r.get("crime.activities"); acts && acts->is_array()) {
        for (const Json& act : *acts) {
            if (!act.is_string()) continue;
            if (!out.crime.empty()) out.crime += ",";
            out.crime += act.get<std::string>();
        }
    } else if (r.string("form") == "i914b") {
        out.crime = "human_trafficking";
    }
    return out;
}

}  // namespace

Result<int> Register::saveRecord(std::int64_t id, const Json& incoming, int expectedVersion) {
    auto a = actor();
    if (!a) return a.error();
    if (a->role == RegisterRole::Auditor)
        return reg::permissionError("an auditor has read-only access and cannot save records");
    if (!incoming.is_object()) return reg::registerError("a record must be a JSON object", "");
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b.error();
    auto row = db().query("SELECT version, owner, form, unit, status FROM requests WHERE id = ?" +
                              std::string(forUpdate()),
                          {std::to_string(id)});
    if (!row) return row.error();
    if (row->empty()) return reg::notFound(id);
    auto seen = visible(*a, (*row)[0][1].value_or(""), (*row)[0][3].value_or(""),
                        (*row)[0][4].value_or(""));
    if (!seen) return seen.error();
    if (!*seen) return reg::notFound(id);
    const int current = std::stoi((*row)[0][0].value_or("0"));
    if (a->role == RegisterRole::Officer && (*row)[0][1].value_or("") != a->name)
        return reg::permissionError("request " + std::to_string(id) +
                                    " belongs to another officer; only they or a supervisor "
                                    "may edit it");
    if (Record(incoming).string("form") != (*row)[0][2].value_or(""))
        return reg::registerError("the record's form differs from the request's form", "form");
    auto now = serverNow();
    if (!now) return now.error();
    if (current != expectedVersion) {
        Status keep = db().exec(
            "INSERT INTO record_conflicts (request_id, base_version, register_version, record, "
            "saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
            {std::to_string(id), std::to_string(expectedVersion), std::to_string(current),
             dumpCanonical(incoming), m_user, *now});
        if (!keep) return keep.error();
        if (Status c = tx.commit(); !c) return c.error();
        return reg::conflictError(id, expectedVersion, current);
    }
    Json merged = review::content(incoming);
    std::optional<Json> previous;
    if (current > 0) {
        auto prev =
            db().query("SELECT record FROM record_versions WHERE request_id = ? AND version = ?",
                       {std::to_string(id), std::to_string(current)});
        if (!prev) return prev.error();
        if (!prev->empty()) {
            auto parsed = parseJson((*prev)[0][0].value_or("{}"), "register");
            if (!parsed) return parsed.error();
            previous = std::move(*parsed);
            if (previous->contains("review")) merged["review"] = (*previous)["review"];
        }
    }
    Result<bool> changed = previous ? review::recordEdited(merged, m_user, *now,
                                                           review::changedFields(*previous, merged))
                                    : Result<bool>(true);
    if (!previous) {
        if (Status s = review::ensureCreated(merged, m_user, *now); !s) return s.error();
    }
    if (!changed) return changed.error();
    if (!*changed) return current;  // nothing new: no version to add
    auto saved = storeVersion(id, current, merged, "edited");
    if (!saved) return saved.error();
    if (Status c = tx.commit(); !c) return c.error();
    return *saved;
}

// Inside a transaction: stores `record` as version `current`+1, updates the request's columns
// from it and anchors its chain head with an event.
Result<int> Register::storeVersion(std::int64_t id, int current, const Json& record,
                                   std::string_view action) {
    auto now = serverNow();
    if (!now) return now.error();
    const int next = current + 1;
    Status ins = db().exec(
        "INSERT INTO record_versions (request_id, version, record, saved_by, saved_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {std::to_string(id), std::to_string(next), dumpCanonical(record), m_user, *now});
    if (!ins) return ins.error();
    const Indexed ix = indexedColumns(record);
    const std::string status(review::toString(review::status(record)));
    auto upd = db().query(
        "UPDATE requests SET version = ?, status = ?, record_id = ?, victim_key = ?, "
        "victim_key2 = ?, crime = ?, "
        "case_number = CASE WHEN ? = '' THEN case_number ELSE ? END, "
        "submitted_by = CASE WHEN ? = 'submitted' AND status <> 'submitted' THEN ? ELSE "
        "submitted_by END, "
        "approved_by = CASE WHEN ? = 'approved' AND status <> 'approved' THEN ? ELSE approved_by "
        "END, updated_at = " +
            std::string(reg::nowSql(db().dialect())) +
            " WHERE id = ? AND version = ? RETURNING version",
        {std::to_string(next), status, ix.recordId, ix.victimKey, ix.victimKey2, ix.crime,
         ix.caseNumber, ix.caseNumber, status, m_user, status, m_user, std::to_string(id),
         std::to_string(current)});
    if (!upd) return upd.error();
    if (upd->empty()) return reg::conflictError(id, current, -1);
    const std::string head = record.contains("review") && record["review"].contains("head") &&
                                     record["review"]["head"].is_string()
                                 ? record["review"]["head"].get<std::string>()
                                 : std::string();
    if (Status e = appendEvent(id, next, action, head); !e) return e.error();
    return next;
}

}  // namespace lecert

namespace lecert {

bool isConnectionLost(const Error& e) {
    return e.where.field == reg::kConnectionField;
}

Result<std::optional<int>> Register::findClientOp(const std::string& clientOp) {
    auto r = db().query("SELECT version FROM review_events WHERE client_op = ?", {clientOp});
    if (!r) return r.error();
    if (r->empty()) return std::optional<int>{};
    return std::optional<int>(std::stoi((*r)[0][0].value_or("0")));
}

Status Register::recordOutputs(std::int64_t id, int version, std::string_view status,
                               const std::string& outputsJson) {
    auto a = actor();
    if (!a) return a.error();
    if (a->role == RegisterRole::Auditor)
        return reg::permissionError("an auditor has read-only access and cannot record outputs");
    auto now = serverNow();
    if (!now) return now.error();
    return db().exec(
        "INSERT INTO batch_outputs (request_id, version, status, outputs, produced_by, "
        "produced_at) VALUES (?, ?, ?, ?, ?, ?)",
        {std::to_string(id), std::to_string(version), std::string(status), outputsJson, m_user,
         *now});
}

Result<std::vector<BatchOutputRow>> Register::outputs(std::int64_t id) {
    auto r = db().query(
        "SELECT version, status, outputs, produced_by, produced_at FROM batch_outputs "
        "WHERE request_id = ? ORDER BY id",
        {std::to_string(id)});
    if (!r) return r.error();
    std::vector<BatchOutputRow> out;
    for (const auto& row : *r) {
        out.push_back({id, std::stoi(row[0].value_or("0")), row[1].value_or(""),
                       row[2].value_or(""), row[3].value_or(""), row[4].value_or("")});
    }
    return out;
}

Result<RegisterIdentity> Register::identity() {
    if (db().dialect() == reg::SqlDialect::Postgres) return RegisterIdentity::OsAccount;
    auto r = db().query("SELECT value FROM settings WHERE key = 'identity'");
    if (!r) return r.error();
    return !r->empty() && (*r)[0][0].value_or("") == toString(RegisterIdentity::TrustedDesk)
               ? RegisterIdentity::TrustedDesk
               : RegisterIdentity::OsAccount;
}

}  // namespace lecert
