// SPDX-License-Identifier: MIT
// libFuzzer: the streaming reader over a file, read as an array / object (.json) and as JSON
// Lines (.jsonl); every item must be a record or an error, never a crash or a hang.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/jobs/record_reader.h"

namespace {
std::string tempFile(const char* ext, const std::uint8_t* data, std::size_t size) {
    static const std::string dir = [] {
        char tmpl[] = "/tmp/lecert-fuzz-XXXXXX";
        const char* d = ::mkdtemp(tmpl);
        return std::string(d ? d : "/tmp");
    }();
    const std::string path = dir + "/input" + ext;
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (const char* ext : {".json", ".jsonl"}) {
        lecert::RecordReader reader({tempFile(ext, data, size)}, 1u << 20);
        lecert::RecordItem item;
        std::size_t n = 0;
        while (reader.next(item)) {
            if (!item.record && !item.error) std::abort();  // one or the other, always
            if (++n > size + 2) std::abort();               // never more items than bytes
        }
    }
    return 0;
}
