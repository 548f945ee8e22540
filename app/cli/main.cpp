// SPDX-License-Identifier: MIT
// `lecert`: parse the command line, run one subcommand, return its exit code (0, 1 or 2).
#include <iostream>

#include "cli/commands.h"
#include "core/lecert.h"

int main(int argc, char** argv) {
    CLI::App app{
        "lecert: law-enforcement certification worksheets (I-918 Supplement B, I-914 Supplement "
        "B)"};
    app.set_version_flag("--version", std::string("lecert ") + lecert::version());
    app.require_subcommand(1);
    int exitCode = 0;
    addValidateCommand(app, exitCode);
    addFormsCommand(app, exitCode);
    addFillCommand(app, exitCode);
    addExtractCommand(app, exitCode);
    addBatchCommand(app, exitCode);
    addVerifyOfficialCommand(app, exitCode);
    addReviewCommand(app, exitCode);
    addRegisterCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;  // usage error, per spec/cli.md
    }
    return exitCode;
}
