// SPDX-License-Identifier: MIT
#pragma once
// Subcommand registration: each add*Command() adds one subcommand to the `lecert` app. The
// subcommand's callback stores its exit code (0, 1 or 2, see spec/cli.md) in `exitCode`.

#include <CLI/CLI.hpp>

namespace lecert::cli {}  // reserved for shared CLI helpers

// `lecert review show FILE` and `lecert review verify FILE...` (app/cli/cmd_review.cpp).
void addReviewCommand(CLI::App& app, int& exitCode);
