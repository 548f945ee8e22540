// SPDX-License-Identifier: MIT
// bench_batch: generates N synthetic, fictional records (both forms; some non-Latin names,
// some long narratives) as one .jsonl file, then runs BatchJob over them once per -j value,
// each run in a child process so that its peak memory (ru_maxrss) is its own. Reports
// records/s, ms per record, output bytes per record and peak RSS. Not run by the tests.
//
//   bench_batch [-n N] [-j 1,2] [--latin-only] [--no-cover] [--dir DIR] [--keep] [--array]

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/jobs/batch_job.h"
#include "core/lecert.h"
#include "core/util/atomic_file.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

#include <zlib.h>

using namespace lecert;
namespace fs = std::filesystem;

namespace {

struct Args {
    std::size_t n = 1000;
    std::vector<unsigned> jobs;
    bool latinOnly = false;
    bool noCover = false;
    bool keep = false;
    bool array = false;
    std::string dir;
};

const char* kLatinFamily[] = {"Rivera",  "Okafor", "Hansen",    "Moreau", "Silva",    "Kowalski",
                              "Brennan", "Duarte", "Lindqvist", "Mensah", "Castillo", "Novak",
                              "Fischer", "Abara",  "Quinn",     "Serrano"};
const char* kLatinGiven[] = {"Ana",    "Grace", "Tomas",   "Lucia", "Samuel", "Marta",
                             "Daniel", "Irene", "Kofi",    "Elena", "Pablo",  "Nadia",
                             "Oskar",  "Rosa",  "Ibrahim", "Clara"};
// Fictional names in other scripts: Cyrillic, Arabic, Chinese, Vietnamese, Greek, Korean.
const char* kOtherFamily[] = {"Иванова",      "حداد", "王",       "Nguyễn",
                              "Παπαδοπούλου", "김",   "Петренко", "الزين"};
const char* kOtherGiven[] = {"Мария", "ليلى", "小明", "Thị Hoa", "Ελένη", "서연", "Олена", "سارة"};

const char* kSentences[] = {
    "The victim reported that the suspect confiscated her identity documents on arrival.",
    "Detectives interviewed the victim on three occasions with a qualified interpreter present.",
    "She described the locations, the vehicles used and the names of two other workers.",
    "The information she provided led to a search warrant and the recovery of financial records.",
    "Her account was consistent with the physical evidence collected at the scene.",
    "She continues to respond to reasonable requests from the prosecutor's office.",
};

std::string narrative(std::mt19937& rng, int sentences) {
    std::string s;
    for (int i = 0; i < sentences; ++i) {
        if (i) s += (i % 5 == 0) ? "\n\n" : " ";
        s += kSentences[rng() % std::size(kSentences)];
    }
    return s;
}

std::string two(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02u", v % 100u);
    return b;
}

// One valid record (valid with today = 2026-11-28).
Json makeRecord(std::size_t i, std::mt19937& rng, bool latinOnly) {
    const bool t = i % 5 == 2 || i % 5 == 4;  // 40 % I-914B
    const bool other = !latinOnly && i % 10 == 3;
    const bool longText = i % 10 == 7;
    Json r = Json::object();
    r["form"] = t ? "i914b" : "i918b";
    char id[32];
    std::snprintf(id, sizeof id, "bench-%07zu", i);
    r["id"] = id;
    Json victim = Json::object();
    victim["family_name"] = other ? kOtherFamily[rng() % std::size(kOtherFamily)]
                                  : kLatinFamily[rng() % std::size(kLatinFamily)];
    victim["given_name"] = other ? kOtherGiven[rng() % std::size(kOtherGiven)]
                                 : kLatinGiven[rng() % std::size(kLatinGiven)];
    victim["date_of_birth"] =
        std::to_string(1965 + rng() % 35) + "-" + two(1 + rng() % 12) + "-" + two(1 + rng() % 28);
    victim["gender"] = rng() % 2 ? "female" : "male";
    if (rng() % 2) victim["a_number"] = "0" + std::to_string(10000000 + rng() % 89999999);
    r["victim"] = victim;
    Json agency = Json::parse(R"({"name": "Riverton Police Department", "type": "local",
        "official": {"family_name": "Okafor", "given_name": "Grace", "title": "Chief of Police",
                     "phone": "(555) 010-2345", "email": "g.okafor@riverton.example.gov"},
        "address": {"street": "100 Main Street", "city": "Riverton", "state": "WY", "zip": "82501"}})");
    agency["case_number"] = "RPD-2026-" + std::to_string(1000 + i);
    r["family"] = Json{{"implicated", false}};
    r["certification"] = Json{{"signature_date", "2026-11-02"}};
    r["assistance"] = Json::parse(
        R"({"victim_specialist": {"contacted": true, "organization": "Riverton Victim Services",
        "name": "Dana Whitfield", "phone": "(555) 010-7788"},
        "services": ["medical", "legal", "case_management", "interpretation"],
        "interpreter": {"used": true, "language": "Spanish"},
        "continued_presence": {"status": "not_applicable"}})");
    const int sentences = longText ? 40 : 3;
    if (!t) {
        agency["category"] = "law_enforcement";
        agency["official"]["role"] = "head";
        agency["case_status"] = "ongoing";
        r["crime"] = Json::parse(
            R"({"activities": ["felonious_assault", "extortion"], "dates": ["2026-03-14"],
            "citations": "Wyo. Stat. 6-2-502; 6-2-402", "occurred_in_us": true, "injury": "Broken wrist."})");
        r["crime"]["description"] = narrative(rng, sentences);
        r["helpfulness"] = Json::parse(
            R"({"possesses_information": true, "helpful": true, "refused_or_failed": false})");
        r["helpfulness"]["description"] = narrative(rng, longText ? 20 : 2);
    } else {
        agency["supervisor"] =
            Json::parse(R"({"family_name": "Lee", "given_name": "Sam", "title": "Captain"})");
        r["trafficking"] =
            Json::parse(R"({"types": ["labor_trafficking"], "labor_purposes": ["debt_bondage"],
            "start_date": "2025-02-01", "end_date": "2025-09-30", "location": "Riverton, WY",
            "citations": "18 U.S.C. 1589", "database_inquiries": "No records found."})");
        r["trafficking"]["description"] = narrative(rng, sentences);
        r["cooperation"] =
            Json{{"complied_with_requests", true}, {"description", narrative(rng, 2)}};
        r["assistance"]["continued_presence"] = Json::parse(R"({"status": "requested",
            "requested_date": "2026-10-01", "federal_sponsor": "HSI Riverton"})");
    }
    r["agency"] = agency;
    return r;
}

