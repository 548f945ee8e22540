// SPDX-License-Identifier: MIT
#include "core/jobs/batch_job.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/jobs/batch_manifest.h"
#include "core/jobs/name_index.h"
#include "core/jobs/output_guard.h"
#include "core/jobs/record_count.h"
#include "core/jobs/record_reader.h"
#include "core/lecert.h"
#include "core/rules/validator.h"
#include "core/util/atomic_file.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

namespace lecert {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string safeOutputName(std::string_view s) {
    std::string out;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        out += ok ? c : '_';
        if (out.size() == 64) break;
    }
    // A leading dot would hide the file (and "." / ".." are not names at all).
    while (!out.empty() && out.front() == '.') out.erase(out.begin());
    return out.empty() ? std::string("record") : out;
}

int BatchSummary::exitCode() const {
    if (fatal || cancelled || errors > 0 || notProcessed > 0) return 2;
    return invalid > 0 ? 1 : 0;
}

namespace {

// A record id usable as a file name as it is (the validator's id rule).
bool isPlainId(const std::string& s) {
    if (s.empty() || s.size() > 64 || s == "." || s == "..") return false;
    return safeOutputName(s) == s;
}

// Names Windows reserves for devices, whatever the case or extension ("con.pdf" is CON).
bool isReservedName(const std::string& name) {
    std::string base = name.substr(0, name.find('.'));
    for (char& c : base) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const char* const kReserved[] = {"CON", "PRN", "AUX", "NUL"};
    for (const char* r : kReserved)
        if (base == r) return true;
    return base.size() == 4 && (base.rfind("COM", 0) == 0 || base.rfind("LPT", 0) == 0) &&
           base[3] >= '1' && base[3] <= '9';
}

// 64-bit FNV-1a of the lower-cased file name: the duplicate index keeps only this (and where
// the name came from), so its memory stays small, and "CaseA" and "casea" collide as they do
// on case-insensitive file systems.
std::uint64_t nameKey(const std::string& file) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : file) {
        h ^= static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
        h *= 1099511628211ull;
    }
    return h;
}

enum class RecordStatus { Ok, Invalid, Error, Skipped, Abandoned };

const char* statusName(RecordStatus s) {
    switch (s) {
        case RecordStatus::Ok:
            return "ok";
        case RecordStatus::Invalid:
            return "invalid";
        case RecordStatus::Error:
            return "error";
        case RecordStatus::Skipped:
            return "skipped";
        case RecordStatus::Abandoned:
            return "abandoned";
    }
    return "error";
}

struct Task {
    std::size_t seq = 0;
    RecordItem item;
    std::string name;           // output name; empty when the record could not be read
    std::string duplicateOf;    // label of the earlier record with the same id, if any
    bool reservedName = false;  // the id is a device name on Windows (CON, NUL, ...)
};

struct Outcome {
    RecordStatus status = RecordStatus::Error;
    bool duplicate = false;
    std::size_t warnings = 0;
    std::string line;  // the report line (JSON, no newline)
    std::optional<BatchProblem> problem;
};

Outcome abandonedOutcome() {
    Outcome o;
    o.status = RecordStatus::Abandoned;
    return o;
}

// The outcome of a record whose processing threw (a bug somewhere below): status error.
Outcome internalError(const Task& task) {
    Outcome o;
    o.status = RecordStatus::Error;
    Json line = Json::object();
    line["source"] = task.item.source;
    if (task.item.index) line["index"] = *task.item.index;
    if (task.item.line > 0) line["line"] = task.item.line;
    line["id"] = task.name.empty() ? Json(nullptr) : Json(task.name);
    line["status"] = "error";
    line["issues"] = Json::array();
    line["outputs"] = Json::array();
    line["error"] = "internal error while processing this record";
    o.line = line.dump(-1, ' ', false, Json::error_handler_t::replace);
    BatchProblem p;
    p.label = task.item.label();
    p.line = task.item.line;
    p.error = "internal error while processing this record";
    o.problem = std::move(p);
    return o;
}

void removeReportFragments(const std::string& reportPath) {
    const fs::path target(reportPath);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    const std::string prefix = "." + target.filename().string() + ".tmp-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string n = e.path().filename().string();
        if (n.size() == prefix.size() + 6 && n.compare(0, prefix.size(), prefix) == 0 &&
            e.is_regular_file(ec))
            fs::remove(e.path(), ec);
    }
}

