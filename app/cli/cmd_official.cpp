// SPDX-License-Identifier: MIT
// `lecert verify-official` and `lecert forms inspect`: thin layers over
// core/render/official_form.h.
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "cli/commands.h"
#include "core/model/form_edition.h"
#include "core/pdf/official_pdf.h"
#include "core/render/official_form.h"
#include "core/util/json_io.h"

using namespace lecert;

namespace {

std::string rect(const pdf::OfficialField& f) {
    auto n = [](double v) {
        std::string s = std::to_string(v);
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    };
    return "[" + n(f.x) + " " + n(f.y) + " " + n(f.x + f.w) + " " + n(f.y + f.h) + "]";
}

// A starting map for a new edition: every field with its kind and page; record paths empty.
Json draftMap(const pdf::OfficialPdf& doc) {
    Json fields = Json::array();
    Json signature = Json::array();
    for (const auto& f : doc.fields()) {
        Json ref = {{"page", f.page}, {"part", ""}, {"item", ""}};
        if (f.kind == pdf::OfficialFieldKind::Signature) {
            signature.push_back(f.name);
            continue;
        }
        if (f.kind == pdf::OfficialFieldKind::CheckBox || f.kind == pdf::OfficialFieldKind::Radio) {
            Json opts = Json::object();
            opts[f.onStates.empty() ? "?" : f.onStates.front()] = {
                {"field", f.name}, {"on", f.onStates.empty() ? "" : f.onStates.front()}};
            fields.push_back({{"path", ""},
                              {"kind", "choice"},
                              {"options", opts},
                              {"ref", ref},
                              {"label", f.tooltip}});
            continue;
        }
        const char* kind = f.kind == pdf::OfficialFieldKind::Multiline  ? "multiline"
                           : f.kind == pdf::OfficialFieldKind::Dropdown ? "dropdown"
                                                                        : "text";
        fields.push_back(
            {{"path", ""}, {"kind", kind}, {"field", f.name}, {"ref", ref}, {"label", f.tooltip}});
    }
    return {{"form", ""},
            {"edition", ""},
            {"official_file", ""},
            {"sha256", Json::array({doc.sha256()})},
            {"pages", doc.pageCount()},
            {"field_count", doc.fields().size()},
            {"complete", false},
            {"fields", fields},
            {"signature", signature},
            {"additional_information", nullptr},
            {"not_on_form", Json::object()},
            {"unmapped", Json::array()}};
}

int inspect(const std::string& path, const std::string& draftOut) {
    auto bytes = readFile(path);
    if (!bytes) {
        std::cerr << "lecert forms inspect: " << bytes.error().toString() << "\n";
        return 2;
    }
    auto doc = pdf::OfficialPdf::open(std::move(*bytes), nullptr);
    if (!doc) {
        std::cerr << "lecert forms inspect: " << path << ": " << doc.error().message << "\n";
        return 2;
    }
    const auto& d = **doc;
    std::cout << "file: " << path << "\nsha256: " << d.sha256() << "\npages: " << d.pageCount()
              << "\nfields: " << d.fields().size() << "\nxfa: " << (d.hasXfa() ? "yes" : "no")
              << "\nencrypted: " << (d.encrypted() ? "yes" : "no") << "\n\n";
    std::cout << "name\tkind\tpage\trect\ton-states\tmaxlen\ttooltip\n";
    for (const auto& f : d.fields()) {
        std::string on;
        for (const auto& s : f.onStates) on += (on.empty() ? "/" : " /") + s;
        std::cout << f.name << "\t" << pdf::officialFieldKindName(f.kind) << "\t" << f.page << "\t"
                  << rect(f) << "\t" << on << "\t" << (f.maxLen ? std::to_string(f.maxLen) : "")
                  << "\t" << f.tooltip << "\n";
    }
    auto editions = shippedEditions();
    if (!editions) {
        std::cerr << "lecert forms inspect: " << editions.error().toString() << "\n";
        return 2;
    }
    OfficialMatch how;
    auto ed = matchOfficialEdition(*editions, d, &how);
    std::cout << "\nmatches: ";
    if (ed)
        std::cout << formToString(ed->form) << " edition " << ed->edition << " (" << how.summary
                  << ")\n";
    else
        std::cout << "no installed edition\n";
    // Compare with the matching map, else with every map of the same page count.
    for (const auto& e : *editions) {
        if (!e->map() || (ed && e != ed)) continue;
        std::set<std::string> mapped;
        std::size_t missing = 0;
        std::string missingList;
        for (const auto& n : e->map()->fieldNames()) {
            const auto* f = d.find(n);
            if (f)
                mapped.insert(f->name);
            else {
                ++missing;
                missingList += "  " + n + "\n";
            }
        }
        std::string unmappedList;
        std::size_t unmapped = 0;
        for (const auto& f : d.fields())
            if (!mapped.count(f.name)) {
                ++unmapped;
                unmappedList += "  " + f.name + "\n";
            }
        std::cout << formToString(e->form) << " " << e->edition << ": " << unmapped
                  << " fields of the file not in the map, " << missing
                  << " map entries not in the file\n"
                  << unmappedList << (missing ? "missing from the file:\n" + missingList : "");
    }
    if (!draftOut.empty()) {
        if (auto st = writeFileAtomic(draftOut, dumpPretty(draftMap(d)) + "\n"); !st) {
            std::cerr << "lecert forms inspect: " << st.error().toString() << "\n";
            return 2;
        }
        std::cerr << "wrote " << draftOut << "\n";
    }
    return 0;
}

}  // namespace

void addFormsInspectCommand(CLI::App& forms, int& exitCode) {
    auto path = std::make_shared<std::string>();
    auto draft = std::make_shared<std::string>();
    CLI::App* cmd = forms.add_subcommand(
        "inspect", "Print an official PDF's field inventory and compare it with the edition maps");
    cmd->add_option("--draft-map", *draft, "Write a starting official_map.json for a new edition");
    cmd->add_option("FORM", *path, "The official PDF")->required();
    cmd->callback([path, draft, &exitCode]() { exitCode = inspect(*path, *draft); });
}

void addVerifyOfficialCommand(CLI::App& app, int& exitCode) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "verify-official",
        "Print the edition of a filled official form and whether its original bytes are intact");
    cmd->add_option("FILLED", *path, "A PDF written by lecert fill --official")->required();
    cmd->callback([path, &exitCode]() {
        auto bytes = readFile(*path);
        auto editions = shippedEditions();
        if (!bytes || !editions) {
            std::cerr << "lecert verify-official: "
                      << (!bytes ? bytes.error() : editions.error()).toString() << "\n";
            exitCode = 2;
            return;
        }
        auto v = verifyOfficialPdf(*bytes, *editions);
        if (!v) {
            std::cerr << "lecert verify-official: " << *path << ": " << v.error().message << "\n";
            exitCode = 2;
            return;
        }
        if (v->edition)
            std::cout << "edition: " << formToString(v->edition->form) << " " << v->edition->edition
                      << " (" << v->edition->worksheet->title << ", edition "
                      << v->edition->worksheet->editionPrinted << ")\n";
        else
            std::cout << "edition: unknown\n";
        std::cout << "original: " << v->originalLength << " bytes, SHA-256 " << v->originalSha256
                  << "\n"
                  << v->summary << "\n";
        exitCode = v->intact ? 0 : 1;
    });
}
