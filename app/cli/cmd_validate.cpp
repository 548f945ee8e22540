// SPDX-License-Identifier: MIT
// `lecert validate` and `lecert forms`: thin layers over core/validator.h and
// core/form_definition.h.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/jobs/record_reader.h"
#include "core/model/form_definition.h"
#include "core/model/form_edition.h"
#include "core/model/record_schema.h"
#include "core/rules/validator.h"

using namespace lecert;

void addValidateCommand(CLI::App& app, int& exitCode) {
    struct Options {
        bool json = false;
        std::string today;
        std::vector<std::string> files;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Check records against the form rules (exit 1 if any is invalid)");
    cmd->add_flag("--json", opt->json, "One JSON object per record on stdout");
    cmd->add_option("--today", opt->today, "Date used as today for the date rules (YYYY-MM-DD)");
    cmd->add_option("FILE", opt->files, "Record files: .json (object or array) or .jsonl")
        ->required();
    cmd->callback([opt, &exitCode]() {
        ValidationOptions vopt;
        if (!cli::parseToday(opt->today, vopt.today)) {
            exitCode = 2;
            return;
        }
        RecordReader reader(opt->files);
        RecordItem item;
        std::size_t records = 0, valid = 0, invalid = 0, unreadable = 0, errors = 0, warnings = 0;
        while (reader.next(item)) {
            ++records;
            if (item.error) {
                ++unreadable;
                std::cerr << item.error->toString() << "\n";
                if (opt->json) {
                    // Same shape as a validated record, with the read error as its one issue.
                    Issue readError{Severity::Error, "", "input.unreadable", item.error->toString(),
                                    ""};
                    Json out = cli::recordResultJson(item, {readError});
                    out["error"] = item.error->toString();
                    std::cout << out.dump() << "\n";
                }
                continue;
            }
            const auto issues = validateRecord(*item.record, vopt);
            const bool ok = !hasErrors(issues);
            ok ? ++valid : ++invalid;
            errors += countIssues(issues, Severity::Error);
            warnings += countIssues(issues, Severity::Warning);
            if (opt->json) {
                std::cout << cli::recordResultJson(item, issues).dump() << "\n";
            } else {
                for (const auto& i : issues) std::cout << cli::issueLine(item.label(), i) << "\n";
            }
        }
        std::cout.flush();
        std::cerr << records << " record" << (records == 1 ? "" : "s") << ": " << valid
                  << " valid, " << invalid << " invalid"
                  << (unreadable ? ", " + std::to_string(unreadable) + " unreadable"
                                 : std::string())
                  << " (" << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings
                  << " warning" << (warnings == 1 ? "" : "s") << ")\n";
        exitCode = unreadable ? 2 : (invalid ? 1 : 0);
    });
}

void addFormsCommand(CLI::App& app, int& exitCode) {
    CLI::App* cmd = app.add_subcommand(
        "forms",
        "List the supported forms and editions, and whether each official map is complete");
    addFormsInspectCommand(*cmd, exitCode);
    cmd->callback([cmd, &exitCode]() {
        if (cmd->got_subcommand("inspect")) return;
        exitCode = 0;
        auto editions = shippedEditions();
        if (!editions) {
            std::cerr << editions.error().toString() << "\n";
            exitCode = 2;
            return;
        }
        // Newest edition of each form first, as before; older editions follow.
        std::vector<std::shared_ptr<const FormEdition>> list(editions->rbegin(), editions->rend());
        std::stable_sort(list.begin(), list.end(),
                         [](const auto& a, const auto& b) { return a->form < b->form; });
        for (const auto& e : list) {
            const auto& def = *e->worksheet;
            std::cout << def.form << "  edition " << def.edition << "  " << def.title;
            if (!def.subtitle.empty()) std::cout << " — " << def.subtitle;
            if (const std::string problem = e->mapProblem(); !problem.empty()) {
                std::cout << "  [official map: cannot be read]";
                std::cerr << problem << "\n";
                exitCode = 2;
            } else if (!e->map())
                std::cout << "  [official map: none]";
            else if (e->map()->complete)
                std::cout << "  [official map: complete]";
            else
                std::cout << "  [official map: incomplete, " << e->map()->unmapped.size()
                          << " record paths not yet mapped: run lecert forms inspect on the "
                             "official PDF]";
            std::cout << "\n";
        }
    });
}
