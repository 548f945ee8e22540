// SPDX-License-Identifier: MIT
// libFuzzer: parseJson + RecordReader::parseInto (one record's text, as a lone object).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/jobs/record_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    lecert::RecordItem item;
    item.source = "fuzz.json";
    item.line = 1;
    item.text.assign(reinterpret_cast<const char*>(data), size);
    lecert::RecordReader::parseInto(item);
    if (item.error) (void)item.error->toString();
    return 0;
}
