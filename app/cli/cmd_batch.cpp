// SPDX-License-Identifier: MIT
// `lecert batch`: a thin layer over core/batch_job.h (argument parsing, Ctrl-C, progress line,
// summary, exit code).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/register_batch_hook.h"
#include "core/jobs/batch_job.h"
#include "core/jobs/fill_job.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

using namespace lecert;

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int sig) {
    g_interrupted.store(true);
    // A second Ctrl-C ends the program at once.
    std::signal(sig, SIG_DFL);
}

std::string clockText(double seconds) {
    const long s = seconds < 0 ? 0 : std::lround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

std::string progressLine(const BatchProgress& p) {
    // The total is a quick count; a malformed file can make it a little off.
    const bool known = p.total.has_value();
    const std::size_t total = known ? std::max(*p.total, p.done) : 0;
    std::string line = " " + std::to_string(p.done);
    if (known) line += "/" + std::to_string(total);
    line += " records";
    const double rate = p.elapsedSeconds > 0 ? static_cast<double>(p.done) / p.elapsedSeconds : 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "  %.0f/s", rate);
    line += buf;
    line += "  " + std::to_string(p.errors + p.invalid) + " errors";
    if (known && rate > 0) line += "  ETA " + clockText(static_cast<double>(total - p.done) / rate);
    return line;
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The resume fingerprint of --official DIR: the folder's absolute path and the name and
// SHA-256 of every PDF in it, so that a resume with another folder, another official file or
// without --official makes the records again instead of skipping them as done.
std::string officialRendererKey(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> pdfs;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string ext = e.path().extension().string();
        for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ext == ".pdf" && e.is_regular_file(ec)) pdfs.push_back(e.path().string());
    }
    std::sort(pdfs.begin(), pdfs.end());
    std::string key = "official:" + fs::weakly_canonical(fs::absolute(dir, ec), ec).string();
    for (const auto& p : pdfs) {
        auto bytes = readFile(p);
        key += "|" + fs::path(p).filename().string() + "=" + (bytes ? sha256Hex(*bytes) : "?");
    }
    return key;
}

// The command line as parsed, before it becomes BatchOptions.
struct BatchCliOptions {
    std::string outDir, report, passwordFile, today, official;
    std::vector<std::string> inputs;
    unsigned jobs = 0;
    bool resume = false, flatten = false, noCover = false, quiet = false, force = false,
         pdfa = false;
};

void addBatchOptions(CLI::App* cmd, BatchCliOptions& opt) {
    cmd->add_option("-o,--output", opt.outDir, "Output folder (created if missing)")->required();
    cmd->add_option("-j,--jobs", opt.jobs, "Worker threads (default: number of cores)")
        ->check(CLI::Range(1u, 256u));
    cmd->add_option("--report", opt.report, "Write one JSON line per record to this file");
    cmd->add_flag("--resume", opt.resume,
                  "Skip records whose outputs exist from the same input and options");
    cmd->add_flag("--flatten", opt.flatten, "No editable fields");
    cmd->add_flag("--pdfa", opt.pdfa, "PDF/A-2b archival worksheets and covers");
    cmd->add_flag("--no-cover", opt.noCover, "Do not write the cover summaries");
    cmd->add_option("--password-file", opt.passwordFile,
                    "Encrypt the PDFs (AES-256); password = first line of F");
    cmd->add_option("--today", opt.today, "Date used as today (YYYY-MM-DD)");
    cmd->add_flag("-q,--quiet", opt.quiet, "No progress line");
    cmd->add_option("--official", opt.official,
                    "Fill the official USCIS PDFs found in DIR (one per edition) instead of the "
                    "worksheet");
    cmd->add_flag("--force", opt.force,
                  "Replace existing outputs (or a report) that lecert did not write");
    cmd->add_option("INPUT", opt.inputs,
                    ".json (object or array), .jsonl files, or folders of .json files");
}

