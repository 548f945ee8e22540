// SPDX-License-Identifier: MIT
#pragma once
// Supervisor review of a record: status workflow, field-anchored comments and a hash-chained,
// append-only history stored under the record's `review` key (record format v1).
//
// Stored shape (keys marked * are optional additions to the record format):
//   review.status    "draft" | "submitted" | "returned" | "approved"   (absent = "draft")
//   review.comments  [{id, field, author, at, text, resolved, resolved_by*, resolved_at*}]
//   review.events    [{at, actor, action, note, snapshot_hash*, snapshot*, fields*, comment*,
//                      hash}]
//   review.head*     hash of the last event, so that deleting events at the end is detected
//
// Hash chain (the canonical form):
//   content(record)   = the record without its top-level "review" key
//   snapshot_hash     = sha256Hex(dumpCanonical(content(record))) at the time of the event
//   hash[i]           = sha256Hex(prev + dumpCanonical(events[i] without its "hash" key))
//                       where prev = hash[i-1], and 64 '0' characters for i = 0.
//   dumpCanonical is json_io.h's: keys sorted (byte order), no white space, UTF-8 as is.
// Every other key of an event (including unknown ones) is covered by its hash.
//
// Actions: created, edited, submitted, returned, approved, commented (adding and resolving a
// comment are both `commented` events; `comment` = {id, field, text} or {id, resolved: true}).
// `submitted` events also carry `snapshot`: the record content at submission, so that the
// reviewer can see what changed since the version they returned.
//
// What the hashes do and do not prove: they make any edit, reordering, insertion or deletion
// of events detectable unless the whole chain is recomputed; they are not signatures. A
// consistent rewrite is still caught when it breaks the rules (transition table, status,
// comments), see verifyChain().
//
// Typical use (desktop): after loading, summarize(); on every save,
// recordEdited(record, user, nowUtcIso(), changedFields(loaded, record)); the
// review buttons call submit / returnToOfficer / approve with the validator's verdict.
//
// Timestamps are ISO 8601 UTC, exactly "YYYY-MM-DDTHH:MM:SSZ" (nowUtcIso() gives one); they
// are passed in so that tests are deterministic.
//
// No function here throws. Mutating functions either apply the whole change or leave the
// record untouched and return an Error whose message names the current status, the allowed
// actions and, where it applies, the field path (messages never quote field values).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

// "Approved by <actor> on MM/DD/YYYY" when the record's approval is current (status approved,
// history intact, content unchanged since the approval), else "DRAFT". For the cover summary.
std::string reviewStatusLine(const Json& record);

enum class ReviewStatus { Draft, Submitted, Returned, Approved };

// What a user can do to a record; the transition table is:
//   draft     --Submit-->  submitted        returned --Submit--> submitted
//   submitted --Return-->  returned (note required)
//   submitted --Approve--> approved (refused when the record has validation errors)
//   approved  --Edit-->    draft            draft/submitted/returned --Edit--> unchanged
// (an edit while submitted keeps the submission; lastSubmittedSnapshot() shows what changed).
// Commenting is allowed in every status and never changes it.
enum class ReviewAction { Submit, Return, Approve, Edit };

