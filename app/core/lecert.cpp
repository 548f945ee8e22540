// SPDX-License-Identifier: MIT
#include "core/lecert.h"

namespace lecert {

std::string version() {
    return LECERT_VERSION;
}

}  // namespace lecert
