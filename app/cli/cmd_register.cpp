// SPDX-License-Identifier: MIT
// `lecert register init|user|intake|import|export|list|submit|return|approve|outcome|report|
// checkout|offline|sync|status`:
// a thin shell over core/register/register.h. Exit codes (docs/cli.md): 0 done; 1 the register
// refused (a role rule, a version conflict, a workflow rule) or a record is invalid; 2 usage,
// unreadable input, a register that cannot be opened, or an output that could not be written.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/jobs/record_reader.h"
#include "core/register/local_copy.h"
#include "core/register/register.h"
#include "core/register/report_pdf.h"
#include "core/util/json_io.h"

using namespace lecert;

namespace {

struct Common {
    std::string location;  // --register, else LECERT_REGISTER
    std::string user;      // --user, else LECERT_USER; core defaults to the OS account
    std::string today;     // --today
    std::string local;     // --local: the offline copy
};

// The name the caller gives (SQLite trusted-desk registers only; an os-account register
// refuses a name other than the OS account's).
std::string namedUser(const Common& c) {
    if (!c.user.empty()) return c.user;
    if (const char* u = std::getenv("LECERT_USER"); u && *u) return u;
    return "";
}

// 1 for a refusal by the register's rules, 2 for everything else (see the file comment).
int report(const std::string& what, const Error& e) {
    std::cerr << "lecert register " << what << ": " << e.toString() << "\n";
    return isVersionConflict(e) || isPermissionDenied(e) || e.where.field == "review.status" ||
                   e.where.field == "outcome" || e.where.field == "decline_reason" ||
                   e.where.field == "record"
               ? 1
               : 2;
}

std::unique_ptr<Register> openRegister(const Common& c, const std::string& what, bool create,
                                       int& exitCode) {
    std::string location = c.location;
    if (location.empty())
        if (const char* env = std::getenv("LECERT_REGISTER")) location = env;
    auto r = Register::open(location, RegisterOptions{namedUser(c)}, create);
    if (!r) {
        exitCode = report(what, r.error());
        return nullptr;
    }
    return std::move(*r);
}

bool todayOf(const Common& c, Date& out, int& exitCode) {
    if (c.today.empty()) {
        out = Date::today();
        return true;
    }
    auto d = Date::parseIso(c.today);
    if (!d) {
        std::cerr << "lecert register: --today: expected YYYY-MM-DD\n";
        exitCode = 2;
        return false;
    }
    out = *d;
    return true;
}

void printSummaries(const std::vector<RequestSummary>& list, bool json) {
    if (!json)
        std::cout
            << "id\treceived\tform\tcase\tstatus\toutcome\tdeadline\tdays_left\towner\tunit\n";
    for (const auto& s : list) {
        if (json) {
            Json j = {{"id", s.id},
                      {"received", s.received.iso()},
                      {"requester_kind", s.requesterKind},
                      {"form", s.form},
                      {"case_number", s.caseNumber},
                      {"removal_proceedings", s.removalProceedings},
                      {"status", s.status},
                      {"version", s.version},
                      {"owner", s.owner},
                      {"unit", s.unit},
                      {"outcome", s.outcome},
                      {"deadline", s.deadline.iso()},
                      {"deadline_rule", s.deadlineRule},
                      {"days_left", s.daysLeft}};
            std::cout << j.dump() << "\n";
            continue;
        }
        std::cout << s.id << "\t" << s.received.iso() << "\t" << s.form << "\t" << s.caseNumber
                  << "\t" << s.status << "\t" << s.outcome << "\t" << s.deadline.iso() << "\t"
                  << s.daysLeft << "\t" << s.owner << "\t" << s.unit << "\n";
    }
}

void addInit(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto init = std::make_shared<RegisterInit>();
    auto admin = std::make_shared<std::string>();
    auto sharedDrafts = std::make_shared<bool>(false);
    auto* cmd = reg.add_subcommand(
        "init", "Create the register (SQLite file) or its schema (PostgreSQL), or migrate it");
    cmd->add_option("--jurisdiction", init->jurisdiction,
                    "Deadline rule from rules/deadlines.json, e.g. US-CA");
    cmd->add_option("--target-days", init->targetDays, "Agency target without a state rule (90)");
    cmd->add_option("--removal-target-days", init->removalTargetDays,
                    "Agency target when the victim is in removal proceedings (14)");
    cmd->add_option("--expiring-days", init->expiringWithinDays,
                    "The expiring queue's window (14)");
    cmd->add_flag("--units-share-drafts", *sharedDrafts,
                  "Officers may read other units' drafts (default: their unit's only)");
    cmd->add_option("--admin", *admin,
                    "SQLite: the first supervisor, added when the register has no users");
    auto identity = std::make_shared<std::string>();
    cmd->add_option("--identity", *identity,
                    "SQLite: os-account (the acting user is the OS account; default for a new "
                    "register) or trusted-desk (one trusted desk names its user with --user)");
    cmd->callback([c, init, admin, sharedDrafts, identity, &exitCode] {
        init->draftsPrivateToUnit = !*sharedDrafts;
        if (*identity == "os-account") {
            init->identity = RegisterIdentity::OsAccount;
        } else if (*identity == "trusted-desk") {
            init->identity = RegisterIdentity::TrustedDesk;
        } else if (!identity->empty()) {
            std::cerr << "lecert register init: --identity: expected os-account or trusted-desk\n";
            exitCode = 2;
            return;
        }
        Common who = *c;
        if (!admin->empty()) who.user = *admin;
        auto r = openRegister(who, "init", true, exitCode);
        if (!r) return;
        if (Status s = r->init(*init); !s) {
            exitCode = report("init", s.error());
            return;
        }
        if (r->backend() == "sqlite" && !admin->empty()) {
            auto users = r->users();
            if (users && users->empty()) {
                if (Status s = r->addUser({*admin, RegisterRole::Supervisor, ""}); !s) {
                    exitCode = report("init", s.error());
                    return;
                }
            }
        }
        std::cout << "register ready (" << r->backend() << ", schema version "
                  << r->schemaVersion().value() << ")\n";
    });
}

void addUserCmd(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto info = std::make_shared<UserInfo>();
    auto role = std::make_shared<std::string>();
    auto* cmd = reg.add_subcommand("user", "Add a user or change their role and unit");
    cmd->add_option("NAME", info->name, "login name")->required();
    cmd->add_option("--role", *role, "officer, supervisor, clerk or auditor")->required();
    cmd->add_option("--unit", info->unit, "unit (drafts are private to a unit)");
    cmd->callback([c, info, role, &exitCode] {
        auto rr = roleFromString(*role);
        if (!rr) {
            std::cerr << "lecert register user: --role: expected officer, supervisor, clerk or "
                         "auditor\n";
            exitCode = 2;
            return;
        }
        info->role = *rr;
        auto r = openRegister(*c, "user", false, exitCode);
        if (!r) return;
        if (Status s = r->addUser(*info); !s) exitCode = report("user", s.error());
    });
}

struct IntakeOptions {
    std::string received, requester = "victim", requesterName, contact, form, caseNumber, owner;
    bool removal = false;
};

void intakeOptions(CLI::App* cmd, IntakeOptions& o, bool forImport) {
    cmd->add_option("--received", o.received, "Day the request was received (default: today)");
    cmd->add_option("--requester", o.requester, "victim, attorney or advocate (victim)");
    cmd->add_option("--requester-name", o.requesterName, "Who sent the request");
    cmd->add_option("--contact", o.contact, "Requester's contact");
    cmd->add_flag("--removal", o.removal, "The victim is in removal proceedings");
    cmd->add_option("--owner", o.owner, "The officer who prepares it (default: you)");
    if (!forImport) {
        cmd->add_option("--form", o.form, "i918b or i914b (i918b)");
        cmd->add_option("--case-number", o.caseNumber, "Agency case number");
    }
}

bool makeIntake(const IntakeOptions& o, const Date& today, RequestIntake& in) {
    auto kind = requesterKindFromString(o.requester);
    if (!kind) {
        std::cerr << "lecert register: --requester: expected victim, attorney or advocate\n";
        return false;
    }
    in.requesterKind = *kind;
    in.received = today;
    if (!o.received.empty()) {
        auto d = Date::parseIso(o.received);
        if (!d) {
            std::cerr << "lecert register: --received: expected YYYY-MM-DD\n";
            return false;
        }
        in.received = *d;
    }
    in.requesterName = o.requesterName;
    in.contact = o.contact;
    in.form = o.form.empty() ? "i918b" : o.form;
    in.caseNumber = o.caseNumber;
    in.removalProceedings = o.removal;
    in.owner = o.owner;
    return true;
}

void addIntake(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto o = std::make_shared<IntakeOptions>();
    auto* cmd = reg.add_subcommand("intake", "Record a certification request; prints its id");
    intakeOptions(cmd, *o, false);
    cmd->callback([c, o, &exitCode] {
        Date today;
        RequestIntake in;
        if (!todayOf(*c, today, exitCode)) return;
        if (!makeIntake(*o, today, in)) {
            exitCode = 2;
            return;
        }
        auto r = openRegister(*c, "intake", false, exitCode);
        if (!r) return;
        auto id = r->intake(in);
        if (!id) {
            exitCode = report("intake", id.error());
            return;
        }
        std::cout << *id << "\n";
    });
}

// Each record becomes a request (form and case number from the record) with its first
// version, or, with --request, the next version of that request (--expect-version).
void addImport(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto o = std::make_shared<IntakeOptions>();
    auto files = std::make_shared<std::vector<std::string>>();
    auto request = std::make_shared<std::int64_t>(0);
    auto expect = std::make_shared<int>(-1);
    auto* cmd = reg.add_subcommand("import", "Add record files to the register");
    intakeOptions(cmd, *o, true);
    cmd->add_option("--request", *request, "Save as a new version of this request (one record)");
    cmd->add_option("--expect-version", *expect,
                    "With --request: the version the record was edited from (conflict if not "
                    "the latest)");
    cmd->add_option("FILE", *files, "record files (.json object or array, .jsonl, folders)")
        ->required();
    cmd->callback([c, o, files, request, expect, &exitCode] {
        Date today;
        if (!todayOf(*c, today, exitCode)) return;
        auto r = openRegister(*c, "import", false, exitCode);
        if (!r) return;
        RecordReader reader(*files);
        RecordItem item;
        while (reader.next(item)) {
            if (item.error || !item.record) {
                std::cerr << (item.error ? item.error->toString() : item.label() + ": unreadable")
                          << "\n";
                exitCode = 2;
                continue;
            }
            const Json& rec = item.record->json();
            std::int64_t id = *request;
            int base = *expect < 0 ? 0 : *expect;
            if (id == 0) {
                RequestIntake in;
                IntakeOptions fromRecord = *o;
                fromRecord.form = rec.value("form", "");
                if (!makeIntake(fromRecord, today, in)) {
                    exitCode = 2;
                    return;
                }
                if (const Json* cn = jsonAt(rec, "agency.case_number"); cn && cn->is_string())
                    in.caseNumber = cn->get<std::string>();
                auto made = r->intake(in);
                if (!made) {
                    exitCode = std::max(exitCode, report("import", made.error()));
                    continue;
                }
                id = *made;
                base = 0;
            }
            auto v = r->saveRecord(id, rec, base);
            if (!v) {
                std::cerr << item.label() << ": ";
                exitCode = std::max(exitCode, report("import", v.error()));
                continue;
            }
            std::cout << item.label() << ": request " << id << " version " << *v << "\n";
        }
    });
}

void addExport(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto id = std::make_shared<std::int64_t>(0);
    auto version = std::make_shared<int>(0);
    auto out = std::make_shared<std::string>();
    auto* cmd = reg.add_subcommand("export", "Write a request's record (latest version) to a file");
    cmd->add_option("ID", *id, "request id")->required();
    cmd->add_option("--version", *version, "an older version");
    cmd->add_option("-o,--output", *out, "record file to write")->required();
    cmd->callback([c, id, version, out, &exitCode] {
        auto r = openRegister(*c, "export", false, exitCode);
        if (!r) return;
        auto rec = r->record(*id, *version > 0 ? std::optional<int>(*version) : std::nullopt);
        if (!rec) {
            exitCode = report("export", rec.error());
            return;
        }
        if (Status s = writeFileAtomic(*out, dumpPretty(rec->record), 0600); !s) {
            exitCode = report("export", s.error());
            return;
        }
        std::cerr << "request " << *id << " version " << rec->version << " written to " << *out
                  << "\n";
    });
}

void addList(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto queue = std::make_shared<std::string>("all");
    auto search = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto limit = std::make_shared<std::size_t>(500);
    auto* cmd = reg.add_subcommand("list", "List a queue, or search; days left on every line");
    cmd->add_option("--queue", *queue, "Queue: " + queueNames());
    cmd->add_option("--search", *search, "Victim name, case number or requester");
    cmd->add_option("--limit", *limit, "At most this many lines (500)");
    cmd->add_flag("--json", *json, "One JSON object per line");
    cmd->callback([c, queue, search, json, limit, &exitCode] {
        Date today;
        if (!todayOf(*c, today, exitCode)) return;
        auto q = queueFromString(*queue);
        if (!q) {
            std::cerr << "lecert register list: --queue: expected one of " << queueNames() << "\n";
            exitCode = 2;
            return;
        }
        auto r = openRegister(*c, "list", false, exitCode);
        if (!r) return;
        auto list =
            search->empty() ? r->queue(*q, today, *limit) : r->search(*search, today, *limit);
        if (!list) {
            exitCode = report("list", list.error());
            return;
        }
        printSummaries(*list, *json);
    });
}

// submit / return / approve: one request, an optional note, comments for return.
void addReviewAction(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode,
                     const std::string& name, const std::string& help) {
    auto id = std::make_shared<std::int64_t>(0);
    auto note = std::make_shared<std::string>();
    auto comments = std::make_shared<std::vector<std::string>>();
    auto* cmd = reg.add_subcommand(name, help);
    cmd->add_option("ID", *id, "request id")->required();
    auto* noteOpt = cmd->add_option("--note", *note, "Note for the history");
    if (name == "return") {
        noteOpt->required();
        cmd->add_option("--comment", *comments, "FIELD=TEXT: a comment anchored to a field path");
    }
    cmd->callback([c, id, note, comments, name, &exitCode] {
        std::vector<FieldComment> list;
        for (const auto& s : *comments) {
            const auto eq = s.find('=');
            if (eq == std::string::npos || eq == 0) {
                std::cerr << "lecert register return: --comment: expected FIELD=TEXT\n";
                exitCode = 2;
                return;
            }
            list.push_back({s.substr(0, eq), s.substr(eq + 1)});
        }
        auto r = openRegister(*c, name, false, exitCode);
        if (!r) return;
        Status s = name == "submit"   ? r->submit(*id, *note)
                   : name == "return" ? r->returnToOfficer(*id, *note, list)
                                      : r->approve(*id, *note);
        if (!s) exitCode = report(name, s.error());
    });
}

void addOutcome(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto id = std::make_shared<std::int64_t>(0);
    auto outcome = std::make_shared<std::string>();
    auto date = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    auto* cmd = reg.add_subcommand("outcome", "Record a request's outcome (8 CFR 214.14(h))");
    cmd->add_option("ID", *id, "request id")->required();
    cmd->add_option("OUTCOME", *outcome, "certified, declined or withdrawn")->required();
    cmd->add_option("--date", *date, "Day of the outcome (default: today)");
    cmd->add_option("--reason", *reason, "Why it was declined (required for declined)");
    cmd->callback([c, id, outcome, date, reason, &exitCode] {
        Date on;
        if (!todayOf(*c, on, exitCode)) return;
        if (!date->empty()) {
            auto d = Date::parseIso(*date);
            if (!d) {
                std::cerr << "lecert register outcome: --date: expected YYYY-MM-DD\n";
                exitCode = 2;
                return;
            }
            on = *d;
        }
        auto o = outcomeFromString(*outcome);
        if (!o || *o == RequestOutcome::Pending) {
            std::cerr << "lecert register outcome: expected certified, declined or withdrawn\n";
            exitCode = 2;
            return;
        }
        auto r = openRegister(*c, "outcome", false, exitCode);
        if (!r) return;
        if (Status s = r->setOutcome(*id, *o, on, *reason); !s)
            exitCode = report("outcome", s.error());
    });
}

void addReport(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto year = std::make_shared<int>(0);
    auto csv = std::make_shared<std::string>();
    auto* cmd =
        reg.add_subcommand("report",
                           "Yearly statistics: counts by outcome, crime and month, median days to "
                           "respond, deadlines missed");
    cmd->add_option("--year", *year, "Requests received in this year")->required();
    cmd->add_option("--csv", *csv, "CSV file to write (default: stdout unless --pdf)");
    auto pdfOut = std::make_shared<std::string>();
    auto agency = std::make_shared<std::string>();
    cmd->add_option("--pdf", *pdfOut, "PDF file to write: tables and bar charts");
    cmd->add_option("--agency", *agency, "Agency name for the PDF's heading");
    cmd->callback([c, year, csv, pdfOut, agency, &exitCode] {
        Date today;
        if (!todayOf(*c, today, exitCode)) return;
        auto r = openRegister(*c, "report", false, exitCode);
        if (!r) return;
        auto rep = r->report(*year, today);
        if (!rep) {
            exitCode = report("report", rep.error());
            return;
        }
        if (!pdfOut->empty()) {
            YearReportPdfOptions o{today, *agency, {}};
            auto pdf = yearReportPdf(*rep, o);
            Status s = pdf ? writeFileAtomic(*pdfOut, *pdf) : Status(pdf.error());
            if (!s) {
                exitCode = report("report", s.error());
                return;
            }
        }
        if (csv->empty()) {
            if (pdfOut->empty()) std::cout << rep->csv();
            return;
        }
        if (Status s = writeFileAtomic(*csv, rep->csv()); !s)
            exitCode = report("report", s.error());
    });
}

// ---- offline: checkout, offline <action>, sync, status (core/register/local_copy.h) ----

std::string localPath(const Common& c) {
    if (!c.local.empty()) return c.local;
    const std::string named = namedUser(c);
    return LocalCopy::defaultPath(named.empty() ? osLoginName() : named);
}

std::unique_ptr<LocalCopy> openLocal(const Common& c, const std::string& what,
                                     const std::string& user, bool create, int& exitCode) {
    auto l = LocalCopy::open(localPath(c), user, create);
    if (!l) {
        std::cerr << "lecert register " << what << ": " << l.error().toString() << "\n";
        exitCode = 2;
        return nullptr;
    }
    return std::move(*l);
}

void addCheckout(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto ids = std::make_shared<std::vector<std::int64_t>>();
    auto* cmd = reg.add_subcommand(
        "checkout",
        "Copy requests' records into your offline local copy (--local) to work on "
        "them without a connection");
    cmd->add_option("ID", *ids, "request ids")->required();
    cmd->callback([c, ids, &exitCode] {
        auto r = openRegister(*c, "checkout", false, exitCode);
        if (!r) return;
        auto local = openLocal(*c, "checkout", r->user(), true, exitCode);
        if (!local) return;
        for (std::int64_t id : *ids) {
            if (Status s = local->checkout(*r, id); !s) {
                exitCode = std::max(exitCode, report("checkout", s.error()));
                continue;
            }
            auto it = local->item(id);
            std::cout << "request " << id << " version " << (it ? it->baseVersion : 0)
                      << " checked out to " << localPath(*c) << "\n";
        }
    });
}

// `offline export ID -o F`, `offline save ID F`, `offline submit|return|approve ID`.
void addOffline(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto* off = reg.add_subcommand(
        "offline", "Work on the local copy without a connection; `sync` sends it later");
    off->require_subcommand(1);
    auto id = std::make_shared<std::int64_t>(0);
    auto file = std::make_shared<std::string>();
    auto* ex = off->add_subcommand("export", "Write a checked-out record to a file");
    ex->add_option("ID", *id, "request id")->required();
    ex->add_option("-o,--output", *file, "record file to write")->required();
    ex->callback([c, id, file, &exitCode] {
        auto local = openLocal(*c, "offline export", "", false, exitCode);
        if (!local) return;
        auto it = local->item(*id);
        Status s = it ? writeFileAtomic(*file, dumpPretty(it->record), 0600) : Status(it.error());
        if (!s) exitCode = report("offline export", s.error());
    });
    auto* save = off->add_subcommand("save", "Keep an edited record in the local copy");
    save->add_option("ID", *id, "request id")->required();
    save->add_option("FILE", *file, "the edited record")->required();
    save->callback([c, id, file, &exitCode] {
        auto local = openLocal(*c, "offline save", "", false, exitCode);
        if (!local) return;
        auto text = readFile(*file, kMaxRecordBytes);
        auto json = text ? parseJson(*text, *file) : Result<Json>(text.error());
        Status s = json ? checkRecordLimits(*json) : Status(json.error());
        if (s) s = local->saveEdit(*id, *json);
        if (!s) exitCode = report("offline save", s.error());
    });
    for (const char* action : {"submit", "return", "approve"}) {
        auto note = std::make_shared<std::string>();
        auto* a = off->add_subcommand(action, std::string("Record a ") + action +
                                                  " to replay at sync (the register's rules "
                                                  "apply then)");
        a->add_option("ID", *id, "request id")->required();
        a->add_option("--note", *note, "Note for the history");
        const std::string kind = std::string(action) == "submit"   ? "submitted"
                                 : std::string(action) == "return" ? "returned"
                                                                   : "approved";
        a->callback([c, id, note, kind, &exitCode] {
            auto local = openLocal(*c, "offline", "", false, exitCode);
            if (!local) return;
            if (Status s = local->addAction(*id, kind, *note); !s)
                exitCode = report("offline", s.error());
        });
    }
}

// Exit 0: everything is in the register; 1: a conflict or a refusal (kept, reported);
// 2: the connection broke or could not be made (run sync again).
void addSync(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto* cmd = reg.add_subcommand("sync", "Send the offline edits and actions to the register");
    cmd->callback([c, &exitCode] {
        auto r = openRegister(*c, "sync", false, exitCode);
        if (!r) return;
        auto local = openLocal(*c, "sync", r->user(), false, exitCode);
        if (!local) return;
        const SyncReport rep = local->sync(*r);
        for (const auto& l : rep.lines) std::cout << l << "\n";
        std::cout << rep.synced << " synced, " << rep.alreadyInRegister
                  << " already in the register, " << rep.conflicts << " conflict(s), "
                  << rep.refused << " refused, " << rep.blocked << " blocked, " << rep.stillPending
                  << " still pending\n";
        if (rep.stoppedBy) {
            std::cerr << "lecert register sync: stopped: " << rep.stoppedBy->toString()
                      << "\nnothing is lost; run `lecert register sync` again when connected\n";
            exitCode = 2;
        } else if (rep.conflicts || rep.refused || rep.blocked) {
            exitCode = 1;
        }
    });
}

void addStatus(CLI::App& reg, const std::shared_ptr<Common>& c, int& exitCode) {
    auto* cmd = reg.add_subcommand("status",
                                   "Show the local copy: checked-out requests and "
                                   "offline operations with their sync state");
    cmd->callback([c, &exitCode] {
        auto local = openLocal(*c, "status", "", false, exitCode);
        if (!local) return;
        auto items = local->items();
        auto ops = local->operations();
        if (!items || !ops) {
            exitCode = report("status", items ? ops.error() : items.error());
            return;
        }
        std::cout << "request\tbase_version\tunsynced\tchecked_out\n";
        for (const auto& i : *items)
            std::cout << i.requestId << "\t" << i.baseVersion << "\t" << i.openOps << "\t"
                      << i.checkedOutAt << "\n";
        std::cout << "\nop\trequest\tkind\tmade_offline_at\tstate\tversion\tmessage\n";
        for (const auto& o : *ops)
            std::cout << o.seq << "\t" << o.requestId << "\t" << o.kind << "\t" << o.madeAt << "\t"
                      << o.state << "\t" << o.syncedVersion << "\t" << o.message << "\n";
    });
}

}  // namespace

