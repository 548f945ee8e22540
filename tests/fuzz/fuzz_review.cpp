// SPDX-License-Identifier: MIT
// libFuzzer: review history verification, signatures and the cover's approval line on any
// record (hostile `review` keys included).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/jobs/record_reader.h"
#include "core/review/review.h"
#include "core/review/signing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    lecert::RecordItem item;
    item.source = "fuzz.json";
    item.text.assign(reinterpret_cast<const char*>(data), size);
    lecert::RecordReader::parseInto(item);
    if (!item.record) return 0;
    const lecert::Json& j = item.record->json();
    (void)lecert::review::verifyChain(j);
    (void)lecert::review::summarize(j);
    (void)lecert::review::events(j);
    (void)lecert::review::comments(j);
    (void)lecert::review::changesSinceLastReview(j);
    static const lecert::review::TrustStore trust;
    (void)lecert::review::verifySignatures(j, trust);
    (void)lecert::review::approvalLine(j, trust);
    return 0;
}
