// SPDX-License-Identifier: MIT
#pragma once
// Subcommand registration: each add*Command() adds one subcommand to the `lecert` app. The
// subcommand's callback stores its exit code (0, 1 or 2, see spec/cli.md) in `exitCode`.

#include <CLI/CLI.hpp>

namespace lecert::cli {}  // namespace lecert::cli

// `lecert validate [--json] [--today D] FILE...` (app/cli/cmd_validate.cpp).
void addValidateCommand(CLI::App& app, int& exitCode);
// `lecert forms` (app/cli/cmd_validate.cpp) and `lecert forms inspect` (app/cli/cmd_official.cpp).
void addFormsCommand(CLI::App& app, int& exitCode);
void addFormsInspectCommand(CLI::App& forms, int& exitCode);
// `lecert verify-official` (app/cli/cmd_official.cpp).
void addVerifyOfficialCommand(CLI::App& app, int& exitCode);
// `lecert fill` and `lecert extract` (app/cli/cmd_fill.cpp, cmd_extract.cpp).
void addFillCommand(CLI::App& app, int& exitCode);
void addExtractCommand(CLI::App& app, int& exitCode);
// `lecert batch` (app/cli/cmd_batch.cpp).
void addBatchCommand(CLI::App& app, int& exitCode);

// `lecert review show FILE` and `lecert review verify FILE...` (app/cli/cmd_review.cpp).
void addReviewCommand(CLI::App& app, int& exitCode);

// `lecert register …`: the agency's certification register (app/cli/cmd_register.cpp).
void addRegisterCommand(CLI::App& app, int& exitCode);
