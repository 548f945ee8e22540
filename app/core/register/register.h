// SPDX-License-Identifier: MIT
#pragma once
// The agency's certification register: requests, the records they become (every version
// kept), the review queue, outcomes and yearly statistics. One interface, two back ends chosen
// by the location: a file path or `sqlite:PATH` opens an SQLite file (a single desk or a small
// agency; roles enforced here, in core), `postgresql://…` / `postgres://…` connects with libpq
// (identities are database roles and the database enforces the rules with grants, row-level
// security and triggers, so a hand-written SQL client has the same limits).
//
// The record JSON stays the document. Its `review` history (core/review) is kept by the
// register: a saved record's content is taken from the caller, its review history from the
// register's latest version, and every register action appends to that hash chain and anchors
// the new chain head in `review_events` with the authenticated user and the server's time.
//
// Concurrency: saveRecord() takes the version the caller edited; when the register has moved
// on, the save is refused with a version-conflict error (isVersionConflict()) and the caller's
// version is kept in `record_conflicts` beside the register's, so nothing is lost.
//
// Every function returns a Result and never throws; messages name fields and request ids,
// never victim data. A Register object holds one connection: use one per thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/register/deadlines.h"
#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

namespace reg {
class SqlConnection;
struct Actor;
}  // namespace reg

enum class RegisterRole { Officer, Supervisor, Clerk, Auditor };
enum class RequesterKind { Victim, Attorney, Advocate };
enum class RequestOutcome { Pending, Certified, Declined, Withdrawn };
// my drafts (draft, owned by me), returned to me, waiting for my review (submitted by someone
// else), approved, expiring (pending, deadline within the expiring window), overdue (pending,
// deadline passed), all.
enum class RegisterQueue {
    MyDrafts,
    ReturnedToMe,
    WaitingForMyReview,
    Approved,
    Expiring,
    Overdue,
    All
};

std::string_view toString(RegisterRole r);    // "officer", "supervisor", "clerk", "auditor"
std::string_view toString(RequesterKind k);   // "victim", "attorney", "advocate"
std::string_view toString(RequestOutcome o);  // "pending", "certified", "declined", "withdrawn"
std::string_view toString(RegisterQueue q);   // "my-drafts", "returned", "review", "approved", …
std::optional<RegisterRole> roleFromString(std::string_view s);
std::optional<RequesterKind> requesterKindFromString(std::string_view s);
std::optional<RequestOutcome> outcomeFromString(std::string_view s);
std::optional<RegisterQueue> queueFromString(std::string_view s);
// "--queue" names for messages: "my-drafts, returned, review, approved, expiring, overdue, all".
std::string queueNames();

// True when `e` is a saveRecord() refusal because the register holds a newer version.
bool isVersionConflict(const Error& e);
// True when `e` is a refusal by the role rules (core's, or the database's grants/policies).
bool isPermissionDenied(const Error& e);
// True when `e` means the register could not be reached or the connection broke (the
// operation may or may not have been committed; see OfflineStamp for replaying it safely).
bool isConnectionLost(const Error& e);

// How a SQLite register knows who is acting. PostgreSQL always uses the database login.
//   OsAccount   - the operating-system account running lecert (getuid -> login name); a
//                 --user / LECERT_USER naming someone else is refused. The default.
//   TrustedDesk - one desk whose people are trusted to name themselves (--user); for a
//                 single shared machine where the OS account is shared.
enum class RegisterIdentity { OsAccount, TrustedDesk };
std::string_view toString(RegisterIdentity i);  // "os-account", "trusted-desk"
// The login name of the process's real user id ("" when the system does not know it).
std::string osLoginName();

struct RegisterOptions {
    // SQLite: who is acting (the register's users table says their role). PostgreSQL ignores
    // it: the identity is the database login of the connection.
    std::string user;
};

// Marks the next event the register appends as the replay of an operation made offline:
// `clientOp` is a unique id of the operation (a retried sync finds it and does not apply the
// operation twice), `madeOfflineAt` the desk's own clock when it was made ("YYYY-MM-DDTHH:MM:SSZ").
// The event's user and time are still the authenticated user and the server's clock.
struct OfflineStamp {
    std::string clientOp;
    std::string madeOfflineAt;
    // For submit / return / approve: the version the desk acted on; when the register holds
    // another, the action is refused with a version conflict (it would act on a version the
    // desk never saw).
    std::optional<int> expectedVersion;
};

struct RegisterInit {
    std::string jurisdiction;  // "US-CA": a rule from rules/deadlines.json; empty: agency target
    int targetDays = 90;       // agency target when there is no jurisdiction
    int removalTargetDays = 14;
    bool draftsPrivateToUnit = true;  // officers see other units' drafts only when false
    int expiringWithinDays = 14;      // the "expiring" queue's window
    std::string deadlinesFile;        // default rules/deadlines.json
    // SQLite: how the acting user is known. Unset: os-account for a new register, the
    // register's current mode otherwise.
    std::optional<RegisterIdentity> identity;
};