bool anyNonEmptyInput(const std::vector<std::string>& inputs) {
    for (const auto& in : inputs) {
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            if (!fs::is_empty(in, ec)) return true;
        } else if (fs::is_regular_file(in, ec) && fs::file_size(in, ec) > 0) {
            return true;
        }
    }
    return false;
}

// Gives each record its output name, in input order (so names do not depend on -j): its id
// when that is a plain id, else its source's stem (and index) made unique with -2, -3...
// Output names claimed so far are kept as a 64-bit hash of the lower-cased file name, with
// where the claiming record came from (file number and index), in fixed memory (NameIndex).
class OutputNamer {
public:
    explicit OutputNamer(const std::string& manifestDir) : m_used(manifestDir) {}

    void assign(Task& task) {
        const std::string* id = nullptr;
        if (const Json* j = task.item.record->get("id"); j && j->is_string())
            id = &j->get_ref<const std::string&>();
        if (id && isPlainId(*id) && isReservedName(*id)) {
            task.name = *id;
            task.reservedName = true;
        } else if (id && isPlainId(*id)) {
            task.name = *id;
            if (const auto other = claimed(task.name))
                task.duplicateOf = labelOf(*other);
            else
                claim(task.name, task.item);
        } else {
            std::string base = fs::path(task.item.source).stem().string();
            if (task.item.index) base += "-" + std::to_string(*task.item.index);
            base = safeOutputName(base);
            if (isReservedName(base)) base = "record-" + base;
            task.name = base;
            for (int k = 2; claimed(task.name); ++k) task.name = base + "-" + std::to_string(k);
            claim(task.name, task.item);
        }
    }

private:
    using Claim = NameIndex::Claim;

    // Names are claimed by the files they make: "x-cover" as an id would otherwise overwrite
    // the cover of "x".
    std::optional<Claim> claimed(const std::string& name) const {
        for (const std::string& file : {name + ".pdf", name + "-cover.pdf"}) {
            if (auto c = m_used.find(nameKey(file))) return c;
        }
        return std::nullopt;
    }

    void claim(const std::string& name, const RecordItem& item) {
        const Claim c = claimOf(item);
        for (const std::string& file : {name + ".pdf", name + "-cover.pdf"}) {
            const std::uint64_t key = nameKey(file);
            // "a" then "a-cover" as ids: the second claim's form name is the first's cover;
            // claimed() already refused it, so no key is claimed twice.
            if (!m_used.find(key)) m_used.insert(key, c);
        }
    }

    Claim claimOf(const RecordItem& item) {
        if (m_sources.empty() || m_sources.back() != item.source) m_sources.push_back(item.source);
        return Claim{static_cast<std::uint32_t>(m_sources.size() - 1),
                     item.index ? static_cast<std::int64_t>(*item.index) : -1};
    }

    std::string labelOf(const Claim& c) const {
        return c.index < 0 ? m_sources[c.file] : m_sources[c.file] + ":" + std::to_string(c.index);
    }

    NameIndex m_used;
    std::vector<std::string> m_sources;
};
Json outputsJson(const std::string& outDir, const std::vector<OutputFile>& outputs) {
    Json arr = Json::array();
    for (const auto& o : outputs) {
        arr.push_back(Json{{"path", (fs::path(outDir) / o.file).string()},
                           {"sha256", o.sha256},
                           {"bytes", o.bytes}});
    }
    return arr;
}

// One record's report line, issues, outputs and error as processing builds them up; finish()
// turns them into the record's outcome.
struct RecordReport {
    const RecordItem& item;
    const std::string& outDir;
    Outcome out;
    Json line = Json::object();
    Json issuesJson = Json::array();
    std::vector<Issue> issues;
    std::vector<OutputFile> outputs;
    std::string error;

    RecordReport(const Task& task, const std::string& dir) : item(task.item), outDir(dir) {
        line["source"] = item.source;
        if (item.index) line["index"] = *item.index;
        if (item.line > 0) line["line"] = item.line;
        line["id"] = task.name.empty() ? Json(nullptr) : Json(task.name);
    }

    void addIssue(Issue issue) {
        issuesJson.push_back(issueToJson(issue));
        issues.push_back(std::move(issue));
    }

