// SPDX-License-Identifier: MIT
// `lecert review show FILE` and `lecert review verify FILE...`: a thin layer over core/review.h.
#include "cli/commands.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/jobs/fill_job.h"
#include "core/jobs/record_reader.h"
#include "core/register/register.h"
#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/util/json_io.h"

namespace {

using lecert::Json;
namespace review = lecert::review;

// One record read from a file, labelled "FILE" or "FILE:INDEX" for arrays and JSON Lines.
struct Loaded {
    std::string label;
    Json record;
};

// Notes and comments are free text; keep each on one output line, and let no control
// character reach the terminal.
std::string oneLine(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    return lecert::escapeControls(out);
}
// Names, ids, paths and timestamps: printed as they are, controls escaped.
std::string safe(const std::string& s) {
    return lecert::escapeControls(s);
}

// Reads every record of `inputs` (files or directories, as `lecert validate` does). Records that
// cannot be read are reported on stderr and make the function return false; the others are kept.
bool loadRecords(const std::vector<std::string>& inputs, std::vector<Loaded>& out) {
    lecert::RecordReader reader(inputs);
    lecert::RecordItem item;
    bool ok = true;
    while (reader.next(item)) {
        if (item.error || !item.record) {
            std::cerr << (item.error ? item.error->toString()
                                     : safe(item.label()) + ": unreadable record")
                      << "\n";
            ok = false;
            continue;
        }
        out.push_back({item.label(), std::move(item.record->json())});
    }
    return ok;
}

std::string chainText(const review::VerifyResult& v) {
    if (v.ok)
        return "intact (" + std::to_string(v.eventCount) +
               (v.eventCount == 1 ? " event)" : " events)");
    if (v.firstBrokenIndex < 0) return "BROKEN: " + safe(v.message);
    return "BROKEN at event " + std::to_string(v.firstBrokenIndex + 1) + ": " + safe(v.message);
}

// The trusted keys: --trusted-keys F, else $LECERT_TRUSTED_KEYS, else none (nothing trusted).
bool loadTrust(const std::string& path, review::TrustStore& out) {
    const char* env = std::getenv("LECERT_TRUSTED_KEYS");
    const std::string file = !path.empty() ? path : (env ? std::string(env) : std::string());
    if (file.empty()) return true;
    auto t = review::TrustStore::load(file);
    if (!t) {
        std::cerr << "lecert review: trusted keys: " << t.error().toString() << "\n";
        return false;
    }
    out = std::move(*t);
    return true;
}

std::string signatureText(const review::EventSignature& s) {
    switch (s.state) {
        case review::SignatureState::Trusted:
            return "signed by trusted key \"" + safe(s.keyName) + "\"";
        case review::SignatureState::UnknownKey:
            return "signed by an UNKNOWN key " + s.keyId.substr(0, 16);
        case review::SignatureState::Invalid:
            return "INVALID signature (forged or altered)";
        case review::SignatureState::Unsigned:
            break;
    }
    return "UNSIGNED";
}

// One line per submitted / returned / approved event, then the approval's verdict. Returns 1
// when a signature is invalid or the content changed after the approval, else 0.
int printSignatures(const Json& record, const review::TrustStore& trust,
                    const std::string& indent) {
    int code = 0;
    for (const auto& s : review::verifySignatures(record, trust)) {
        std::cout << indent << "event " << (s.index + 1) << " " << safe(s.action) << " by "
                  << safe(s.actor) << ": " << signatureText(s) << "\n";
        if (s.state == review::SignatureState::Invalid) code = 1;
    }
    const review::ApprovalStatus a = review::approvalStatus(record, trust);
    if (a.contentChanged) {
        std::cout << indent << "CONTENT CHANGED AFTER APPROVAL\n";
        code = 1;
    }
    if (review::status(record) == lecert::ReviewStatus::Approved)
        std::cout << indent << "Approval: " << safe(review::approvalLine(record, trust)) << "\n";
    return code;
}

// Prints one record's review; returns its exit code.
int showOne(const Loaded& r, const review::TrustStore& trust) {
    const review::VerifyResult v = review::verifyChain(r.record);
    if (v.malformed) {
        std::cerr << safe(r.label) << ": malformed review: " << safe(v.message) << "\n";
        return 2;
    }
    std::cout << safe(r.label) << "\n";
    std::cout << "Status: " << review::toString(review::status(r.record)) << "\n";
    std::cout << "Cover: " << safe(review::approvalLine(r.record, trust)) << "\n";

    const auto open = review::comments(r.record, true);
    std::cout << "Open comments (" << open.size() << "):\n";
    for (const auto& c : open) {
        std::cout << "  [" << safe(c.id) << "] " << safe(c.field) << ": " << oneLine(c.text)
                  << " \u2014 " << safe(c.author) << ", " << safe(c.at) << "\n";
    }
    const auto evs = review::events(r.record);
    std::cout << "History (" << evs.size() << (evs.size() == 1 ? " event):\n" : " events):\n");
    for (const auto& e : evs) {
        std::cout << "  " << safe(e.at) << "  " << safe(e.actor) << "  " << safe(e.action);
        if (!e.commentId.empty()) {
            std::cout << (e.commentResolved ? "  resolved " : "  ") << safe(e.commentId);
            if (!e.commentField.empty()) std::cout << " on " << safe(e.commentField);
        }
        if (!e.fields.empty()) {
            std::cout << " ";
            for (const auto& f : e.fields) std::cout << " " << safe(f);
        }
        if (!e.note.empty()) std::cout << "  " << oneLine(e.note);
        std::cout << "\n";
    }
    const auto changed = review::changesSinceLastReview(r.record);
    if (!changed.empty()) {
        std::cout << "Changed since last review (" << changed.size() << "):";
        for (const auto& f : changed) std::cout << " " << safe(f);
        std::cout << "\n";
    }
    std::cout << "Chain: " << chainText(v) << "\n";
    if (v.ok && v.contentChangedSinceLastEvent) {
        std::cout << "Note: the record content changed since the last review event (edited outside "
                     "lecert)\n";
    }
    std::cout << "Signatures:\n";
    const int sigCode = printSignatures(r.record, trust, "  ");
    return v.ok ? sigCode : 1;
}

int runShow(const std::string& file, const std::string& trustFile) {
    review::TrustStore trust;
    if (!loadTrust(trustFile, trust)) return 2;
    std::vector<Loaded> records;
    int code = loadRecords({file}, records) ? 0 : 2;
    if (records.empty() && code == 0) {
        std::cerr << safe(file) << ": no records\n";
        return 2;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) std::cout << "\n";
        code = std::max(code, showOne(records[i], trust));
    }
    return code;
}

