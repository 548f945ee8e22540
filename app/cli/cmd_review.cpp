// SPDX-License-Identifier: MIT
// `lecert review show FILE` and `lecert review verify FILE...`: a thin layer over core/review.h.
#include "cli/commands.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/json_io.h"
#include "core/review.h"

namespace {

using lecert::Json;
namespace review = lecert::review;

// One record read from a file, labelled "FILE" or "FILE:INDEX" for arrays and JSON Lines.
struct Loaded {
    std::string label;
    Json record;
};

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reads `path` (a .json object or array, or .jsonl). On error prints it and returns false.
bool loadRecords(const std::string& path, std::vector<Loaded>& out) {
    auto text = lecert::readFile(path);
    if (!text) {
        std::cerr << text.error().toString() << "\n";
        return false;
    }
    if (endsWith(path, ".jsonl")) {
        std::string_view all = *text;
        int lineNo = 0;
        std::size_t index = 0;
        while (!all.empty()) {
            ++lineNo;
            const std::size_t nl = all.find('\n');
            std::string_view line = all.substr(0, nl);
            all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            auto j = lecert::parseJson(line, path);
            if (!j) {
                lecert::Error e = j.error();
                e.where.line = lineNo;
                std::cerr << e.toString() << "\n";
                return false;
            }
            out.push_back({path + ":" + std::to_string(index++), std::move(*j)});
        }
        if (out.empty()) {
            std::cerr << path << ": no records (expected one JSON object per line)\n";
            return false;
        }
        return true;
    }
    auto j = lecert::parseJson(*text, path);
    if (!j) {
        std::cerr << j.error().toString() << "\n";
        return false;
    }
    if (j->is_object()) {
        out.push_back({path, std::move(*j)});
        return true;
    }
    if (j->is_array()) {
        for (std::size_t i = 0; i < j->size(); ++i) {
            if (!(*j)[i].is_object()) {
                std::cerr << path << ":" << i << ": a record must be a JSON object, found "
                          << lecert::jsonTypeName((*j)[i]) << "\n";
                return false;
            }
            out.push_back({path + ":" + std::to_string(i), std::move((*j)[i])});
        }
        return true;
    }
    std::cerr << path << ": expected a record (JSON object) or an array of records, found "
              << lecert::jsonTypeName(*j) << "\n";
    return false;
}

// Notes and comments are free text; keep each on one output line.
std::string oneLine(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    return out;
}

std::string chainText(const review::VerifyResult& v) {
    if (v.ok) return "intact (" + std::to_string(v.eventCount) + (v.eventCount == 1 ? " event)" : " events)");
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
        std::cout << "  [" << c.id << "] " << c.field << ": " << oneLine(c.text) << " \u2014 " << c.author << ", "
                  << c.at << "\n";
    }
    const auto evs = review::events(r.record);
    std::cout << "History (" << evs.size() << (evs.size() == 1 ? " event):\n" : " events):\n");
    for (const auto& e : evs) {
        std::cout << "  " << e.at << "  " << e.actor << "  " << e.action;
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
        std::cout << "Note: the record content changed since the last review event (edited outside lecert)\n";
    }
    return v.ok ? 0 : 1;
}

int runShow(const std::string& file) {
    std::vector<Loaded> records;
    if (!loadRecords(file, records)) return 2;
    int code = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) std::cout << "\n";
        code = std::max(code, showOne(records[i]));
    }
    return code;
}

int runVerify(const std::vector<std::string>& files) {
    int code = 0;
    for (const auto& file : files) {
        std::vector<Loaded> records;
        if (!loadRecords(file, records)) {
            code = 2;
            continue;
        }
        for (const auto& r : records) {
            const review::VerifyResult v = review::verifyChain(r.record);
            if (v.malformed) {
                std::cerr << r.label << ": malformed review: " << v.message << "\n";
                code = 2;
                continue;
            }
            if (v.eventCount == 0 && v.ok) {
                std::cout << r.label << ": no review history\n";
                continue;
            }
            std::cout << r.label << ": " << chainText(v) << "\n";
            if (!v.ok) code = std::max(code, 1);
        }
    }
    return code;
}

}  // namespace

void addReviewCommand(CLI::App& app, int& exitCode) {
    auto* cmd = app.add_subcommand("review", "Show or verify the supervisor review of records");
    cmd->require_subcommand(1);

    auto showFile = std::make_shared<std::string>();
    auto* show = cmd->add_subcommand(
        "show", "Print a record's review status, open comments, history and chain check "
                "(exit 1 if the history does not verify, 2 if the file cannot be read)");
    show->add_option("FILE", *showFile, "record file (.json object or array, or .jsonl)")->required();
    show->callback([showFile, &exitCode] { exitCode = runShow(*showFile); });

    auto verifyFiles = std::make_shared<std::vector<std::string>>();
    auto* verify = cmd->add_subcommand(
        "verify", "Check the review history hash chain of records "
                  "(exit 1 if any chain is broken, 2 if a file cannot be read or is malformed)");
    verify->add_option("FILE", *verifyFiles, "record files (.json object or array, or .jsonl)")->required();
    verify->callback([verifyFiles, &exitCode] { exitCode = runVerify(*verifyFiles); });
}
