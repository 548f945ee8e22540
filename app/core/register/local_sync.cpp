// SPDX-License-Identifier: MIT
// LocalCopy::sync(): replays the operations made offline against the register, idempotently
// (see local_copy.h).
#include <set>

#include "core/register/local_copy.h"
#include "core/register/sql_connection.h"

namespace lecert {

struct LocalCopy::PendingRow {
    LocalOp op;
    std::string payload;
    int base = 0;
};

namespace {

using PendingRow = LocalCopy::PendingRow;

Error localError(std::string message) {
    Error e;
    e.message = "local copy: " + std::move(message);
    return e;
}

// Replays one operation; the new version or the register's error.
Result<int> replay(Register& reg, const PendingRow& p) {
    OfflineStamp stamp{p.op.clientOp, p.op.madeAt, std::nullopt};
    if (p.op.kind != "edit") stamp.expectedVersion = p.base;
    reg.setOfflineStamp(stamp);
    Result<int> out = p.base;
    if (p.op.kind == "edit") {
        auto json = parseJson(p.payload, "local copy");
        out = json ? reg.saveRecord(p.op.requestId, *json, p.base) : Result<int>(json.error());
    } else {
        std::vector<FieldComment> comments;
        if (auto list = parseJson(p.payload.empty() ? "[]" : p.payload, "local copy");
            list && list->is_array()) {
            for (const auto& c : *list)
                comments.push_back({c.value("field", ""), c.value("text", "")});
        }
        Status s = p.op.kind == "submitted" ? reg.submit(p.op.requestId, p.op.note)
                   : p.op.kind == "returned"
                       ? reg.returnToOfficer(p.op.requestId, p.op.note, comments)
                       : reg.approve(p.op.requestId, p.op.note);
        if (!s) {
            out = s.error();
        } else {
            auto v = reg.findClientOp(p.op.clientOp);
            out = !v ? Result<int>(v.error()) : Result<int>(v->value_or(p.base));
        }
    }
    reg.setOfflineStamp(std::nullopt);  // an early refusal leaves it unused
    return out;
}

std::string opName(const LocalOp& op) {
    return "request " + std::to_string(op.requestId) + ": " +
           (op.kind == "edit" ? std::string("edit") : op.kind) + " made offline at " + op.madeAt;
}

}  // namespace

SyncReport LocalCopy::sync(Register& reg) {
    SyncReport rep;
    auto who = m_db->query("SELECT value FROM meta WHERE key = 'user'");
    if (!who || who->empty() || (*who)[0][0].value_or("") != reg.user()) {
        rep.stoppedBy = localError("it belongs to another user than '" + reg.user() +
                                   "', who is connected to the register");
        return rep;
    }
    auto rows = m_db->query(
        "SELECT o.seq, o.request_id, o.kind, o.note, o.client_op, o.made_at, o.payload "
        "FROM ops o WHERE o.state = 'pending' ORDER BY o.seq");
    if (!rows) {
        rep.stoppedBy = rows.error();
        return rep;
    }
    std::set<std::int64_t> applied, failed;
    for (const auto& r : *rows) {
        PendingRow p;
        p.op.seq = std::stoll(r[0].value_or("0"));
        p.op.requestId = std::stoll(r[1].value_or("0"));
        p.op.kind = r[2].value_or("");
        p.op.note = r[3].value_or("");
        p.op.clientOp = r[4].value_or("");
        p.op.madeAt = r[5].value_or("");
        p.payload = r[6].value_or("");
        // Skips operations blocked earlier in this run.
        auto state = m_db->query("SELECT state FROM ops WHERE seq = ?", {r[0]});
        if (!state || state->empty() || (*state)[0][0] != "pending") continue;
        auto base = m_db->query("SELECT base_version FROM items WHERE request_id = ?", {r[1]});
        if (!base || base->empty()) continue;
        p.base = std::stoi((*base)[0][0].value_or("0"));
        bool ok = false;
        if (!syncOne(reg, p, rep, ok)) break;
        (ok ? applied : failed).insert(p.op.requestId);
    }
    for (std::int64_t id : failed) applied.erase(id);
    refreshSynced(reg, applied);
    auto left = m_db->query("SELECT count(*) FROM ops WHERE state = 'pending'");
    rep.stillPending = left ? std::stoi((*left)[0][0].value_or("0")) : 0;
    return rep;
}

// One operation: already in the register (an earlier sync was cut off after the commit),
// applied now, or marked conflict / refused. False when the connection broke (stop).
bool LocalCopy::syncOne(Register& reg, const PendingRow& p, SyncReport& rep, bool& applied) {
    applied = false;
    const std::string name = opName(p.op);
    auto stopped = [&](const Error& e) {
        rep.stoppedBy = e;
        rep.lines.push_back(name + ": not sent, the connection to the register broke");
        return false;
    };
    auto known = reg.findClientOp(p.op.clientOp);
    if (!known) return stopped(known.error());
    if (*known) {
        (void)markOp(p.op.seq, "synced", "", **known);
        (void)setBase(p.op.requestId, **known);
        ++rep.alreadyInRegister;
        applied = true;
        rep.lines.push_back(name + ": already in the register (version " + std::to_string(**known) +
                            ")");
        return true;
    }
    auto done = replay(reg, p);
    if (done) {
        (void)markOp(p.op.seq, "synced", "", *done);
        (void)setBase(p.op.requestId, *done);
        ++rep.synced;
        applied = true;
        rep.lines.push_back(name + ": synced (version " + std::to_string(*done) + ")");
        return true;
    }
    const Error& e = done.error();
    if (isConnectionLost(e)) return stopped(e);
    const bool conflict = isVersionConflict(e);
    const std::string why =
        conflict ? "CONFLICT: " + e.message +
                       (p.op.kind == "edit" ? "; the offline version is also kept in the local copy"
                                            : "")
                 : "REFUSED: " + e.message;
    (void)markOp(p.op.seq, conflict ? "conflict" : "refused", why, 0);
    auto later = m_db->query(
        "SELECT count(*) FROM ops WHERE request_id = ? AND seq > ? AND "
        "state = 'pending'",
        {std::to_string(p.op.requestId), std::to_string(p.op.seq)});
    (void)blockLater(p.op.requestId, p.op.seq,
                     "not sent: an earlier offline change of this request was not applied");
    if (later) rep.blocked += std::stoi((*later)[0][0].value_or("0"));
    ++(conflict ? rep.conflicts : rep.refused);
    rep.lines.push_back(name + ": " + why);
    return true;
}

Status LocalCopy::setBase(std::int64_t id, int version) {
    return m_db->exec("UPDATE items SET base_version = ? WHERE request_id = ?",
                      {std::to_string(version), std::to_string(id)});
}

// A request with nothing left to send takes the register's latest record (its review history
// now holds the replayed actions), so the next offline edit starts from it.
void LocalCopy::refreshSynced(Register& reg, const std::set<std::int64_t>& ids) {
    for (std::int64_t id : ids) {
        auto open =
            m_db->query("SELECT count(*) FROM ops WHERE request_id = ? AND state = 'pending'",
                        {std::to_string(id)});
        if (!open || (*open)[0][0].value_or("0") != "0") continue;
        auto rec = reg.record(id);
        if (!rec) continue;
        (void)m_db->exec(
            "UPDATE items SET record = ?, base_version = ? WHERE request_id = ?",
            {dumpCanonical(rec->record), std::to_string(rec->version), std::to_string(id)});
    }
}

}  // namespace lecert
