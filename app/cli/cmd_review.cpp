// SPDX-License-Identifier: MIT
// `lecert review show FILE` and `lecert review verify FILE...`: a thin layer over core/review.h.
#include "cli/commands.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/jobs/record_reader.h"
#include "core/register/register.h"
#include "core/review/review.h"
#include "core/util/json_io.h"

namespace {

using lecert::Json;
namespace review = lecert::review;

// One record read from a file, labelled "FILE" or "FILE:INDEX" for arrays and JSON Lines.
struct Loaded {
    std::string label;
    Json record;
};

// Reads every record of `inputs` (files or directories, as `lecert validate` does). Records that
// cannot be read are reported on stderr and make the function return false; the others are kept.
bool loadRecords(const std::vector<std::string>& inputs, std::vector<Loaded>& out) {
    lecert::RecordReader reader(inputs);
    lecert::RecordItem item;
    bool ok = true;
    while (reader.next(item)) {
        if (item.error || !item.record) {
            std::cerr << (item.error ? item.error->toString()
                                     : item.label() + ": unreadable record")
                      << "\n";
            ok = false;
            continue;
        }
        out.push_back({item.label(), std::move(item.record->json())});
    }
    return ok;
}

// Notes and comments are free text; keep each on one output line.
std::string oneLine(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    return out;
}

std::string chainText(const review::VerifyResult& v) {
    if (v.ok)
        return "intact (" + std::to_string(v.eventCount) +
               (v.eventCount == 1 ? " event)" : " events)");
    if (v.firstBrokenIndex < 0) return "BROKEN: " + v.message;
    return "BROKEN at event " + std::to_string(v.firstBrokenIndex + 1) + ": " + v.message;
}

// Prints one record's review; returns its exit code.
int showOne(const Loaded& r) {
    const review::VerifyResult v = review::verifyChain(r.record);
    if (v.malformed) {
        std::cerr << r.label << ": malformed review: " << v.message << "\n";
        return 2;
    }
    std::cout << r.label << "\n";
    std::cout << "Status: " << review::toString(review::status(r.record)) << "\n";
    std::cout << "Cover: " << lecert::reviewStatusLine(r.record) << "\n";

    const auto open = review::comments(r.record, true);
    std::cout << "Open comments (" << open.size() << "):\n";
    for (const auto& c : open) {
        std::cout << "  [" << c.id << "] " << c.field << ": " << oneLine(c.text) << " \u2014 "
                  << c.author << ", " << c.at << "\n";
    }
    const auto evs = review::events(r.record);
    std::cout << "History (" << evs.size() << (evs.size() == 1 ? " event):\n" : " events):\n");
    for (const auto& e : evs) {
        std::cout << "  " << e.at << "  " << e.actor << "  " << e.action;
        if (!e.commentId.empty()) {
            std::cout << (e.commentResolved ? "  resolved " : "  ") << e.commentId;
            if (!e.commentField.empty()) std::cout << " on " << e.commentField;
        }
        if (!e.fields.empty()) {
            std::cout << " ";
            for (const auto& f : e.fields) std::cout << " " << f;
        }
        if (!e.note.empty()) std::cout << "  " << oneLine(e.note);
        std::cout << "\n";
    }
    const auto changed = review::changesSinceLastReview(r.record);
    if (!changed.empty()) {
        std::cout << "Changed since last review (" << changed.size() << "):";
        for (const auto& f : changed) std::cout << " " << f;
        std::cout << "\n";
    }
    std::cout << "Chain: " << chainText(v) << "\n";
    if (v.ok && v.contentChangedSinceLastEvent) {
        std::cout << "Note: the record content changed since the last review event (edited outside "
                     "lecert)\n";
    }
    return v.ok ? 0 : 1;
}

int runShow(const std::string& file) {
    std::vector<Loaded> records;
    int code = loadRecords({file}, records) ? 0 : 2;
    if (records.empty() && code == 0) {
        std::cerr << file << ": no records\n";
        return 2;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) std::cout << "\n";
        code = std::max(code, showOne(records[i]));
    }
    return code;
}

// Streams the records (memory does not grow with their number) and prints one line each.
// With a register, a record also has to be the register's current version of its request
// (its chain head anchored there), else exit 1.
int runVerify(const std::vector<std::string>& files, const std::string& registerLocation) {
    int code = 0;
    std::unique_ptr<lecert::Register> reg;
    if (!registerLocation.empty()) {
        const char* user = std::getenv("LECERT_USER");
        auto opened = lecert::Register::open(registerLocation, {user ? user : ""});
        if (!opened) {
            std::cerr << "lecert review verify: " << opened.error().toString() << "\n";
            return 2;
        }
        reg = std::move(*opened);
    }
    lecert::RecordReader reader(files);
    lecert::RecordItem item;
    while (reader.next(item)) {
        if (item.error || !item.record) {
            std::cerr << (item.error ? item.error->toString()
                                     : item.label() + ": unreadable record")
                      << "\n";
            code = 2;
            continue;
        }
        const std::string label = item.label();
        const review::VerifyResult v = review::verifyChain(item.record->json());
        if (v.malformed) {
            std::cerr << label << ": malformed review: " << v.message << "\n";
            code = 2;
            continue;
        }
        if (v.ok && v.eventCount == 0 && registerLocation.empty()) {
            std::cout << label << ": no review history\n";
            continue;
        }
        std::cout << label << ": " << chainText(v);
        if (!v.ok) code = std::max(code, 1);
        if (reg) {
            auto anchor = reg->checkAnchor(item.record->json());
            if (!anchor) {
                std::cout << "\n";
                std::cerr << label << ": " << anchor.error().toString() << "\n";
                code = 2;
                continue;
            }
            std::cout << "; register: " << anchor->message;
            if (!anchor->current) code = std::max(code, 1);
        }
        std::cout << "\n";
    }
    return code;
}

}  // namespace

void addReviewCommand(CLI::App& app, int& exitCode) {
    auto* cmd = app.add_subcommand("review", "Show or verify the supervisor review of records");
    cmd->require_subcommand(1);

    auto showFile = std::make_shared<std::string>();
    auto* show = cmd->add_subcommand(
        "show",
        "Print a record's review status, open comments, history and chain check "
        "(exit 1 if the history does not verify, 2 if the file cannot be read)");
    show->add_option("FILE", *showFile, "record file (.json object or array, or .jsonl)")
        ->required();
    show->callback([showFile, &exitCode] { exitCode = runShow(*showFile); });

    auto verifyFiles = std::make_shared<std::vector<std::string>>();
    auto verifyRegister = std::make_shared<std::string>();
    auto* verify = cmd->add_subcommand(
        "verify",
        "Check the review history hash chain of records "
        "(exit 1 if any chain is broken, 2 if a file cannot be read or is malformed)");
    verify
        ->add_option("FILE", *verifyFiles,
                     "record files: .json (object or array), .jsonl, or directories")
        ->required();
    verify->add_option("--register", *verifyRegister,
                       "Also check each record against this register (SQLite file or "
                       "postgresql://…): its history must be the register's latest");
    verify->callback([verifyFiles, verifyRegister, &exitCode] {
        exitCode = runVerify(*verifyFiles, *verifyRegister);
    });
}
