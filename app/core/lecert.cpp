// SPDX-License-Identifier: MIT
#include "core/lecert.h"

#include <mutex>

namespace lecert {

void initialize() {
    static std::once_flag once;
    std::call_once(once, [] {});
}

std::string version() {
    return LECERT_VERSION;
}

}  // namespace lecert