    Outcome finish(RecordStatus s) {
        out.status = s;
        line["status"] = statusName(s);
        line["issues"] = std::move(issuesJson);
        line["outputs"] = outputsJson(outDir, outputs);
        if (!error.empty()) line["error"] = error;
        out.line = line.dump(-1, ' ', false, Json::error_handler_t::replace);
        if (s == RecordStatus::Invalid || s == RecordStatus::Error) {
            BatchProblem p;
            p.label = item.label();
            p.line = item.line;
            p.invalid = s == RecordStatus::Invalid;
            p.error = error;
            for (const auto& i : issues) {
                if (i.severity == Severity::Error) p.issues.push_back(i);
            }
            out.problem = std::move(p);
        }
        return std::move(out);
    }
};

Outcome refuseReservedName(Task& task, RecordReport& r) {
    r.addIssue(Issue{Severity::Error,
                     "id",
                     "batch.reserved_id",
                     "This id is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9); a "
                     "file of that name cannot be written or copied there. Give the record "
                     "another id.",
                     {}});
    task.name.clear();  // never touch files of that name
    r.line["id"] = nullptr;
    r.error = "the id is a reserved device name on Windows";
    return r.finish(RecordStatus::Error);
}

Outcome refuseDuplicate(const Task& task, RecordReport& r) {
    r.addIssue(Issue{Severity::Error,
                     "id",
                     "batch.duplicate_id",
                     "Another record in this batch (" + task.duplicateOf +
                         ") already writes an output file of this name; this record's outputs "
                         "would overwrite it. Give each record its own id.",
                     {}});
    r.out.duplicate = true;
    r.error = "duplicate id: its output files are already written by " + task.duplicateOf;
    return r.finish(RecordStatus::Error);
}
}  // namespace

struct BatchJob::Impl {
    BatchOptions opt;
    std::string manifestDir;
    std::unique_ptr<BatchManifests> manifests;
    std::vector<std::string> guarded;  // inputs, protected files, the report: never overwritten
    std::string passwordKey;  // scrypt(password, the output folder's salt); empty without one
    Clock::time_point start;
    // The report goes to a temporary file beside it and is renamed into place at the end.
    FILE* report = nullptr;
    std::string reportTmp;
    bool reportFailed = false;

    // Shared state, all under `mu`.
    std::mutex mu;
    std::condition_variable taskCv;    // workers wait for tasks
    std::condition_variable spaceCv;   // reader waits for room
    std::condition_variable resultCv;  // collector waits for outcomes
    std::deque<Task> tasks;
    std::map<std::size_t, Outcome> results;  // finished, waiting to be reported in order
    std::size_t inFlight = 0;
    std::size_t readCount = 0;
    bool readerDone = false;
    std::atomic<bool> stopCount{false};
    std::atomic<std::size_t> total{0};
    std::atomic<bool> totalKnown{false};

    bool cancelled() const { return opt.cancel && opt.cancel->load(); }

    // Set-up, in this order; each step may stop the run before anything is rendered.
    Status setUp();
    Status guardTargets();
    Status prepareOutputFolder();
    Status openManifests();
    Status openReport();

    // The pipeline: one reader, a pool of workers, and the calling thread as the collector.
    void runPipeline(BatchSummary& sum);
    void readerLoop(std::size_t maxInFlight);
    bool enqueue(Task& task, std::size_t readSoFar, std::size_t maxInFlight);
    void workerLoop();
    Outcome process(Task& task, RecordRenderer* renderer, const std::string& rendererError);
    void removeStaleOutputs(const std::string& name, RecordReport& r);
    bool writeOutputs(const std::string& name, const RenderedRecord& rendered, RecordReport& r);
    void collect(BatchSummary& sum);
    bool takeReady(std::size_t& next, std::vector<Outcome>& ready);
    void tally(Outcome& o, BatchSummary& sum);
    BatchProgress progressOf(const BatchSummary& sum) const;

    // After the last record: the counts, then the outputs, the resume log and the report made
    // durable.
    void settleCounts(BatchSummary& sum);
    void commit(BatchSummary& sum);
};

BatchJob::BatchJob(BatchOptions options) : m(std::make_unique<Impl>()) {
    m->opt = std::move(options);
}
BatchJob::~BatchJob() = default;

