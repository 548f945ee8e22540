// SPDX-License-Identifier: MIT
// `lecert`: parse the command line, run one subcommand, return its exit code (0, 1 or 2).
#include <iostream>
#include <new>

#include "cli/commands.h"
#include "core/lecert.h"

namespace {

int run(int argc, char** argv) {
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

}  // namespace

int main(int argc, char** argv) {
    // Core returns Result<T> and never throws by design; this catches what would otherwise end
    // the process through std::terminate (e.g. std::bad_alloc). The exception's text is not
    // printed: a library's message can quote the input it failed on, and input is victim data.
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        std::cerr << "lecert: out of memory\n";
    } catch (...) {
        std::cerr << "lecert: internal error (an unexpected exception); please report it\n";
    }
    return 2;
}