void addRegisterCommand(CLI::App& app, int& exitCode) {
    auto common = std::make_shared<Common>();
    auto* reg = app.add_subcommand("register", "The agency's certification register");
    reg->require_subcommand(1);
    reg->fallthrough();
    reg->add_option("--register", common->location,
                    "SQLite file (PATH or sqlite:PATH) or postgresql://… (default: "
                    "$LECERT_REGISTER)");
    reg->add_option("--user", common->user,
                    "SQLite trusted-desk registers: who is acting (default: $LECERT_USER, else "
                    "the OS account; an os-account register takes the OS account only)");
    reg->add_option("--local", common->local,
                    "The offline local copy (default: $LECERT_LOCAL_COPY, else "
                    "~/.local/share/lecert/offline-USER.db)");
    reg->add_option("--today", common->today, "Today's date for days left (YYYY-MM-DD)");
    addInit(*reg, common, exitCode);
    addUserCmd(*reg, common, exitCode);
    addIntake(*reg, common, exitCode);
    addImport(*reg, common, exitCode);
    addExport(*reg, common, exitCode);
    addList(*reg, common, exitCode);
    addReviewAction(*reg, common, exitCode, "submit", "Submit a request's record for review");
    addReviewAction(*reg, common, exitCode, "return",
                    "Return a submitted record to its officer with comments (supervisor)");
    addReviewAction(*reg, common, exitCode, "approve",
                    "Approve a submitted record (a supervisor who did not submit it)");
    addOutcome(*reg, common, exitCode);
    addReport(*reg, common, exitCode);
    addCheckout(*reg, common, exitCode);
    addOffline(*reg, common, exitCode);
    addSync(*reg, common, exitCode);
    addStatus(*reg, common, exitCode);
}