void BatchJob::Impl::readerLoop(std::size_t maxInFlight) {
    RecordReader reader(opt.inputs);
    OutputNamer names(manifestDir);
    std::size_t seq = 0;
    Task task;
    while (!cancelled() && reader.next(task.item)) {
        task.seq = seq++;
        task.name.clear();
        task.duplicateOf.clear();
        task.reservedName = false;
        if (task.item.record) names.assign(task);
        if (!enqueue(task, seq, maxInFlight)) break;
        task = Task{};
    }
    std::lock_guard lock(mu);
    readCount = seq;
    readerDone = true;
    taskCv.notify_all();
    resultCv.notify_all();
}

// Queues `task` for the workers once fewer than `maxInFlight` records are in flight; false
// when the run was cancelled while waiting.
bool BatchJob::Impl::enqueue(Task& task, std::size_t readSoFar, std::size_t maxInFlight) {
    std::unique_lock lock(mu);
    while (inFlight >= maxInFlight && !cancelled())
        spaceCv.wait_for(lock, std::chrono::milliseconds(100));
    ++inFlight;
    readCount = readSoFar;
    if (cancelled()) {
        // Read but never queued: still counted, so the summary says it was not processed.
        results.emplace(task.seq, abandonedOutcome());
        resultCv.notify_one();
        return false;
    }
    tasks.push_back(std::move(task));
    taskCv.notify_one();
    return true;
}

void BatchJob::Impl::workerLoop() {
    std::unique_ptr<RecordRenderer> renderer;
    std::string rendererError;
    auto made = opt.rendererFactory();
    if (made)
        renderer = std::move(*made);
    else
        rendererError = made.error().toString();
    if (!renderer && rendererError.empty()) rendererError = "no PDF renderer";
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mu);
            taskCv.wait(lock, [&] { return !tasks.empty() || readerDone; });
            if (tasks.empty()) return;
            task = std::move(tasks.front());
            tasks.pop_front();
        }
        Outcome out;
        if (cancelled()) {
            out = abandonedOutcome();
        } else {
            // One bad record must never stop the batch, not even through a stray exception.
            try {
                out = process(task, renderer.get(), rendererError);
            } catch (...) {
                out = internalError(task);
            }
        }
        std::lock_guard lock(mu);
        results.emplace(task.seq, std::move(out));
        resultCv.notify_one();
    }
}

Outcome BatchJob::Impl::process(Task& task, RecordRenderer* renderer,
                                const std::string& rendererError) {
    const RecordItem& item = task.item;
    RecordReport r(task, opt.outDir);
    if (item.error || !item.record) {
        r.error = item.error ? item.error->toString() : std::string("the record could not be read");
        return r.finish(RecordStatus::Error);
    }
    ValidationOptions vopt;
    vopt.today = opt.render.today;
    r.issues = validateRecord(*item.record, vopt);
    for (const auto& i : r.issues) r.issuesJson.push_back(issueToJson(i));
    r.out.warnings = countIssues(r.issues, Severity::Warning);
    if (task.reservedName) return refuseReservedName(task, r);
    if (!task.duplicateOf.empty()) return refuseDuplicate(task, r);
    if (hasErrors(r.issues)) {
        removeStaleOutputs(task.name, r);
        return r.finish(RecordStatus::Invalid);
    }

    // The text as read, not the parsed record: it is embedded in the PDFs, so any change to
    // it changes the outputs.
    const std::string inputHash = sha256Hex(item.text);
    // The password never reaches disk, nor anything fast to test guesses against: the tag is
    // an HMAC of the record's hash under a key derived once per run with scrypt (see
    // prepareOutputFolder()).
    const std::string passwordTag =
        opt.render.password.empty() ? std::string() : hmacHex(passwordKey, inputHash);
    std::vector<std::string> expected{task.name + ".pdf"};
    if (!opt.render.noCover) expected.push_back(task.name + "-cover.pdf");
    if (opt.resume && manifests->upToDate(task.name, inputHash, passwordTag, expected, r.outputs))
        return r.finish(RecordStatus::Skipped);
    r.outputs.clear();

    if (!renderer) {
        r.error = rendererError;
        return r.finish(RecordStatus::Error);
    }
    auto rendered = renderer->renderSource(*item.record, item.text, opt.render, &r.issues);
    if (!rendered) {
        r.error = "could not write the PDF: " + rendered.error().toString();
        return r.finish(RecordStatus::Error);
    }
    if (!writeOutputs(task.name, *rendered, r)) return r.finish(RecordStatus::Error);
    // A manifest that cannot be written only costs a re-render on --resume; the outputs stand.
    manifests->record(task.name, item.label(), inputHash, passwordTag, r.outputs);
    return r.finish(RecordStatus::Ok);
}

