// SPDX-License-Identifier: MIT
// The review workflow and outcomes on the register: each action changes the record through
// core/review (so the file's hash chain stays the one truth of its history), stores the result
// as a new version and anchors the new chain head in review_events.
#include <unicode/unistr.h>

#include "core/model/record.h"
#include "core/register/register.h"
#include "core/register/register_internal.h"
#include "core/register/sql_connection.h"
#include "core/review/review.h"
#include "core/rules/validator.h"

namespace lecert {

namespace reg {

Error registerError(std::string message, std::string field) {
    Error e;
    e.message = std::move(message);
    e.where.field = std::move(field);
    return e;
}

Error permissionError(std::string message) {
    return registerError("not allowed: " + std::move(message), kPermissionField);
}

Error notFound(std::int64_t id) {
    return registerError("request " + std::to_string(id) + " not found (or not visible to you)",
                         "request");
}

Error conflictError(std::int64_t id, int base, int registerVersion) {
    std::string msg = "version conflict on request " + std::to_string(id) +
                      ": you edited version " + std::to_string(base);
    msg += registerVersion >= 0 ? ", the register has version " + std::to_string(registerVersion)
                                : ", and it changed while saving";
    msg +=
        "; your version is kept as a conflict copy beside the register's — open the latest "
        "version, merge, and save again";
    return registerError(std::move(msg), kConflictField);
}

std::string searchKey(const std::string& text) {
    std::string out;
    icu::UnicodeString::fromUTF8(text).foldCase().toUTF8String(out);
    return out;
}

}  // namespace reg

using reg::Transaction;

bool isVersionConflict(const Error& e) {
    return e.where.field == reg::kConflictField;
}
bool isPermissionDenied(const Error& e) {
    return e.where.field == reg::kPermissionField;
}

Result<Json> Register::latestJson(std::int64_t id, int version) {
    auto r = db().query("SELECT record FROM record_versions WHERE request_id = ? AND version = ?",
                        {std::to_string(id), std::to_string(version)});
    if (!r) return r.error();
    if (r->empty()) return reg::notFound(id);
    return parseJson((*r)[0][0].value_or("{}"), "register");
}

Status Register::act(std::int64_t id, std::string_view action, std::string_view note,
                     const std::vector<FieldComment>& comments) {
    auto a = actor();
    if (!a) return a.error();
    const bool submitting = action == "submitted";
    if (!submitting && a->role != RegisterRole::Supervisor)
        return reg::permissionError("only a supervisor may return or approve a request");
    if (submitting && a->role != RegisterRole::Officer && a->role != RegisterRole::Supervisor)
        return reg::permissionError("only an officer or a supervisor may submit a request");
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b;
    auto row = db().query(
        "SELECT version, owner, unit, status, submitted_by FROM requests WHERE "
        "id = ?" +
            std::string(forUpdate()),
        {std::to_string(id)});
    if (!row) return row.error();
    if (row->empty()) return reg::notFound(id);
    const auto& r = (*row)[0];
    auto seen = visible(*a, r[1].value_or(""), r[2].value_or(""), r[3].value_or(""));
    if (!seen) return seen.error();
    if (!*seen) return reg::notFound(id);
    if (submitting && a->role == RegisterRole::Officer && r[1].value_or("") != a->name)
        return reg::permissionError("only the request's officer or a supervisor may submit it");
    if (action == "approved" && r[4].value_or("") == a->name)
        return reg::permissionError("the approver must not be the one who submitted it");
    const int version = std::stoi(r[0].value_or("0"));
    if (m_stamp && m_stamp->expectedVersion && *m_stamp->expectedVersion != version)
        return reg::registerError(
            "version conflict on request " + std::to_string(id) +
                ": the action was made on version " + std::to_string(*m_stamp->expectedVersion) +
                ", the register has version " + std::to_string(version) + "; not applied",
            reg::kConflictField);
    if (version == 0)
        return reg::registerError("request " + std::to_string(id) + " has no record yet", "record");
    auto json = latestJson(id, version);
    if (!json) return json.error();
    auto now = serverNow();
    if (!now) return now.error();
    Status changed = Ok{};
    if (submitting) {
        changed = review::submit(*json, m_user, note, *now);
    } else if (action == "returned") {
        for (const auto& c : comments) {
            auto added = review::addComment(*json, c.field, m_user, c.text, *now);
            if (!added) return added.error();
        }
        changed = review::returnToOfficer(*json, m_user, note, *now);
    } else {
        ValidationOptions opts;
        opts.checkGlyphs = false;
        const bool errors = hasErrors(validateRecord(Record(*json), opts));
        changed = review::approve(*json, m_user, note, *now, errors);
    }
    if (!changed) return changed;
    auto saved = storeVersion(id, version, *json, action);
    if (!saved) return saved.error();
    return tx.commit();
}

Status Register::submit(std::int64_t id, std::string_view note) {
    return act(id, "submitted", note, {});
}

Status Register::returnToOfficer(std::int64_t id, std::string_view note,
                                 const std::vector<FieldComment>& comments) {
    return act(id, "returned", note, comments);
}

Status Register::approve(std::int64_t id, std::string_view note) {
    return act(id, "approved", note, {});
}

Status Register::setOutcome(std::int64_t id, RequestOutcome outcome, const Date& on,
                            std::string_view reason) {
    auto a = actor();
    if (!a) return a.error();
    if (a->role != RegisterRole::Supervisor && a->role != RegisterRole::Clerk)
        return reg::permissionError("only a supervisor or a records clerk may record an outcome");
    if (outcome == RequestOutcome::Declined && reason.empty())
        return reg::registerError("a declined request needs the reason (8 CFR 214.14(h))",
                                  "decline_reason");
    Transaction tx(db());
    if (Status b = tx.begin(); !b) return b;
    auto row =
        db().query("SELECT version, status FROM requests WHERE id = ?" + std::string(forUpdate()),
                   {std::to_string(id)});
    if (!row) return row.error();
    if (row->empty()) return reg::notFound(id);
    if (outcome == RequestOutcome::Certified && (*row)[0][1].value_or("") != "approved")
        return reg::registerError(
            "request " + std::to_string(id) + " is certified only after a supervisor approved it",
            "outcome");
    Status s = db().exec(
        "UPDATE requests SET outcome = ?, outcome_date = ?, decline_reason = ? WHERE id = ?",
        {std::string(toString(outcome)),
         outcome == RequestOutcome::Pending ? reg::SqlParam{} : reg::SqlParam{on.iso()},
         outcome == RequestOutcome::Declined ? reg::SqlParam{std::string(reason)} : reg::SqlParam{},
         std::to_string(id)});
    if (!s) return s;
    const int version = std::stoi((*row)[0][0].value_or("0"));
    std::string head;
    if (version > 0) {
        auto json = latestJson(id, version);
        if (!json) return json.error();
        if (const Json* h = jsonAt(*json, "review.head"); h && h->is_string())
            head = h->get<std::string>();
    }
    if (Status e = appendEvent(id, version, toString(outcome), head); !e) return e;
    return tx.commit();
}

}  // namespace lecert
