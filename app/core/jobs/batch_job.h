// SPDX-License-Identifier: MIT
#pragma once
// BatchJob: `lecert batch` as a library object. Streams records from many inputs (one reader
// thread), validates and renders them on a pool of workers (each owns its renderer and thus
// its PDF documents), writes every output atomically and one JSON report line per record.
// Memory stays flat: at most a bounded number of records is in flight at any time.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/record_renderer.h"
#include "core/model/record.h"
#include "core/rules/validator.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

// Progress as seen by the report writer; `total` is known only when the inputs could be
// counted cheaply (see BatchOptions::countTotal).
struct BatchProgress {
    std::size_t done = 0;              // records reported so far (any status)
    std::optional<std::size_t> total;  // a quick count: may be off for malformed files
    std::size_t ok = 0, invalid = 0, errors = 0, skipped = 0;
    double elapsedSeconds = 0;
};

// A record that was invalid or could not be processed, for messages on the console.
struct BatchProblem {
    std::string label;          // "file" or "file:index"
    int line = 0;               // 1-based line where the record starts, 0 if unknown
    bool invalid = false;       // true: validation errors (see issues); false: an error
    std::string error;          // why it could not be processed (empty when invalid)
    std::vector<Issue> issues;  // the validator's error issues (warnings left out)
};

struct BatchOptions {
    std::vector<std::string> inputs;  // .json, .jsonl files and directories, in this order
    std::string outDir;               // created if missing
    unsigned jobs = 0;                // worker threads; 0 = number of cores
    std::string reportPath;           // empty = no report file
    bool resume = false;              // skip records whose outputs are up to date (manifest)
    RenderOptions render;
    // Called on the calling thread about 5 times a second and once at the end. May be empty.
    std::function<void(const BatchProgress&)> progress;
    // Called on the calling thread, in input order, for each invalid or failed record. May be
    // empty.
    std::function<void(const BatchProblem&)> onProblem;
    // Count the records up front (a fast scan, only for inputs up to 256 MiB in total) so that
    // progress knows the total. Only done when `progress` is set.
    bool countTotal = true;
    // Set (e.g. from a SIGINT handler) to stop: queued records are abandoned, records being
    // rendered are finished, no partial file is left. May be null.
    const std::atomic<bool>* cancel = nullptr;
    // Renderer per worker; empty = defaultRendererFactory().
    RendererFactory rendererFactory;
    // Names a renderer other than the default in the resume fingerprint (e.g. the official
    // folder and its PDFs' hashes for --official), so that outputs one renderer made are not
    // skipped as done by a run with another. Empty = the default renderer.
    std::string rendererKey;
    // Records in flight (read but not yet reported); 0 = 4 per worker + 8.
    std::size_t maxInFlight = 0;
    // Files no output or report may replace besides the inputs (e.g. the password file).
    std::vector<std::string> protectedPaths;
    // Replace existing outputs / a report that lecert did not write (never an input).
    bool force = false;
};

// Counts per status. `errors` includes the `duplicates` (a duplicate id is an error for the
// later record). `notProcessed` counts records read but abandoned after cancellation.
struct BatchSummary {
    std::size_t ok = 0, invalid = 0, errors = 0, skipped = 0, duplicates = 0;
    std::size_t notProcessed = 0;
    bool notProcessedExact =
        true;  // false: the inputs were too large to count, it is a lower bound
    bool cancelled = false;
    std::size_t warnings = 0;  // warning issues over all records
    double elapsedSeconds = 0;
    std::optional<Error> fatal;  // the batch could not run at all (output folder, report file)

    std::size_t total() const { return ok + invalid + errors + skipped; }
    // 2 when anything could not be processed (errors, cancellation, fatal), else 1 when some
    // record was invalid, else 0 (spec/cli.md).
    int exitCode() const;
};

// Runs one batch. Report lines are written in INPUT order (a reorder buffer bounded by
// maxInFlight), so two runs with different -j give identical reports. Each line:
// {"source","index"?,"line"?,"id","status","issues":[...],"outputs":[{"path","sha256","bytes"}],"error"?}
// status: "ok", "invalid", "error", "skipped".
// Output names: OUTDIR/<name>.pdf and OUTDIR/<name>-cover.pdf, where <name> is the record's
// "id" when it is a valid id, else the input file's stem (lone object) or <stem>-<index>
// (array element, .jsonl line), made file-name safe and unique with -2, -3... A record whose
// id was already claimed by an earlier record (by id or by name) is an error with the issue
// code "batch.duplicate_id" and writes nothing. Names are assigned in input order, so they do
// not depend on -j.
// Resume: after a record's outputs are in place, a line in OUTDIR/.lecert-batch/manifest.log
// (one append-only log per output folder, see core/jobs/batch_manifest.h) records the SHA-256
// of the record text as read, the options that change the bytes (a salted tag for the
// password, never the password; the renderer key), the lecert version and each output's
// SHA-256; --resume skips a record only when all of it matches the files on disk.
// Cancellation: queued records are abandoned (counted in notProcessed, no report line),
// records being rendered finish; outputs are renamed into place whole, so none is partial.
class BatchJob {
public:
    explicit BatchJob(BatchOptions options);
    ~BatchJob();
    BatchJob(const BatchJob&) = delete;
    BatchJob& operator=(const BatchJob&) = delete;

    // Runs to completion (or cancellation). Never throws.
    BatchSummary run();

    // The folder (inside outDir) holding the resume log (and the password salt).
    static constexpr const char* kManifestDir = ".lecert-batch";

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

// A file-name-safe output name from a record id or stem: [A-Za-z0-9._-], at most 64 characters,
// not starting with '.'; "record" when nothing is left.
std::string safeOutputName(std::string_view s);

}  // namespace lecert