struct RequestIntake {
    Date received;
    RequesterKind requesterKind = RequesterKind::Victim;
    std::string requesterName;  // attorney / advocate / victim as given on the request
    std::string contact;
    std::string form = "i918b";  // "i918b" or "i914b"
    std::string caseNumber;
    bool removalProceedings = false;
    std::string owner;  // the officer who will prepare it; default: the user acting
    std::string unit;   // default: the owner's unit
};

// One request as the queues show it (no victim data beyond what a queue line needs).
struct RequestSummary {
    std::int64_t id = 0;
    Date received;
    std::string requesterKind;
    std::string form;
    std::string caseNumber;
    bool removalProceedings = false;
    std::string status;  // review status: draft, submitted, returned, approved
    std::string owner;
    std::string unit;
    std::string submittedBy;
    std::string approvedBy;
    int version = 0;  // 0 = no record attached yet
    std::string outcome;
    std::optional<Date> outcomeDate;
    Date deadline;
    std::string deadlineRule;
    long daysLeft = 0;  // deadline - today (negative: overdue); computed in core
};

struct StoredRecord {
    std::int64_t requestId = 0;
    int version = 0;
    Json record;
    std::string savedBy;
    std::string savedAt;
};

struct RegisterEvent {
    std::int64_t id = 0;
    int version = 0;
    std::string action;  // intake, edited, submitted, returned, approved, outcome
    std::string actor;
    std::string at;
    std::string chainHead;      // the record's review.head after the event ("" before a record)
    std::string madeOfflineAt;  // the desk's clock when made offline and synced later, else ""
};

// What one batch run produced for one record version (file names and hashes, no values).
struct BatchOutputRow {
    std::int64_t requestId = 0;
    int version = 0;
    std::string status;   // ok, invalid, error, skipped
    std::string outputs;  // JSON array of {"file","sha256","bytes"}
    std::string producedBy;
    std::string producedAt;
};

struct FieldComment {
    std::string field;  // record path, e.g. "crime.dates[1]"
    std::string text;
};

struct UserInfo {
    std::string name;
    RegisterRole role = RegisterRole::Officer;
    std::string unit;
};

// Yearly statistics for a state report (requests received in the year).
struct YearReport {
    int year = 0;
    long received = 0;
    long certified = 0, declined = 0, withdrawn = 0, pending = 0;
    std::vector<std::pair<std::string, long>> byCrime;     // crime activity id -> requests
    std::vector<long> byMonth = std::vector<long>(12, 0);  // received per month
    std::optional<double> medianDaysToRespond;  // certified or declined, received -> outcome
    long deadlinesMissed = 0;  // answered after the deadline, or pending and overdue
    // "section,key,value" lines, header first.
    std::string csv() const;
    // The median to one decimal ("12", "12.5"), "" when nothing was answered.
    std::string medianText() const;
};

// How a record file compares with the register (for `lecert review verify --register`).
struct AnchorCheck {
    bool found = false;  // the register has a request with this record id
    std::int64_t requestId = 0;
    bool current = false;  // the file's review.head is the register's latest anchored head
    bool known = false;    // the head is anchored at some (maybe older) event
    std::string registerStatus;
    std::string message;
};

class Register {
public:
    // Opens the register at `location` (see the header comment). With `create`, a missing
    // SQLite file is created (use init() next).
    static Result<std::unique_ptr<Register>> open(const std::string& location,
                                                  const RegisterOptions& options = {},
                                                  bool create = false);
    virtual ~Register();
    Register(const Register&) = delete;
    Register& operator=(const Register&) = delete;

    // Applies the schema migrations and the settings; run once by an administrator.
    // Idempotent for the schema; settings given are (re)written.
    Status init(const RegisterInit& settings);
    Result<int> schemaVersion();
    virtual std::string_view backend() const = 0;  // "sqlite" or "postgresql"
    // The acting user (SQLite: the option; PostgreSQL: the session's login role).
    const std::string& user() const { return m_user; }

    // Adds or updates a user. SQLite: by a supervisor, or anyone while there are no users
    // yet. PostgreSQL: the connection needs CREATEROLE; creates the login role (no password:
    // set one with ALTER ROLE or use the server's authentication) in the group of `role`.
    Status addUser(const UserInfo& user);
    Result<std::vector<UserInfo>> users();

    // Records a request (officer, supervisor, clerk); returns its id.
    Result<std::int64_t> intake(const RequestIntake& request);
    // Saves `record` for request `id` as version expectedVersion + 1 (0 for the first).
    // Returns the new version, or a version-conflict error (the caller's copy is kept).
    Result<int> saveRecord(std::int64_t id, const Json& record, int expectedVersion);
    // The latest version (or `version` when given).
    Result<StoredRecord> record(std::int64_t id, std::optional<int> version = std::nullopt);
    Result<RequestSummary> request(std::int64_t id, const Date& today);
    Result<std::vector<RegisterEvent>> events(std::int64_t id);
    // Conflicting copies kept for request `id` (their base versions).
    Result<std::vector<int>> conflicts(std::int64_t id);