// Streams the records (memory does not grow with their number) and prints one line each.
// With a register, a record also has to be the register's current version of its request
// (its chain head anchored there), else exit 1.
int runVerify(const std::vector<std::string>& files, const std::string& trustFile,
              const std::string& registerLocation) {
    review::TrustStore trust;
    if (!loadTrust(trustFile, trust)) return 2;
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
                                     : safe(item.label()) + ": unreadable record")
                      << "\n";
            code = 2;
            continue;
        }
        const std::string label = safe(item.label());
        const review::VerifyResult v = review::verifyChain(item.record->json());
        if (v.malformed) {
            std::cerr << label << ": malformed review: " << safe(v.message) << "\n";
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
        if (v.ok) code = std::max(code, printSignatures(item.record->json(), trust, "  "));
    }
    return code;
}

}  // namespace

void addReviewCommand(CLI::App& app, int& exitCode) {
    auto* cmd = app.add_subcommand("review", "Show or verify the supervisor review of records");
    cmd->require_subcommand(1);

    auto trustFile = std::make_shared<std::string>();
    auto showFile = std::make_shared<std::string>();
    auto* show = cmd->add_subcommand(
        "show",
        "Print a record's review status, open comments, history and chain check "
        "(exit 1 if the history does not verify, 2 if the file cannot be read)");
    show->add_option("FILE", *showFile, "record file (.json object or array, or .jsonl)")
        ->required();
    show->add_option("--trusted-keys", *trustFile,
                     "The agency's trusted reviewer keys (default: $LECERT_TRUSTED_KEYS)");
    show->callback([showFile, trustFile, &exitCode] { exitCode = runShow(*showFile, *trustFile); });

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
    verify->add_option("--trusted-keys", *trustFile,
                       "The agency's trusted reviewer keys (default: $LECERT_TRUSTED_KEYS)");
    verify->add_option("--register", *verifyRegister,
                       "Also check each record against this register (SQLite file or "
                       "postgresql://…): its history must be the register's latest");
    verify->callback([verifyFiles, verifyRegister, trustFile, &exitCode] {
        exitCode = runVerify(*verifyFiles, *trustFile, *verifyRegister);
    });

    struct KeyOptions {
        std::string keyFile, passphraseFile, name;
    };
    auto ko = std::make_shared<KeyOptions>();
    auto* key = cmd->add_subcommand("key", "The reviewer's signing key");
    key->require_subcommand(1);
    auto* exportCmd = key->add_subcommand(
        "export",
        "Print your public key as a line for the agency's trusted keys file (the key is created "
        "on first use)");
    exportCmd->add_option("--key", ko->keyFile,
                          "Key file (default: $LECERT_REVIEWER_KEY or "
                          "~/.config/lecert/reviewer-key.pem)");
    exportCmd
        ->add_option("--passphrase-file", ko->passphraseFile,
                     "The key's passphrase: first line of F")
        ->required();
    exportCmd->add_option("--name", ko->name, "Your name as the cover will print it")->required();
    exportCmd->callback([ko, &exitCode] {
        if (ko->name.find_first_not_of(" \t") == std::string::npos ||
            lecert::escapeControls(ko->name) != ko->name) {
            std::cerr << "lecert review key export: --name must be a non-empty name on one line\n";
            exitCode = 2;
            return;
        }
        auto pass = lecert::readPasswordFile(ko->passphraseFile);
        if (!pass) {
            std::cerr << "lecert review key export: " << pass.error().toString() << "\n";
            exitCode = 2;
            return;
        }
        const std::string path =
            ko->keyFile.empty() ? review::ReviewerKey::defaultPath() : ko->keyFile;
        auto k = review::ReviewerKey::loadOrCreate(path, *pass);
        if (!k) {
            std::cerr << "lecert review key export: " << k.error().toString() << "\n";
            exitCode = 2;
            return;
        }
        std::cout << safe(review::trustedKeyLine(*k, ko->name)) << "\n";
        exitCode = 0;
    });
}
