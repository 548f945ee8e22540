// SPDX-License-Identifier: MIT
#pragma once
// Typed fields of lecert's own JSON data files (form definitions, edition maps): each reader
// keeps the first problem with the path where it was found, so a broken data file is reported
// once, precisely, instead of half-loaded.

#include <optional>
#include <string>
#include <vector>

#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

struct DataFileReader {
    std::string source;  // the file's path, for the error's location
    std::optional<Error> err;

    void fail(const std::string& where, const std::string& what);
    // The string at `key`; empty when absent or null (an error when `required`) or not a string.
    std::string str(const Json& j, const char* key, const std::string& where,
                    bool required = false);
    // The array of strings at `key`; empty when absent or null.
    std::vector<std::string> strings(const Json& j, const char* key, const std::string& where);
};

}  // namespace lecert
