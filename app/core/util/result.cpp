// SPDX-License-Identifier: MIT
#include "core/util/result.h"

namespace lecert {

std::string Error::toString() const {
    std::string out;
    if (!where.file.empty()) {
        out += where.file;
        if (where.line > 0) {
            out += ':' + std::to_string(where.line);
            if (where.column > 0) out += ':' + std::to_string(where.column);
        }
        out += ": ";
    }
    if (!where.field.empty()) out += where.field + ": ";
    out += message;
    return out;
}

}  // namespace lecert
