// SPDX-License-Identifier: MIT
// libFuzzer: `lecert extract`'s PDF reading (qpdf, the attachment with its size limit).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/pdf/pdf_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string pdf(reinterpret_cast<const char*>(data), size);
    (void)lecert::pdf::readAttachment(pdf, "record.json", {}, 1u << 20);
    (void)lecert::pdf::isEncrypted(pdf);
    return 0;
}
