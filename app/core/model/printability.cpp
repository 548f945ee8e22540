// SPDX-License-Identifier: MIT
#include "core/model/printability.h"

#include <cstdio>

namespace lecert {

std::string unprintableMessage(const std::vector<char32_t>& missing) {
    std::string list;
    char buf[16];
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) {
        std::snprintf(buf, sizeof buf, "%sU+%04X", i ? ", " : "",
                      static_cast<unsigned>(missing[i]));
        list += buf;
    }
    if (missing.size() > 5) list += ", …";
    return std::to_string(missing.size()) + " character" + (missing.size() == 1 ? "" : "s") + " (" +
           list +
           ") cannot be printed with lecert's fonts and would be missing from the PDF; check the "
           "spelling or use a Latin transliteration.";
}

}  // namespace lecert