struct RunResult {
    bool ok = false;
    BatchSummary summary;
    double wall = 0, user = 0, sys = 0;
    long maxRssKb = 0;
    std::uintmax_t outBytes = 0;
};

// Waits for the child `pid`, started at `start`, to end: its exit status in `status`, and its
// wall time, CPU times and peak memory.
RunResult waitForChild(pid_t pid, std::chrono::steady_clock::time_point start, int& status) {
    struct rusage ru {};
    ::wait4(pid, &status, 0, &ru);
    RunResult r;
    r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.user =
        static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
    r.sys =
        static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6;
    r.maxRssKb = ru.ru_maxrss;
    return r;
}

RunResult runOnce(const Args& a, const std::string& input, unsigned jobs,
                  const std::string& outDir) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        BatchOptions o;
        o.inputs = {input};
        o.outDir = outDir;
        o.jobs = jobs;
        o.reportPath = outDir + "/../report-j" + std::to_string(jobs) + ".jsonl";
        o.render.today = Date::parseIso("2026-11-28");
        o.render.noCover = a.noCover;
        const BatchSummary s = BatchJob(o).run();
        char buf[256];
        const int len = std::snprintf(buf, sizeof buf, "%zu %zu %zu %zu %d", s.ok, s.invalid,
                                      s.errors, s.skipped, s.fatal ? 1 : 0);
        if (::write(fds[1], buf, static_cast<std::size_t>(len)) < 0) ::_exit(3);
        ::_exit(0);
    }
    ::close(fds[1]);
    char buf[256] = {};
    std::size_t got = 0;
    for (ssize_t n; (n = ::read(fds[0], buf + got, sizeof buf - 1 - got)) > 0;)
        got += static_cast<std::size_t>(n);
    ::close(fds[0]);
    int status = 0;
    RunResult r = waitForChild(pid, start, status);
    int fatal = 0;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           std::sscanf(buf, "%zu %zu %zu %zu %d", &r.summary.ok, &r.summary.invalid,
                       &r.summary.errors, &r.summary.skipped, &fatal) == 5 &&
           !fatal;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(outDir, ec)) {
        if (e.is_regular_file()) r.outBytes += e.file_size();
    }
    return r;
}