// Outputs an earlier run made from a version of this record that was valid then must not
// stand beside a report that says it is invalid now.
void BatchJob::Impl::removeStaleOutputs(const std::string& name, RecordReport& r) {
    Json removed = Json::array();
    const std::vector<std::string> earlier = manifests->filesOf(name);
    for (const auto& file : earlier) {
        if (file.empty() || file.find('/') != std::string::npos || file.front() == '.') continue;
        std::error_code rec;
        const fs::path p = fs::path(opt.outDir) / file;
        if (fs::remove(p, rec)) removed.push_back(p.string());
    }
    if (!earlier.empty()) manifests->forget(name);
    if (!removed.empty()) r.line["stale_removed"] = std::move(removed);
}

// Writes the record's form (and cover) into the output folder, each file atomically; on a
// failure removes what it wrote (no half record), sets r.error and returns false.
bool BatchJob::Impl::writeOutputs(const std::string& name, const RenderedRecord& rendered,
                                  RecordReport& r) {
    // Which existing files an earlier run wrote (they may be replaced without --force). Its
    // log entry stays until the new one is appended: should the run stop half-way, the entry
    // cannot vouch for the new files, whose SHA-256 differs from the one it records.
    const std::vector<std::string> earlier = manifests->filesOf(name);
    auto undo = [&](std::string why) {
        r.error = std::move(why);
        std::error_code ec;
        for (const auto& o : r.outputs) fs::remove(fs::path(opt.outDir) / o.file, ec);
        r.outputs.clear();
        return false;
    };
    std::vector<std::pair<std::string, const std::string*>> files{{name + ".pdf", &rendered.form}};
    if (!opt.render.noCover) files.emplace_back(name + "-cover.pdf", &rendered.cover);
    for (const auto& [file, bytes] : files) {
        const std::string path = (fs::path(opt.outDir) / file).string();
        const bool ours =
            opt.force || std::find(earlier.begin(), earlier.end(), file) != earlier.end();
        if (auto guard = checkOutputTarget(path, OutputKind::Pdf, guarded, ours); !guard)
            return undo(guard.error().toString());
        // Victim data: readable by the owner only.
        // No fsync per file (it cost ~2.5 ms each, more than the CPU time of a record's form):
        // durability comes from one syncfs() at the end of the batch, and a file torn by a
        // power cut before that is caught on --resume, which re-checks every output's SHA-256.
        auto st = writeFileAtomic(path, *bytes, 0600, Durability::Deferred);
        if (!st) return undo("could not write the output: " + st.error().toString());
        r.outputs.push_back({file, sha256Hex(*bytes), bytes->size()});
    }
    return true;
}

BatchSummary BatchJob::run() {
    Impl& s = *m;
    BatchSummary sum;
    s.start = Clock::now();
    if (auto st = s.setUp(); !st) {
        sum.fatal = st.error();
        return sum;
    }
    s.runPipeline(sum);
    s.settleCounts(sum);
    s.commit(sum);
    sum.elapsedSeconds = std::chrono::duration<double>(Clock::now() - s.start).count();
    return sum;
}

Status BatchJob::Impl::setUp() {
    if (opt.outDir.empty()) return Error{"no output folder given (-o OUTDIR)", {}};
    if (!opt.rendererFactory) opt.rendererFactory = defaultRendererFactory();
    if (auto st = guardTargets(); !st) return st;
    if (auto st = prepareOutputFolder(); !st) return st;
    if (auto st = openManifests(); !st) return st;
    if (opt.resume) manifests->cleanStaleTemporaries();
    // A run killed hard leaves its report as ".<report>.tmp-XXXXXX"; the new run writes a
    // complete report, so the fragment is removed (it may hold issue messages).
    if (opt.resume && !opt.reportPath.empty()) removeReportFragments(opt.reportPath);
    return openReport();
}

