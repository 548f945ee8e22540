// SPDX-License-Identifier: MIT
#include "core/review/review.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "core/model/record.h"
#include "core/util/date.h"
#include "core/util/sha256.h"
#include "core/util/text.h"

namespace lecert {

namespace review {

namespace {

constexpr std::array<std::string_view, 6> kActions = {"created",  "edited",   "submitted",
                                                      "returned", "approved", "commented"};

const Json* member(const Json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

std::string stringMember(const Json& obj, std::string_view key) {
    const Json* v = member(obj, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

Error fieldError(std::string message, std::string field) {
    Error e;
    e.message = std::move(message);
    e.where.field = std::move(field);
    return e;
}

bool isFieldPath(std::string_view s) {
    const auto p = FieldPath::parse(s);
    return p && !p->empty();
}

std::string allowedList(ReviewStatus s) {
    std::string out;
    for (ReviewAction a : allowedActions(s)) {
        if (!out.empty()) out += ", ";
        out += toString(a);
    }
    return out;
}

Error refused(ReviewAction a, ReviewStatus s) {
    return fieldError("cannot " + std::string(toString(a)) + " a record whose review status is '" +
                          std::string(toString(s)) + "'; allowed: " + allowedList(s),
                      "review.status");
}

// Checks actor and timestamp and returns the normalised actor.
Result<std::string> checkActorAndTime(std::string_view actor, std::string_view at) {
    std::string a = text::normalize(actor);
    if (a.empty()) return fieldError("the person acting must be named (actor is empty)", "review");
    if (!isUtcTimestamp(at)) {
        return fieldError("timestamp is not ISO 8601 UTC of the form YYYY-MM-DDTHH:MM:SSZ",
                          "review");
    }
    return a;
}

// Shape check for the parts of `review` that the mutators read; a clear error, never a throw.
Status checkShape(const Json& record) {
    if (!record.is_object()) return fieldError("a record must be a JSON object", "");
    const Json* rv = member(record, "review");
    if (!rv) return Ok{};
    if (!rv->is_object())
        return fieldError("must be an object, found " + jsonTypeName(*rv), "review");
    if (const Json* st = member(*rv, "status")) {
        if (!st->is_string() || !statusFromString(st->get<std::string>())) {
            return fieldError("must be one of draft, submitted, returned, approved",
                              "review.status");
        }
    }
    if (const Json* cs = member(*rv, "comments")) {
        if (!cs->is_array())
            return fieldError("must be an array, found " + jsonTypeName(*cs), "review.comments");
        for (std::size_t i = 0; i < cs->size(); ++i) {
            if (!(*cs)[i].is_object()) {
                return fieldError("must be an object, found " + jsonTypeName((*cs)[i]),
                                  indexPath("review.comments", i));
            }
        }
    }
    if (const Json* ev = member(*rv, "events")) {
        if (!ev->is_array())
            return fieldError("must be an array, found " + jsonTypeName(*ev), "review.events");
        for (std::size_t i = 0; i < ev->size(); ++i) {
            const Json& e = (*ev)[i];
            if (!e.is_object()) {
                return fieldError("must be an object, found " + jsonTypeName(e),
                                  indexPath("review.events", i));
            }
            const Json* h = member(e, "hash");
            if (!h || !h->is_string()) {
                return fieldError("hash is missing or not a string",
                                  indexPath("review.events", i) + ".hash");
            }
        }
    }
    return Ok{};
}

// A copy of `review` with a `created` event when there is no history yet. Call checkShape first.
Json preparedReview(const Json& record, const std::string& actor, std::string_view at,
                    bool& created) {
    const Json* rv = member(record, "review");
    Json out = rv ? *rv : Json::object();
    created = false;
    if (!member(out, "status")) out["status"] = "draft";
    if (!member(out, "comments")) out["comments"] = Json::array();
    const Json* ev = member(out, "events");
    if (!ev || ev->empty()) {
        out["events"] = Json::array();
        Json e = Json::object();
        e["at"] = std::string(at);
        e["actor"] = actor;
        e["action"] = "created";
        e["note"] = "";
        e["snapshot_hash"] = contentHash(record);
        e["hash"] = eventHash(kGenesisHash, e);
        out["head"] = e["hash"];
        out["events"].push_back(std::move(e));
        created = true;
    }
    return out;
}

// Appends an event (hash computed here) and moves head.
void appendEvent(Json& rv, Json event) {
    Json& events = rv["events"];
    const std::string prev =
        events.empty() ? std::string(kGenesisHash) : events.back()["hash"].get<std::string>();
    event["hash"] = eventHash(prev, event);
    rv["head"] = event["hash"];
    events.push_back(std::move(event));
}

Json makeEvent(std::string_view at, const std::string& actor, std::string_view action,
               std::string note) {
    Json e = Json::object();
    e["at"] = std::string(at);
    e["actor"] = actor;
    e["action"] = std::string(action);
    e["note"] = std::move(note);
    return e;
}

ReviewStatus storedStatus(const Json& rv) {
    return statusFromString(stringMember(rv, "status")).value_or(ReviewStatus::Draft);
}

std::optional<Json> snapshotOfSubmitted(const Json& record, bool reviewedOnly) {
    const Json* rv = member(record, "review");
    const Json* ev = rv ? member(*rv, "events") : nullptr;
    if (!ev || !ev->is_array()) return std::nullopt;
    std::optional<Json> found;
    const Json* pending = nullptr;  // last submitted event not yet acted on
    for (const Json& e : *ev) {
        const std::string action = stringMember(e, "action");
        if (action == "submitted") {
            const Json* snap = member(e, "snapshot");
            pending = snap && snap->is_object() ? snap : nullptr;
            if (!reviewedOnly && pending) found = *pending;
        } else if (reviewedOnly && (action == "returned" || action == "approved") && pending) {
            found = *pending;
        }
    }
    return found;
}

}  // namespace

std::string_view toString(ReviewStatus s) {
    switch (s) {
        case ReviewStatus::Draft:
            return "draft";
        case ReviewStatus::Submitted:
            return "submitted";
        case ReviewStatus::Returned:
            return "returned";
        case ReviewStatus::Approved:
            return "approved";
    }
    return "draft";
}

std::string_view toString(ReviewAction a) {
    switch (a) {
        case ReviewAction::Submit:
            return "submit";
        case ReviewAction::Return:
            return "return";
        case ReviewAction::Approve:
            return "approve";
        case ReviewAction::Edit:
            return "edit";
    }
    return "edit";
}

std::optional<ReviewStatus> statusFromString(std::string_view s) {
    if (s == "draft") return ReviewStatus::Draft;
    if (s == "submitted") return ReviewStatus::Submitted;
    if (s == "returned") return ReviewStatus::Returned;
    if (s == "approved") return ReviewStatus::Approved;
    return std::nullopt;
}

ReviewStatus status(const Json& record) {
    const Json* rv = member(record, "review");
    return rv ? storedStatus(*rv) : ReviewStatus::Draft;
}

std::vector<ReviewAction> allowedActions(ReviewStatus s) {
    switch (s) {
        case ReviewStatus::Draft:
        case ReviewStatus::Returned:
            return {ReviewAction::Submit, ReviewAction::Edit};
        case ReviewStatus::Submitted:
            return {ReviewAction::Return, ReviewAction::Approve, ReviewAction::Edit};
        case ReviewStatus::Approved:
            return {ReviewAction::Edit};
    }
    return {ReviewAction::Edit};
}

bool isAllowed(ReviewStatus s, ReviewAction a) {
    const auto allowed = allowedActions(s);
    return std::find(allowed.begin(), allowed.end(), a) != allowed.end();
}

std::string canonicalHash(const Json& value) {
    return sha256Hex(dumpCanonical(value));
}

Json content(const Json& record) {
    Json c = record;
    if (c.is_object()) c.erase("review");
    return c;
}

std::string contentHash(const Json& record) {
    return canonicalHash(content(record));
}

std::string eventHash(std::string_view prevHash, const Json& event) {
    Json e = event;
    if (e.is_object()) e.erase("hash");
    std::string input(prevHash);
    input += dumpCanonical(e);
    return sha256Hex(input);
}

bool isUtcTimestamp(std::string_view s) {
    if (s.size() != 20 || s[10] != 'T' || s[19] != 'Z' || s[13] != ':' || s[16] != ':')
        return false;
    if (!Date::parseIso(s.substr(0, 10))) return false;
    auto two = [&](std::size_t pos, int max) {
        const char a = s[pos], b = s[pos + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9') return false;
        return (a - '0') * 10 + (b - '0') <= max;
    };
    return two(11, 23) && two(14, 59) && two(17, 60);  // 60: leap second
}

std::string nowUtcIso() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf.data(), n);
}

Status ensureCreated(Json& record, std::string_view actor, std::string_view at) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    if (created) record["review"] = std::move(rv);
    return Ok{};
}

Status submit(Json& record, std::string_view actor, std::string_view note, std::string_view at) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    const ReviewStatus s = storedStatus(rv);
    if (!isAllowed(s, ReviewAction::Submit)) return refused(ReviewAction::Submit, s);
    Json e = makeEvent(at, *who, "submitted", text::normalize(note));
    Json c = content(record);
    e["snapshot_hash"] = canonicalHash(c);
    e["snapshot"] = std::move(c);
    appendEvent(rv, std::move(e));
    rv["status"] = "submitted";
    record["review"] = std::move(rv);
    return Ok{};
}

Status returnToOfficer(Json& record, std::string_view actor, std::string_view note,
                       std::string_view at) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    const ReviewStatus s = status(record);
    if (!isAllowed(s, ReviewAction::Return)) return refused(ReviewAction::Return, s);
    std::string n = text::normalize(note);
    if (n.empty()) {
        return fieldError("returning a record needs a note saying what to change", "review.events");
    }
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    Json e = makeEvent(at, *who, "returned", std::move(n));
    e["snapshot_hash"] = contentHash(record);
    appendEvent(rv, std::move(e));
    rv["status"] = "returned";
    record["review"] = std::move(rv);
    return Ok{};
}

Status approve(Json& record, std::string_view actor, std::string_view note, std::string_view at,
               bool recordHasValidationErrors) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    const ReviewStatus s = status(record);
    if (!isAllowed(s, ReviewAction::Approve)) return refused(ReviewAction::Approve, s);
    // Separation of duties: whoever submitted the version under review cannot approve it.
    const Json* rvIn = member(record, "review");
    const Json* events = rvIn ? member(*rvIn, "events") : nullptr;
    if (events && events->is_array()) {
        for (auto it = events->rbegin(); it != events->rend(); ++it) {
            if (!it->is_object() || stringMember(*it, "action") != "submitted") continue;
            if (text::asciiLower(text::normalize(stringMember(*it, "actor"))) ==
                text::asciiLower(*who))
                return fieldError(
                    "cannot approve: the approver must be a different person from the officer "
                    "who submitted the record",
                    "review.status");
            break;
        }
    }
    if (recordHasValidationErrors) {
        return fieldError(
            "cannot approve a record that has validation errors; return it to the officer "
            "or fix the errors first",
            "review.status");
    }
    const VerifyResult chain = verifyChain(record);
    if (!chain.ok)
        return fieldError("cannot approve: the review history does not verify: " + chain.message,
                          "review.events");
    if (chain.contentChangedSinceLastEvent) {
        return fieldError(
            "cannot approve: the record was changed outside lecert since its last review event; "
            "record the edit and submit it again",
            "review.events");
    }
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    Json e = makeEvent(at, *who, "approved", text::normalize(note));
    e["snapshot_hash"] = contentHash(record);
    appendEvent(rv, std::move(e));
    rv["status"] = "approved";
    record["review"] = std::move(rv);
    return Ok{};
}