    // The review workflow (core/review's transitions): the owner submits; a supervisor returns
    // with comments or approves (not their own submission; refused if the record has
    // validation errors). Each appends to the record's hash chain and anchors the head.
    Status submit(std::int64_t id, std::string_view note);
    Status returnToOfficer(std::int64_t id, std::string_view note,
                           const std::vector<FieldComment>& comments);
    Status approve(std::int64_t id, std::string_view note);
    // The request's outcome (supervisor or clerk). Declined needs a reason; certified needs an
    // approved record.
    Status setOutcome(std::int64_t id, RequestOutcome outcome, const Date& on,
                      std::string_view reason = {});

    Result<std::vector<RequestSummary>> queue(RegisterQueue q, const Date& today,
                                              std::size_t limit = 500);
    // Requests whose victim name, case number or requester matches `text` (case-insensitive
    // prefix of the family or given name, of the requester's name, or the exact case number).
    Result<std::vector<RequestSummary>> search(std::string_view text, const Date& today,
                                               std::size_t limit = 500);
    Result<YearReport> report(int year, const Date& today);
    // Compares a record (from a file) with the register, by its `id`.
    Result<AnchorCheck> checkAnchor(const Json& record);

    // Offline replay (core/register/local_copy.h): the stamp applies to the next event
    // appended, then is cleared. findClientOp() says whether an operation with this id is
    // already in the register (the version its event recorded).
    void setOfflineStamp(std::optional<OfflineStamp> stamp) { m_stamp = std::move(stamp); }
    Result<std::optional<int>> findClientOp(const std::string& clientOp);

    // Records what a batch produced from version `version` of request `id` (officer,
    // supervisor, clerk). `outputsJson` is a JSON array of {"file","sha256","bytes"}.
    Status recordOutputs(std::int64_t id, int version, std::string_view status,
                         const std::string& outputsJson);
    Result<std::vector<BatchOutputRow>> outputs(std::int64_t id);
    // SQLite: the identity mode (PostgreSQL: always the database login).
    Result<RegisterIdentity> identity();

protected:
    Register(std::unique_ptr<reg::SqlConnection> conn, std::string user);
    // Back-end specific parts.
    virtual Status createLoginRole(const UserInfo& user) = 0;
    virtual std::string_view forUpdate() const = 0;  // " FOR UPDATE" or ""
    reg::SqlConnection& db() { return *m_db; }
    std::string m_user;

private:
    Result<reg::Actor> actor();
    // SQLite: once the register has users, only a supervisor may `what` (PostgreSQL enforces
    // the same through grants). Ok when there are no users yet.
    Status requireSupervisorOnceUsers(const char* what);
    Result<DeadlineRule> currentRule();
    // Whether `a` may see a request with these columns (the unit rule for drafts).
    Result<bool> visible(const reg::Actor& a, const std::string& owner, const std::string& unit,
                         const std::string& status);
    // The same rule as an SQL condition over `requests` plus its parameters.
    Result<std::pair<std::string, std::vector<std::optional<std::string>>>> visibleSql(
        const reg::Actor& a);
    Result<int> storeVersion(std::int64_t id, int current, const Json& record,
                             std::string_view action);
    Result<Json> latestJson(std::int64_t id, int version);
    Result<std::vector<RequestSummary>> summaries(const std::string& where,
                                                  std::vector<std::optional<std::string>> params,
                                                  const reg::Actor& a, const Date& today,
                                                  const std::string& order, std::size_t limit);
    Status act(std::int64_t id, std::string_view action, std::string_view note,
               const std::vector<FieldComment>& comments);
    Status appendEvent(std::int64_t id, int version, std::string_view action,
                       const std::string& chainHead);
    Result<std::string> serverNow();
    std::unique_ptr<reg::SqlConnection> m_db;
    std::optional<bool> m_draftsPrivate;  // cached setting
    std::optional<OfflineStamp> m_stamp;
};

class SqliteRegister final : public Register {
public:
    static Result<std::unique_ptr<Register>> open(const std::string& path, const std::string& user,
                                                  bool create);
    std::string_view backend() const override { return "sqlite"; }

private:
    using Register::Register;
    Status createLoginRole(const UserInfo&) override { return Ok{}; }
    std::string_view forUpdate() const override { return ""; }
};

class PgRegister final : public Register {
public:
    static Result<std::unique_ptr<Register>> open(const std::string& conninfo);
    std::string_view backend() const override { return "postgresql"; }

private:
    using Register::Register;
    Status createLoginRole(const UserInfo& user) override;
    std::string_view forUpdate() const override { return " FOR UPDATE"; }
};

}  // namespace lecert