// Nothing is written before it is known that no output replaces an input.
Status BatchJob::Impl::guardTargets() {
    for (const auto& in : opt.inputs) {
        std::error_code dirEc;
        if (!fs::is_directory(in, dirEc)) guarded.push_back(in);
    }
    guarded.insert(guarded.end(), opt.protectedPaths.begin(), opt.protectedPaths.end());
    if (!opt.reportPath.empty()) {
        if (auto st = checkOutputTarget(opt.reportPath, OutputKind::Report, guarded, opt.force);
            !st)
            return st;
        guarded.push_back(opt.reportPath);
    }
    return Ok{};
}

// The output folder, writable, with the resume folder in it, and the password's key.
Status BatchJob::Impl::prepareOutputFolder() {
    std::error_code ec;
    fs::create_directories(opt.outDir, ec);
    const std::error_code createEc = ec;
    if (!fs::is_directory(opt.outDir, ec)) {
        return Error{"cannot create the output folder" +
                         (createEc ? ": " + createEc.message() : std::string()),
                     {opt.outDir, 0, 0, {}}};
    }
    if (::access(opt.outDir.c_str(), W_OK | X_OK) != 0) {
        return Error{errno == EACCES ? std::string("cannot write to the output folder: "
                                                   "permission denied")
                                     : std::string("cannot write to the output folder: ") +
                                           std::strerror(errno),
                     {opt.outDir, 0, 0, {}}};
    }
    manifestDir = (fs::path(opt.outDir) / kManifestDir).string();
    fs::create_directories(manifestDir, ec);
    if (!fs::is_directory(manifestDir, ec))
        return Error{"cannot create the resume folder", {manifestDir, 0, 0, {}}};
    if (!opt.render.password.empty()) {
        auto key = derivePasswordKey(opt.render.password, manifestDir);
        if (!key) return key.error();
        passwordKey = std::move(*key);
    }
    return Ok{};
}

// The resume log, under a fingerprint of the options that change the outputs' bytes.
Status BatchJob::Impl::openManifests() {
    Json key = Json::object();
    key["flatten"] = opt.render.flatten;
    if (opt.render.pdfa) key["pdfa"] = true;  // absent when off: older resume tags still match
    key["no_cover"] = opt.render.noCover;
    key["encrypted"] = !opt.render.password.empty();
    // Without --today the renderers use the system date (cover) and a fixed metadata date,
    // exactly as `lecert fill` does; the fingerprint then records the date of this run.
    key["today"] = opt.render.today ? opt.render.today->iso() : "system:" + Date::today().iso();
    // Another renderer (--official DIR) makes other bytes from the same record.
    if (!opt.rendererKey.empty()) key["renderer"] = opt.rendererKey;
    manifests = std::make_unique<BatchManifests>(opt.outDir, manifestDir, dumpCanonical(key));
    return manifests->open();
}

Status BatchJob::Impl::openReport() {
    if (opt.reportPath.empty()) return Ok{};
    auto tmp = createTempBeside(opt.reportPath, 0600);
    if (!tmp || !(report = ::fdopen(tmp->fd, "w"))) {
        if (tmp) {
            ::close(tmp->fd);
            ::unlink(tmp->path.c_str());
        }
        return Error{std::string("cannot create the report: ") + std::strerror(errno),
                     {opt.reportPath, 0, 0, {}}};
    }
    reportTmp = tmp->path;
    return Ok{};
}

void BatchJob::Impl::runPipeline(BatchSummary& sum) {
    unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = std::min(jobs, 256u);
    const std::size_t maxInFlight = opt.maxInFlight ? opt.maxInFlight : 4u * jobs + 8u;
    std::thread counter;
    if (opt.progress && opt.countTotal) {
        counter = std::thread([this] {
            if (auto n = countRecords(opt.inputs, stopCount)) {
                total = *n;
                totalKnown = true;
            }
        });
    }
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < jobs; ++i) workers.emplace_back([this] { workerLoop(); });
    std::thread reader([this, maxInFlight] { readerLoop(maxInFlight); });
    collect(sum);
    reader.join();
    for (auto& w : workers) w.join();
    stopCount = true;
    if (counter.joinable()) counter.join();
}