Result<bool> recordEdited(Json& record, std::string_view actor, std::string_view at,
                          const std::vector<std::string>& changedFieldPaths) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    // The paths are labels for the history (changedFields() output, which may name unknown keys
    // that FieldPath does not parse); they are stored as given.
    const std::string hash = contentHash(record);
    const Json* rv0 = member(record, "review");
    const Json* ev0 = rv0 ? member(*rv0, "events") : nullptr;
    if (ev0 && !ev0->empty() && stringMember(ev0->back(), "snapshot_hash") == hash) return false;
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    if (created) {
        // The `created` event already holds this content.
        record["review"] = std::move(rv);
        return true;
    }
    Json e = makeEvent(at, *who, "edited", "");
    if (!changedFieldPaths.empty()) e["fields"] = changedFieldPaths;
    e["snapshot_hash"] = hash;
    appendEvent(rv, std::move(e));
    if (storedStatus(rv) == ReviewStatus::Approved) rv["status"] = "draft";
    record["review"] = std::move(rv);
    return true;
}

Result<std::string> addComment(Json& record, std::string_view field, std::string_view author,
                               std::string_view text, std::string_view at) {
    auto who = checkActorAndTime(author, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    const std::string f = text::trim(field);
    if (!isFieldPath(f)) {
        return fieldError(
            "a comment must be anchored to a field path such as victim.family_name or "
            "crime.dates[2]",
            "review.comments");
    }
    std::string t = text::normalize(text);
    if (t.empty()) return fieldError("comment text is empty", f);
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    // Ids are never reused, even if a comment entry was removed by hand.
    unsigned long maxId = 0;
    auto consider = [&](const std::string& id) {
        if (id.size() < 2 || id[0] != 'c' || id.size() > 10) return;
        if (!std::all_of(id.begin() + 1, id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            return;
        maxId = std::max(maxId, std::stoul(id.substr(1)));
    };
    for (const Json& c : rv["comments"]) consider(stringMember(c, "id"));
    for (const Json& e : rv["events"]) {
        if (const Json* c = member(e, "comment")) consider(stringMember(*c, "id"));
    }
    const std::string id = "c" + std::to_string(maxId + 1);

    Json comment = Json::object();
    comment["id"] = id;
    comment["field"] = f;
    comment["author"] = *who;
    comment["at"] = std::string(at);
    comment["text"] = t;
    comment["resolved"] = false;

    Json e = makeEvent(at, *who, "commented", "");
    e["comment"] = Json{{"id", id}, {"field", f}, {"text", t}};
    e["snapshot_hash"] = contentHash(record);
    appendEvent(rv, std::move(e));
    rv["comments"].push_back(std::move(comment));
    record["review"] = std::move(rv);
    return id;
}

Status resolveComment(Json& record, std::string_view id, std::string_view actor,
                      std::string_view at) {
    auto who = checkActorAndTime(actor, at);
    if (!who) return who.error();
    if (auto shape = checkShape(record); !shape) return shape.error();
    const Json* rv0 = member(record, "review");
    const Json* cs0 = rv0 ? member(*rv0, "comments") : nullptr;
    std::optional<std::size_t> index;
    if (cs0) {
        for (std::size_t i = 0; i < cs0->size(); ++i) {
            if (stringMember((*cs0)[i], "id") == id) index = i;
        }
    }
    if (!index)
        return fieldError("there is no comment with id '" + std::string(id) + "'",
                          "review.comments");
    const std::string path = indexPath("review.comments", *index);
    const Json* resolved = member((*cs0)[*index], "resolved");
    if (resolved && resolved->is_boolean() && resolved->get<bool>()) {
        return fieldError("comment '" + std::string(id) + "' is already resolved", path);
    }
    bool created = false;
    Json rv = preparedReview(record, *who, at, created);
    Json& c = rv["comments"][*index];
    c["resolved"] = true;
    c["resolved_by"] = *who;
    c["resolved_at"] = std::string(at);
    Json e = makeEvent(at, *who, "commented", "");
    e["comment"] = Json{{"id", std::string(id)}, {"resolved", true}};
    e["snapshot_hash"] = contentHash(record);
    appendEvent(rv, std::move(e));
    record["review"] = std::move(rv);
    return Ok{};
}

std::vector<Comment> comments(const Json& record, bool openOnly) {
    std::vector<Comment> out;
    const Json* rv = member(record, "review");
    const Json* cs = rv ? member(*rv, "comments") : nullptr;
    if (!cs || !cs->is_array()) return out;
    for (const Json& c : *cs) {
        if (!c.is_object()) continue;
        Comment x;
        x.id = stringMember(c, "id");
        x.field = stringMember(c, "field");
        x.author = stringMember(c, "author");
        x.at = stringMember(c, "at");
        x.text = stringMember(c, "text");
        const Json* r = member(c, "resolved");
        x.resolved = r && r->is_boolean() && r->get<bool>();
        x.resolvedBy = stringMember(c, "resolved_by");
        x.resolvedAt = stringMember(c, "resolved_at");
        if (openOnly && x.resolved) continue;
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Event> events(const Json& record) {
    std::vector<Event> out;
    const Json* rv = member(record, "review");
    const Json* ev = rv ? member(*rv, "events") : nullptr;
    if (!ev || !ev->is_array()) return out;
    for (const Json& e : *ev) {
        Event x;
        x.at = stringMember(e, "at");
        x.actor = stringMember(e, "actor");
        x.action = stringMember(e, "action");
        x.note = stringMember(e, "note");
        x.hash = stringMember(e, "hash");
        if (const Json* f = member(e, "fields"); f && f->is_array()) {
            for (const Json& p : *f) {
                if (p.is_string()) x.fields.push_back(p.get<std::string>());
            }
        }
        if (const Json* c = member(e, "comment")) {
            x.commentId = stringMember(*c, "id");
            x.commentField = stringMember(*c, "field");
            const Json* res = member(*c, "resolved");
            x.commentResolved = res && res->is_boolean() && res->get<bool>();
        }
        out.push_back(std::move(x));
    }
    return out;
}

namespace {

// The comments as the history's 'commented' events describe them, by comment id.
struct LoggedComment {
    std::string field, text, author, at;
    bool resolved = false;
    std::string resolvedBy, resolvedAt;
};
using CommentLog = std::map<std::string, LoggedComment>;

// Applies one 'commented' event (a new comment, or one resolved) to `log`; what is wrong with
// the event otherwise.
std::optional<std::string> replayComment(const Json& e, CommentLog& log) {
    const Json* c = member(e, "comment");
    const std::string id = c ? stringMember(*c, "id") : std::string();
    if (id.empty()) return "'commented' without a comment id";
    const Json* res = member(*c, "resolved");
    if (res && res->is_boolean() && res->get<bool>()) {
        auto it = log.find(id);
        if (it == log.end()) return "resolves comment " + id + ", which was never added";
        if (it->second.resolved) return "resolves comment " + id + " a second time";
        it->second.resolved = true;
        it->second.resolvedBy = stringMember(e, "actor");
        it->second.resolvedAt = stringMember(e, "at");
        return std::nullopt;
    }
    if (log.count(id)) return "adds comment " + id + " a second time";
    LoggedComment& added = log[id];
    added.field = stringMember(*c, "field");
    added.text = stringMember(*c, "text");
    added.author = stringMember(e, "actor");
    added.at = stringMember(e, "at");
    return std::nullopt;
}

// review.comments must be exactly the comments the history describes.
std::optional<std::string> commentsMatchHistory(const Json& rv, const CommentLog& log) {
    std::set<std::string> seen;
    if (const Json* cs = member(rv, "comments")) {
        for (std::size_t i = 0; i < cs->size(); ++i) {
            const Json& c = (*cs)[i];
            const std::string id = stringMember(c, "id");
            const std::string where = indexPath("review.comments", i);
            auto it = log.find(id);
            if (it == log.end()) return where + " has no 'commented' event (added outside lecert?)";
            if (!seen.insert(id).second) return where + " repeats comment id " + id;
            const LoggedComment& a = it->second;
            const Json* res = member(c, "resolved");
            const bool resolved = res && res->is_boolean() && res->get<bool>();
            if (stringMember(c, "field") != a.field || stringMember(c, "text") != a.text ||
                stringMember(c, "author") != a.author || stringMember(c, "at") != a.at ||
                resolved != a.resolved ||
                (a.resolved && (stringMember(c, "resolved_by") != a.resolvedBy ||
                                stringMember(c, "resolved_at") != a.resolvedAt))) {
                return where + " (comment " + id +
                       ") differs from its history (changed outside lecert?)";
            }
        }
    }
    if (seen.size() != log.size())
        return std::string("a comment recorded in the history is missing from review.comments");
    return std::nullopt;
}

// Replays one event on top of those before it (`prev` is their last hash, `s` the status they
// lead to, `added` the comments they made): why it breaks the chain, if it does.
std::optional<std::string> replayEvent(const Json& e, bool first, std::string& prev,
                                       ReviewStatus& s, CommentLog& added) {
    const std::string stored = stringMember(e, "hash");
    if (eventHash(prev, e) != stored) {
        return std::string(
            "its hash does not match its content and the previous event's hash "
            "(edited, reordered, inserted or deleted)");
    }
    prev = stored;
    const std::string action = stringMember(e, "action");
    if (std::find(kActions.begin(), kActions.end(), action) == kActions.end()) {
        return std::string(
            "unknown action (expected one of created, edited, submitted, returned, "
            "approved, commented)");
    }
    if (first != (action == "created")) {
        return std::string(first ? "the history does not start with 'created'"
                                 : "'created' appears after the start of the history");
    }
    if (!isUtcTimestamp(stringMember(e, "at")))
        return std::string("'at' is not an ISO 8601 UTC timestamp");
    if (text::trim(stringMember(e, "actor")).empty()) return std::string("'actor' is empty");
    auto step = [&](ReviewAction a, ReviewStatus to) -> bool {
        if (!isAllowed(s, a)) return false;
        s = to;
        return true;
    };
    bool allowed = true;
    if (action == "edited") {
        if (s == ReviewStatus::Approved) s = ReviewStatus::Draft;
    } else if (action == "submitted") {
        allowed = step(ReviewAction::Submit, ReviewStatus::Submitted);
    } else if (action == "returned") {
        allowed = step(ReviewAction::Return, ReviewStatus::Returned);
        if (allowed && text::trim(stringMember(e, "note")).empty())
            return std::string("'returned' without a note");
    } else if (action == "approved") {
        allowed = step(ReviewAction::Approve, ReviewStatus::Approved);
    } else if (action == "commented") {
        if (auto problem = replayComment(e, added)) return problem;
    }
    if (!allowed)
        return "'" + action + "' is not allowed after status '" + std::string(toString(s)) + "'";
    return std::nullopt;
}

struct ChainBreak {
    long index = -1;
    std::string message;
};

// The review's head and status against where its `events` lead (`last` the last event's
// hash, `s` the status): a break when they disagree.
std::optional<ChainBreak> checkHeadAndStatus(const Json& rv, const Json& events,
                                             const std::string& last, ReviewStatus s) {
    const long n = static_cast<long>(events.size());
    if (!events.empty()) {
        const Json* head = member(rv, "head");
        if (!head || !head->is_string())
            return ChainBreak{n, "review.head is missing, so deleted events cannot be ruled out"};
        if (head->get<std::string>() != last)
            return ChainBreak{
                n, "review.head does not name the last event (events deleted from the end?)"};
    }
    if (const Json* st = member(rv, "status"); st && storedStatus(rv) != s) {
        return ChainBreak{-1, "review.status is '" + st->get<std::string>() +
                                  "' but the history leads to '" + std::string(toString(s)) + "'"};
    } else if (!st && s != ReviewStatus::Draft) {
        return ChainBreak{-1, "review.status is missing but the history leads to '" +
                                  std::string(toString(s)) + "'"};
    }
    return std::nullopt;
}

}  // namespace

VerifyResult verifyChain(const Json& record) {
    VerifyResult r;
    auto fail = [&r](long index, std::string msg) {
        r.ok = false;
        r.firstBrokenIndex = index;
        r.message = std::move(msg);
        return r;
    };
    if (!record.is_object()) {
        r.malformed = true;
        return fail(-1, "the record is not a JSON object");
    }
    const Json* rv = member(record, "review");
    if (!rv) return r;
    if (auto shape = checkShape(record); !shape) {
        r.malformed = true;
        return fail(-1, shape.error().where.field + ": " + shape.error().message);
    }
    static const Json kEmpty = Json::array();
    const Json* evp = member(*rv, "events");
    const Json& ev = evp ? *evp : kEmpty;
    r.eventCount = ev.size();

    // Replays the history: hashes, transitions, and the comments the events describe.
    std::string prev(kGenesisHash);
    ReviewStatus s = ReviewStatus::Draft;
    CommentLog added;
    for (std::size_t i = 0; i < ev.size(); ++i) {
        if (auto problem = replayEvent(ev[i], i == 0, prev, s, added))
            return fail(static_cast<long>(i), std::move(*problem));
    }
    if (auto broken = checkHeadAndStatus(*rv, ev, prev, s))
        return fail(broken->index, std::move(broken->message));
    if (auto problem = commentsMatchHistory(*rv, added)) return fail(-1, std::move(*problem));

    if (!ev.empty()) {
        const Json* sh = member(ev.back(), "snapshot_hash");
        r.contentChangedSinceLastEvent =
            sh && sh->is_string() && sh->get<std::string>() != contentHash(record);
    }
    return r;
}

std::optional<Json> lastReviewedSnapshot(const Json& record) {
    return snapshotOfSubmitted(record, true);
}
std::optional<Json> lastSubmittedSnapshot(const Json& record) {
    return snapshotOfSubmitted(record, false);
}

std::vector<std::string> changesSinceLastReview(const Json& record) {
    auto snap = lastReviewedSnapshot(record);
    if (!snap) return {};
    return changedFields(*snap, content(record));
}

Summary summarize(const Json& record) {
    Summary s;
    s.status = status(record);
    s.openComments = comments(record, true).size();
    s.chain = verifyChain(record);
    if (s.status == ReviewStatus::Approved && s.chain.ok && !s.chain.contentChangedSinceLastEvent) {
        const Json* rv = member(record, "review");
        const Json* evp = rv ? member(*rv, "events") : nullptr;
        static const Json kNone = Json::array();
        const Json& ev = evp ? *evp : kNone;
        // The approval is the last `approved` event; only comments may follow it.
        for (auto it = ev.rbegin(); it != ev.rend(); ++it) {
            if (stringMember(*it, "action") != "approved") continue;
            if (stringMember(*it, "snapshot_hash") == contentHash(record)) {
                s.approvalCurrent = true;
                s.approvedBy = stringMember(*it, "actor");
                s.approvedAt = stringMember(*it, "at");
            }
            break;
        }
    }
    return s;
}

}  // namespace review

std::string reviewStatusLine(const Json& record) {
    const review::Summary s = review::summarize(record);
    if (!s.approvalCurrent) return "DRAFT";
    const auto d = Date::parseIso(std::string_view(s.approvedAt).substr(0, 10));
    return "Approved by " + s.approvedBy + " on " + (d ? d->us() : s.approvedAt.substr(0, 10));
}

}  // namespace lecert