// The floor: only the work no renderer can avoid, per record: deflate the record's values
// (twice, form and cover), hash the input and both outputs, create/write/rename the two output
// files with the same sizes as lecert's, append one log line; one syncfs at the end. Same
// threads and same measurement (a child process, rusage) as the lecert run.
// The child reads the input itself: lines held by this process would be in every child's
// resident set, lecert's run included, and inflate its peak memory by the input's size.
RunResult runFloor(const std::string& input, std::size_t records, unsigned jobs,
                   std::size_t outBytes, const std::string& outDir) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<std::string> lines;
        {
            std::ifstream in(input, std::ios::binary);
            for (std::string l; std::getline(in, l);) lines.push_back(l);
        }
        fs::create_directories(outDir + "/.lecert-batch");
        const int logFd = ::open((outDir + "/.lecert-batch/manifest.log").c_str(),
                                 O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        const std::size_t formBytes = outBytes * 4 / 7, coverBytes = outBytes - formBytes;
        const std::string fixed(outBytes, 'x');  // the record-independent bytes, copied
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < jobs; ++t) {
            threads.emplace_back([&, t] {
                z_stream z{};
                deflateInit(&z, Z_DEFAULT_COMPRESSION);
                std::string packed(1 << 16, '\0');
                for (std::size_t i = t; i < lines.size(); i += jobs) {
                    const std::string& text = lines[i];
                    std::string log = sha256Hex(text);
                    for (int k = 0; k < 2; ++k) {
                        deflateReset(&z);
                        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
                        z.avail_in = static_cast<uInt>(text.size());
                        z.next_out = reinterpret_cast<Bytef*>(packed.data());
                        z.avail_out = static_cast<uInt>(packed.size());
                        deflate(&z, Z_FINISH);
                        std::string out = fixed.substr(0, k ? coverBytes : formBytes);
                        std::memcpy(out.data(), packed.data(), std::min(out.size(), z.total_out));
                        log += sha256Hex(out);
                        const std::string path =
                            outDir + "/f" + std::to_string(i) + (k ? "-cover.pdf" : ".pdf");
                        (void)writeFileAtomic(path, out, 0600, Durability::Deferred);
                    }
                    log += '\n';
                    if (::write(logFd, log.data(), log.size()) < 0) ::_exit(3);
                }
                deflateEnd(&z);
            });
        }
        for (auto& th : threads) th.join();
        const int dfd = ::open(outDir.c_str(), O_RDONLY | O_DIRECTORY);
        ::syncfs(dfd);
        ::_exit(0);
    }
    int status = 0;
    RunResult r = waitForChild(pid, start, status);
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    r.summary.ok = records;
    r.outBytes = outBytes * records;
    return r;
}

