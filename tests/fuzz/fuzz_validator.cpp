// SPDX-License-Identifier: MIT
// libFuzzer: a record that parses is validated (both forms' rules) without crashing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/jobs/record_reader.h"
#include "core/rules/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    lecert::RecordItem item;
    item.source = "fuzz.json";
    item.text.assign(reinterpret_cast<const char*>(data), size);
    lecert::RecordReader::parseInto(item);
    if (!item.record) return 0;
    lecert::ValidationOptions vo;
    vo.today = lecert::Date::parseIso("2026-11-28");
    const auto issues = lecert::validateRecord(*item.record, vo);
    for (const auto& i : issues) (void)lecert::issueToJson(i);
    return 0;
}