// The collector: this thread writes report lines in input order and reports progress, until
// every record read has been reported.
void BatchJob::Impl::collect(BatchSummary& sum) {
    std::size_t next = 0;
    auto lastProgress = Clock::now();
    for (;;) {
        std::vector<Outcome> ready;
        const bool finished = takeReady(next, ready);
        for (auto& o : ready) tally(o, sum);
        if (opt.progress &&
            (finished || Clock::now() - lastProgress >= std::chrono::milliseconds(200))) {
            opt.progress(progressOf(sum));
            lastProgress = Clock::now();
        }
        if (finished) break;
    }
}

// Waits up to 200 ms for the outcome of record `next`, then moves it and those right after it
// to `ready`; true when the reader is done and every record it read is taken.
bool BatchJob::Impl::takeReady(std::size_t& next, std::vector<Outcome>& ready) {
    std::unique_lock lock(mu);
    resultCv.wait_for(lock, std::chrono::milliseconds(200),
                      [&] { return results.count(next) || (readerDone && next == readCount); });
    for (auto it = results.find(next); it != results.end(); it = results.find(next)) {
        ready.push_back(std::move(it->second));
        results.erase(it);
        ++next;
    }
    inFlight -= ready.size();
    if (!ready.empty()) spaceCv.notify_one();
    return readerDone && next == readCount;
}

void BatchJob::Impl::tally(Outcome& o, BatchSummary& sum) {
    switch (o.status) {
        case RecordStatus::Ok:
            ++sum.ok;
            break;
        case RecordStatus::Invalid:
            ++sum.invalid;
            break;
        case RecordStatus::Error:
            ++sum.errors;
            break;
        case RecordStatus::Skipped:
            ++sum.skipped;
            break;
        case RecordStatus::Abandoned:
            ++sum.notProcessed;
            return;
    }
    if (o.duplicate) ++sum.duplicates;
    if (o.problem && opt.onProblem) opt.onProblem(*o.problem);
    sum.warnings += o.warnings;
    if (report && !reportFailed) {
        o.line += '\n';
        if (std::fwrite(o.line.data(), 1, o.line.size(), report) != o.line.size())
            reportFailed = true;
    }
}

BatchProgress BatchJob::Impl::progressOf(const BatchSummary& sum) const {
    BatchProgress p;
    p.done = sum.total();
    if (totalKnown) p.total = total.load();
    p.ok = sum.ok;
    p.invalid = sum.invalid;
    p.errors = sum.errors;
    p.skipped = sum.skipped;
    p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    return p;
}

void BatchJob::Impl::settleCounts(BatchSummary& sum) {
    sum.cancelled = cancelled();
    if (sum.cancelled && !totalKnown) {
        std::atomic<bool> never{false};
        if (auto n = countRecords(opt.inputs, never)) {
            total = *n;
            totalKnown = true;
        }
    }
    if (sum.cancelled && !totalKnown) sum.notProcessedExact = false;
    // Nothing read from inputs that are not empty: wrong extension, wrong folder, or a format
    // lecert does not know. Exit 0 would hide it.
    if (!sum.cancelled && !sum.fatal && sum.total() == 0 && anyNonEmptyInput(opt.inputs))
        sum.fatal = Error{
            "no records found in the inputs (a folder is read for .json and .jsonl "
            "files; a file must hold a JSON object, an array or JSON Lines)",
            {}};
    if (sum.cancelled && totalKnown && total > sum.total() + sum.notProcessed)
        sum.notProcessed = total - sum.total();
}

void BatchJob::Impl::commit(BatchSummary& sum) {
    // One flush to disk for everything this run wrote (the outputs are written Deferred).
    if (const int dfd = ::open(opt.outDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        if (::syncfs(dfd) != 0 && !sum.fatal)
            sum.fatal =
                Error{std::string("cannot flush the outputs to disk: ") + std::strerror(errno),
                      {opt.outDir, 0, 0, {}}};
        ::close(dfd);
    }
    if (auto st = manifests->close(); !st && !sum.fatal) sum.fatal = st.error();
    if (!report) return;
    const bool flushed = std::fflush(report) == 0 && ::fsync(::fileno(report)) == 0;
    const bool closed = std::fclose(report) == 0;
    report = nullptr;
    if (reportFailed || !flushed || !closed ||
        std::rename(reportTmp.c_str(), opt.reportPath.c_str()) != 0) {
        sum.fatal = Error{std::string("cannot write the report: ") + std::strerror(errno),
                          {opt.reportPath, 0, 0, {}}};
        ::unlink(reportTmp.c_str());
    }
}

}  // namespace lecert