bool parseArgs(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (s == "-n")
            a.n = std::strtoull(value().c_str(), nullptr, 10);
        else if (s == "-j") {
            const std::string v = value();
            for (std::size_t p = 0; p < v.size();) {
                const std::size_t q = v.find(',', p);
                a.jobs.push_back(
                    static_cast<unsigned>(std::strtoul(v.substr(p, q - p).c_str(), nullptr, 10)));
                p = q == std::string::npos ? v.size() : q + 1;
            }
        } else if (s == "--latin-only")
            a.latinOnly = true;
        else if (s == "--no-cover")
            a.noCover = true;
        else if (s == "--keep")
            a.keep = true;
        else if (s == "--array")
            a.array = true;
        else if (s == "--dir")
            a.dir = value();
        else {
            std::cerr << "usage: bench_batch [-n N] [-j 1,2] [--latin-only] [--no-cover] [--array] "
                         "[--dir DIR] [--keep]\n";
            return false;
        }
    }
    if (a.jobs.empty()) a.jobs = {1, std::max(1u, std::thread::hardware_concurrency())};
    return a.n > 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    if (!parseArgs(argc, argv, a)) return 2;
    std::string dir = a.dir;
    if (dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "lecert-bench-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) return 2;
        dir = tmpl;
    }
    fs::create_directories(dir);
    const std::string input = dir + (a.array ? "/records.json" : "/records.jsonl");
    {
        std::ofstream out(input, std::ios::binary);
        std::mt19937 rng(20261128);
        if (a.array) out << "[\n";
        for (std::size_t i = 0; i < a.n; ++i) {
            if (a.array && i) out << ",\n";
            out << makeRecord(i, rng, a.latinOnly).dump();
            if (!a.array) out << "\n";
        }
        if (a.array) out << "\n]\n";
        if (!out) {
            std::cerr << "cannot write " << input << "\n";
            return 2;
        }
    }
    std::printf("lecert %s bench_batch: %zu records (%s), input %.1f MB, %s, cores %u\n",
                version().c_str(), a.n, a.latinOnly ? "Latin names only" : "10% non-Latin names",
                static_cast<double>(fs::file_size(input)) / 1e6,
                a.noCover ? "form only" : "form + cover", std::thread::hardware_concurrency());
    std::printf("%-7s %4s %9s %9s %10s %10s %12s %9s %9s %8s %9s\n", "run", "-j", "records",
                "wall s", "records/s", "ms/record", "bytes/record", "user ms", "sys ms", "peak MB",
                "x floor");
    auto print = [&](const char* what, unsigned j, const RunResult& r, double floorCpu) {
        const double n = static_cast<double>(a.n);
        const double cpu = 1000.0 * (r.user + r.sys) / n;
        std::printf("%-7s %4u %9zu %9.2f %10.1f %10.2f %12.0f %9.3f %9.3f %8.1f %9.2f\n", what, j,
                    r.summary.ok, r.wall, n / r.wall, 1000.0 * r.wall / n,
                    static_cast<double>(r.outBytes) / n, 1000.0 * r.user / n, 1000.0 * r.sys / n,
                    static_cast<double>(r.maxRssKb) / 1024.0, floorCpu > 0 ? cpu / floorCpu : 1.0);
        std::fflush(stdout);
    };
    int rc = 0;
    // Every run writes into a folder of its own that no earlier run used, and nothing is
    // deleted until all runs are done: mass deletions just before a run make ext4 skip the
    // recently freed inodes and inflate the kernel time (issue 14).
    std::vector<std::string> made;
    for (unsigned j : a.jobs) {
        const std::string outDir = dir + "/out-j" + std::to_string(j);
        made.push_back(outDir);
        const RunResult r = runOnce(a, input, j, outDir);
        if (!r.ok || r.summary.ok != a.n) {
            std::fprintf(stderr, "-j %u: run failed (ok %zu, invalid %zu, errors %zu)\n", j,
                         r.summary.ok, r.summary.invalid, r.summary.errors);
            rc = 1;
        }
        const std::string floorDir = dir + "/floor-j" + std::to_string(j);
        made.push_back(floorDir);
        fs::create_directories(floorDir);
        const RunResult f =
            runFloor(input, a.n, j, r.outBytes / std::max<std::size_t>(1, a.n), floorDir);
        const double floorCpu = 1000.0 * (f.user + f.sys) / static_cast<double>(a.n);
        print("lecert", j, r, floorCpu);
        print("floor", j, f, floorCpu);
    }
    if (!a.keep)
        for (const auto& d : made) {
            std::error_code ec;
            fs::remove_all(d, ec);
        }
    if (!a.keep && a.dir.empty()) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    return rc;
}
