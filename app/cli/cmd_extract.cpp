// SPDX-License-Identifier: MIT
// `lecert extract FILE.pdf`: prints the record embedded by lecert fill (core/fill_job.h).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/jobs/fill_job.h"

using namespace lecert;

void addExtractCommand(CLI::App& app, int& exitCode) {
    struct Options {
        std::string file, passwordFile;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("extract", "Print the record JSON embedded in a PDF written by lecert");
    cmd->add_option("--password-file", opt->passwordFile,
                    "Password of an encrypted PDF (first line of F)");
    cmd->add_option("FILE", opt->file, "A PDF written by lecert fill or lecert batch")->required();
    cmd->callback([opt, &exitCode]() {
        std::string password;
        if (!opt->passwordFile.empty()) {
            auto pw = readPasswordFile(opt->passwordFile);
            if (!pw) {
                std::cerr << "lecert extract: " << pw.error().toString() << "\n";
                exitCode = 2;
                return;
            }
            password = *pw;
        }
        auto record = extractRecord(opt->file, password);
        if (!record) {
            std::cerr << "lecert extract: " << record.error().toString() << "\n";
            exitCode = 2;
            return;
        }
        // Never send control characters to a terminal (escape sequences could rewrite the
        // screen); valid JSON has none raw except white space, but DEL and C1 are possible.
        const std::string text =
            ::isatty(STDOUT_FILENO) ? cli::escapeJsonControls(*record) : *record;
        std::cout << text;
        if (!text.empty() && text.back() != '\n') std::cout << "\n";
        std::cout.flush();
        exitCode = std::cout ? 0 : 2;
    });
}