// The job's options from the command line's; false (with a message and exitCode 2) when
// --today or the password file is refused.
bool toBatchOptions(const BatchCliOptions& opt, BatchOptions& b, int& exitCode) {
    b.inputs = opt.inputs;
    b.outDir = opt.outDir;
    b.jobs = opt.jobs;
    b.reportPath = opt.report;
    b.resume = opt.resume;
    b.force = opt.force;
    if (!opt.passwordFile.empty()) b.protectedPaths.push_back(opt.passwordFile);
    b.render.flatten = opt.flatten;
    b.render.pdfa = opt.pdfa;
    b.render.noCover = opt.noCover;
    if (!opt.official.empty()) {
        b.rendererFactory = officialRendererFactory(opt.official);
        b.rendererKey = officialRendererKey(opt.official);
    }
    if (!cli::parseToday(opt.today, b.render.today)) {
        exitCode = 2;
        return false;
    }
    if (!opt.passwordFile.empty()) {
        auto pw = readPasswordFile(opt.passwordFile);
        if (!pw) {
            std::cerr << "lecert batch: " << pw.error().toString() << "\n";
            exitCode = 2;
            return false;
        }
        b.render.password = std::move(*pw);
    }
    return true;
}

// Runs the job with the console around it: the progress line (on a terminal, unless quiet),
// each problem as it comes, and Ctrl-C / SIGTERM as a cancellation.
BatchSummary runOnConsole(BatchOptions b, bool quiet) {
    const bool showProgress = !quiet && ::isatty(STDERR_FILENO);
    bool progressShown = false;
    auto clearProgress = [&] {
        if (progressShown) std::cerr << "\r\033[K";
        progressShown = false;
    };
    if (showProgress) {
        b.progress = [&](const BatchProgress& p) {
            std::cerr << "\r\033[K" << progressLine(p) << std::flush;
            progressShown = true;
        };
    }
    b.onProblem = [&](const BatchProblem& p) {
        clearProgress();
        if (!p.invalid) {
            std::cerr << escapeControls(p.label) << ": error: " << escapeControls(p.error) << "\n";
            return;
        }
        for (const auto& i : p.issues) std::cerr << cli::issueLine(p.label, i) << "\n";
    };

    g_interrupted = false;
    b.cancel = &g_interrupted;
    auto oldInt = std::signal(SIGINT, onInterrupt);
    auto oldTerm = std::signal(SIGTERM, onInterrupt);
    BatchJob job(std::move(b));
    BatchSummary s = job.run();
    std::signal(SIGINT, oldInt);
    std::signal(SIGTERM, oldTerm);
    clearProgress();
    return s;
}

void printSummary(const BatchSummary& s) {
    if (s.fatal) {
        std::cerr << s.fatal->toString() << "\n";
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", s.elapsedSeconds);
    std::cerr << plural(s.total(), "record") << ": " << s.ok << " ok, " << s.skipped
              << " skipped (up to date), " << s.invalid << " invalid, "
              << plural(s.errors, "error");
    if (s.duplicates) std::cerr << " (" << plural(s.duplicates, "duplicate id") << ")";
    std::cerr << "; " << plural(s.warnings, "warning") << "; " << secs << " s\n";
    if (s.cancelled) {
        std::cerr << "interrupted: " << (s.notProcessedExact ? "" : "at least ")
                  << plural(s.notProcessed, "record")
                  << " not processed; run again with --resume\n";
    }
}

}  // namespace

void addBatchCommand(CLI::App& app, int& exitCode) {
    auto opt = std::make_shared<BatchCliOptions>();
    CLI::App* cmd = app.add_subcommand(
        "batch", "Fill every valid record of many inputs (form + cover), report the rest");
    addBatchOptions(cmd, *opt);
    auto fromRegister = std::make_shared<cli::RegisterBatchHook>();
    fromRegister->addOptions(cmd);
    cmd->callback([opt, fromRegister, &exitCode]() {
        BatchOptions b;
        if (!toBatchOptions(*opt, b, exitCode)) return;
        if (!fromRegister->prepare(b, exitCode)) return;
        const BatchSummary s = runOnConsole(std::move(b), opt->quiet);
        printSummary(s);
        exitCode = s.exitCode();
        fromRegister->finish(s, exitCode);
    });
}
