// SPDX-License-Identifier: MIT
#pragma once
// Where lecert finds its data folders (forms/, templates/).

#include <string>

namespace lecert {

// The folder holding forms/ and templates/: $LECERT_DATA_DIR if set, else the installed share
// folder next to the executable (../share/lecert), else the installed prefix, else the source
// tree this binary was built from.
std::string dataDir();

// dataDir() + "/" + relative
std::string dataPath(const std::string& relative);

}  // namespace lecert