namespace review {

std::string_view toString(ReviewStatus s);  // "draft", "submitted", "returned", "approved"
std::string_view toString(ReviewAction a);  // "submit", "return", "approve", "edit"
std::optional<ReviewStatus> statusFromString(std::string_view s);

// The status stored in the record ("draft" when there is no review or no status). A status
// string that is not one of the four also reads as Draft; verifyChain() reports it.
ReviewStatus status(const Json& record);
// Actions allowed from `s` (Edit is always allowed). For enabling buttons.
std::vector<ReviewAction> allowedActions(ReviewStatus s);
bool isAllowed(ReviewStatus s, ReviewAction a);

// Lowercase hex SHA-256 of the canonical JSON of `value` (keys sorted, compact).
std::string canonicalHash(const Json& value);
// The record without its top-level `review` key (a copy); what snapshots and diffs cover.
Json content(const Json& record);
// canonicalHash(content(record)).
std::string contentHash(const Json& record);
// hash of an event given the previous event's hash (see the header comment).
std::string eventHash(std::string_view prevHash, const Json& event);
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// True when `s` is "YYYY-MM-DDTHH:MM:SSZ" with a real date and time.
bool isUtcTimestamp(std::string_view s);
// The current time in that form.
std::string nowUtcIso();

// Adds `review` with status draft and a `created` event when the record has no history yet;
// does nothing when it has one. The other mutators call it first, so a record that arrives
// without history (an import) gets its `created` event from whoever acts on it first.
Status ensureCreated(Json& record, std::string_view actor, std::string_view at);

// draft|returned -> submitted. Stores a snapshot of the content on the event.
Status submit(Json& record, std::string_view actor, std::string_view note, std::string_view at);

// submitted -> returned. `note` (what to fix) is required.
Status returnToOfficer(Json& record, std::string_view actor, std::string_view note,
                       std::string_view at);

// submitted -> approved. Refused when `actor` submitted it (separation of duties: the names are
// compared without case), when `recordHasValidationErrors` (the caller passes the
// validator's verdict), when the history does not verify, or when the content differs from the
// last event's snapshot_hash (changed outside lecert: record it with recordEdited() first).
Status approve(Json& record, std::string_view actor, std::string_view note, std::string_view at,
               bool recordHasValidationErrors);

// Call after the content was changed and before saving. Appends `edited` (with the changed
// field paths in `fields` when given, e.g. changedFields(loaded, record)) unless the content
// hash equals the last event's; an approved record goes back to draft, other statuses stay.
// A record without history gets only its `created` event. Returns whether an event was added.
Result<bool> recordEdited(Json& record, std::string_view actor, std::string_view at,
                          const std::vector<std::string>& changedFieldPaths = {});

// Adds an open comment anchored to `field` (a field path such as "crime.dates[2]"; it need not
// exist in the record yet) and returns its id ("c1", "c2", ...). Text is required.
Result<std::string> addComment(Json& record, std::string_view field, std::string_view author,
                               std::string_view text, std::string_view at);

// Marks comment `id` resolved. Error when there is no such comment or it is already resolved.
Status resolveComment(Json& record, std::string_view id, std::string_view actor,
                      std::string_view at);

struct Comment {
    std::string id;
    std::string field;
    std::string author;
    std::string at;
    std::string text;
    bool resolved = false;
    std::string resolvedBy;  // empty when open
    std::string resolvedAt;
};
// The record's comments in stored order (entries that are not objects are skipped).
std::vector<Comment> comments(const Json& record, bool openOnly = false);

struct Event {
    std::string at;
    std::string actor;
    std::string action;
    std::string note;
    std::string hash;
    std::vector<std::string> fields;  // `edited`: the changed field paths, when recorded
    std::string commentId;            // `commented`: the comment added or resolved
    std::string commentField;         // `commented` (added): its field path
    bool commentResolved = false;     // `commented`: true when the event resolves the comment
};
// The record's events in stored order (non-string members read as "").
std::vector<Event> events(const Json& record);

// Result of verifyChain(). When !ok, firstBrokenIndex is the 0-based index of the first event
// that does not verify (or -1 when the problem is not tied to one event, e.g. a status that
// the history does not support) and message says what is wrong.
struct VerifyResult {
    bool ok = true;
    bool malformed = false;  // `review` has the wrong shape (e.g. events is not an array)
    long firstBrokenIndex = -1;
    std::size_t eventCount = 0;
    std::string message;
    // The content differs from the last event's snapshot_hash (edited outside lecert since).
    // Informational: not a broken chain.
    bool contentChangedSinceLastEvent = false;
};

// Recomputes every hash and checks: each event's stored hash, review.head against the last
// hash (catches deleted trailing events), that each event is a transition the table allows,
// that review.status is what the history leads to, and that every comment matches the
// `commented` events. Reports the first problem. A record without `review` is ok (0 events).
VerifyResult verifyChain(const Json& record);

// The content snapshot of the last `submitted` event that a reviewer acted on (followed by a
// `returned` or `approved` event), i.e. the version the reviewer last saw; nullopt if none.
std::optional<Json> lastReviewedSnapshot(const Json& record);
// The content snapshot of the last `submitted` event; nullopt if none.
std::optional<Json> lastSubmittedSnapshot(const Json& record);
// changedFields(lastReviewedSnapshot, content(record)); empty when there is no such snapshot.
std::vector<std::string> changesSinceLastReview(const Json& record);

// Leaf field paths whose values differ between two records (record path syntax:
// "victim.family_name", "crime.dates[2]", "family.members[0].relationship"), ignoring the
// top-level `review` key. Keys present on one side only yield every leaf under them (or the
// key itself for a scalar or an empty container); a value whose type changed yields its own
// path. Arrays compare by position. Order: as in `after`, then paths only in `before`.
std::vector<std::string> changedFields(const Json& before, const Json& after);

// Everything the desktop and the cover need at a glance.
struct Summary {
    ReviewStatus status = ReviewStatus::Draft;
    std::size_t openComments = 0;
    VerifyResult chain;
    bool approvalCurrent = false;  // approved, chain ok, content unchanged since approval
    std::string approvedBy;        // set when approvalCurrent
    std::string approvedAt;        // ISO timestamp, set when approvalCurrent
};
Summary summarize(const Json& record);

}  // namespace review
}  // namespace lecert
