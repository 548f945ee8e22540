// SPDX-License-Identifier: MIT
// bench_official: official-form fill per record (OfficialRenderer: the official PDF parsed
// once per worker, then one incremental update per record), one thread and -j N.
//   bench_official --official FORM.pdf [--record R.json] [-n N] [-j N] [--cover]
// FORM.pdf: the official I-918B, or the test stand-in (build/<preset>/tests/make_official_standin
// DIR).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/jobs/fill_job.h"
#include "core/util/date.h"
#include "core/util/json_io.h"

using namespace lecert;

int main(int argc, char** argv) {
    std::string official,
        recordPath = std::string(LECERT_BENCH_SOURCE_DIR) + "/examples/i918b-001-full.json";
    int n = 500, jobs = 2;
    bool cover = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--official")
            official = next();
        else if (a == "--record")
            recordPath = next();
        else if (a == "-n")
            n = std::atoi(next().c_str());
        else if (a == "-j")
            jobs = std::atoi(next().c_str());
        else if (a == "--cover")
            cover = true;
        else {
            std::cerr << "usage: bench_official --official FORM.pdf [--record R.json] [-n N] [-j "
                         "N] [--cover]\n";
            return 2;
        }
    }
    if (official.empty() || n <= 0 || jobs <= 0) {
        std::cerr << "bench_official: --official FORM.pdf is required\n";
        return 2;
    }
    auto text = readFile(recordPath);
    if (!text) return std::cerr << text.error().toString() << "\n", 2;
    auto json = parseJson(*text, recordPath);
    if (!json) return std::cerr << json.error().toString() << "\n", 2;
    normalizeRecord(*json);
    const Record record(*json);
    RenderOptions ro;
    ro.noCover = !cover;
    ro.today = Date::parseIso("2026-11-28");

    for (int threads : {1, jobs}) {
        std::vector<std::thread> pool;
        std::vector<std::size_t> bytes(static_cast<std::size_t>(threads));
        std::vector<int> failures(static_cast<std::size_t>(threads));
        const auto t0 = std::chrono::steady_clock::now();
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t]() {
                OfficialRenderer renderer({});
                for (int i = t; i < n; i += threads) {
                    auto out = renderer.renderWith(record, ro, official);
                    if (!out) {
                        if (!failures[static_cast<std::size_t>(t)]++)
                            std::cerr << out.error().toString() << "\n";
                        continue;
                    }
                    bytes[static_cast<std::size_t>(t)] += out->form.size() + out->cover.size();
                }
            });
        }
        for (auto& th : pool) th.join();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::size_t total = 0;
        int failed = 0;
        for (int t = 0; t < threads; ++t) {
            total += bytes[static_cast<std::size_t>(t)];
            failed += failures[static_cast<std::size_t>(t)];
        }
        std::printf(
            "-j %d  %d records  %.1f records/s  %.2f ms/record (wall)  %zu bytes/record  %d "
            "failed\n",
            threads, n, n / s, 1000.0 * s / n, total / static_cast<std::size_t>(n), failed);
        if (threads == jobs) break;
    }
    return 0;
}
