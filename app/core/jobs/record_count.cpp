// SPDX-License-Identifier: MIT
#include "core/jobs/record_count.h"

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/jobs/record_reader.h"
#include "core/util/json_io.h"

namespace lecert {

namespace fs = std::filesystem;

std::size_t countFileRecords(const std::string& path, const std::atomic<bool>& stop) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return 1;  // reported as one unreadable item
    const bool lines = isJsonLinesPath(path);
    std::vector<char> buf(1 << 16);
    std::size_t count = 0;
    bool lineHasText = false;
    enum class State { Start, Array } state = State::Start;
    JsonScanner scan;  // the array's own '[' is not fed: depth 0 is "between elements"
    bool expectElement = true;
    while (in && !stop) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < n; ++i) {
            const char c = buf[i];
            const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (lines) {
                if (c == '\n') {
                    count += lineHasText ? 1 : 0;
                    lineHasText = false;
                } else if (!space) {
                    lineHasText = true;
                }
                continue;
            }
            if (state == State::Start) {
                if (space || c == '\xEF' || c == '\xBB' || c == '\xBF') continue;
                if (c != '[') return 1;
                state = State::Array;
                continue;
            }
            if (!scan.inString() && !space && scan.depth() == 0) {
                if (c == ',') {
                    expectElement = true;
                    continue;
                }
                if (c == ']') return count;
                if (expectElement) {
                    ++count;
                    expectElement = false;
                }
            }
            scan.feed(c);
        }
    }
    if (lines && lineHasText) ++count;
    if (!lines && state == State::Start) return 1;
    return count;
}

std::optional<std::size_t> countRecords(const std::vector<std::string>& inputs,
                                        const std::atomic<bool>& stop) {
    const auto files = expandRecordInputs(inputs);
    std::uintmax_t bytes = 0;
    std::error_code e;
    for (const auto& f : files) {
        const auto n = fs::file_size(f, e);
        if (!e) bytes += n;
    }
    if (bytes > 256u * 1024u * 1024u) return std::nullopt;
    std::size_t n = 0;
    for (const auto& f : files) {
        if (stop) return std::nullopt;
        n += countFileRecords(f, stop);
    }
    return n;
}

}  // namespace lecert
