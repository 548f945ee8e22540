// SPDX-License-Identifier: MIT
#pragma once
// LocalCopy: a desk's offline copy of the register. A SQLite file per user, created
// owner-only (0600) and refused when others may read it, holding the records checked out
// (each with the register version it came from) and the operations made while offline, in
// order: edits (the whole record) and review actions (submit, return, approve).
//
// sync() replays them against the register as the authenticated user, so every role rule
// applies then and every event gets the server's user and time; the desk's own clock is kept
// as the event's "made offline at". Each operation carries a unique id stored with its event,
// so a sync cut off at any point (the server killed, the network gone, lecert killed) is
// simply run again: what the register committed is recognised, not applied twice, and the
// rest follows. An edit whose base version is no longer the register's latest is a version
// conflict: the register keeps the desk's version as a conflict copy beside its own, the local
// copy keeps it too, the operation and the later ones of that request are marked and reported,
// nothing is overwritten.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/register/register.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

namespace reg {
class SqlConnection;
}

struct LocalItem {
    std::int64_t requestId = 0;
    int baseVersion = 0;  // the register version the local record was checked out at / synced to
    std::string form;
    Json record;  // the latest local record (with offline edits)
    std::string checkedOutAt;
    int openOps = 0;  // operations not yet synced
};

// One operation made offline. state: pending (not yet in the register), synced, conflict
// (the register's version changed meanwhile), refused (a role or workflow rule), blocked (not
// sent because an earlier operation of the request conflicted or was refused).
struct LocalOp {
    std::int64_t seq = 0;
    std::int64_t requestId = 0;
    std::string kind;  // edit, submitted, returned, approved
    std::string note;
    std::string clientOp;
    std::string madeAt;  // the desk's clock, UTC
    std::string state;
    std::string message;  // why it is conflict / refused / blocked (no field values)
    int syncedVersion = 0;
};

struct SyncReport {
    int synced = 0, alreadyInRegister = 0, conflicts = 0, refused = 0, blocked = 0;
    int stillPending = 0;
    std::vector<std::string> lines;  // one per operation handled (request ids, no values)
    std::optional<Error> stoppedBy;  // the connection broke: run sync again
    bool complete() const { return !stoppedBy && stillPending == 0; }
};

class LocalCopy {
public:
    // Opens (with `create`, creates owner-only) the local copy at `path` for `user` (the
    // register's acting user); a copy made for another user is refused. An empty `user`
    // (offline, no register to ask) opens whoever's copy the OS account may read; sync()
    // still refuses a register user other than the copy's.
    static Result<std::unique_ptr<LocalCopy>> open(const std::string& path, const std::string& user,
                                                   bool create);
    // $LECERT_LOCAL_COPY, else ${XDG_DATA_HOME:-$HOME/.local/share}/lecert/offline-<user>.db.
    static std::string defaultPath(const std::string& user);
    ~LocalCopy();
    LocalCopy(const LocalCopy&) = delete;
    LocalCopy& operator=(const LocalCopy&) = delete;

    // Copies the register's latest version of request `id` (it must have a record). Refused
    // while the request has offline operations not yet synced.
    Status checkout(Register& reg, std::int64_t id);
    Result<LocalItem> item(std::int64_t id);
    Result<std::vector<LocalItem>> items();
    // Offline: replaces the local record (an edit to send at sync).
    Status saveEdit(std::int64_t id, const Json& record);
    // Offline: a review action to replay at sync ("submitted", "returned", "approved").
    Status addAction(std::int64_t id, const std::string& action, const std::string& note,
                     const std::vector<FieldComment>& comments = {});
    Result<std::vector<LocalOp>> operations();
    // Sends the pending operations in the order they were made; see the header comment.
    SyncReport sync(Register& reg);

    struct PendingRow;  // internal to sync()

private:
    explicit LocalCopy(std::unique_ptr<reg::SqlConnection> db);
    Status addOp(std::int64_t id, const std::string& kind, const std::string& note,
                 const std::string& payload);
    Status markOp(std::int64_t seq, const std::string& state, const std::string& message,
                  int version);
    Status blockLater(std::int64_t id, std::int64_t seq, const std::string& why);
    // One operation; false when the connection broke. `applied`: it is in the register now.
    bool syncOne(Register& reg, const PendingRow& p, SyncReport& rep, bool& applied);
    Status setBase(std::int64_t id, int version);
    void refreshSynced(Register& reg, const std::set<std::int64_t>& ids);
    std::unique_ptr<reg::SqlConnection> m_db;
};

}  // namespace lecert
