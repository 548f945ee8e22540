// SPDX-License-Identifier: MIT
#pragma once
// Reading and writing JSON and files safely: limits against hostile input, precise error
// locations, atomic writes.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/util/result.h"

namespace lecert {

// Records keep key order so that a saved draft diffs cleanly against the loaded one.
using Json = nlohmann::ordered_json;

struct JsonLimits {
    std::size_t maxDepth = 64;                    // deeper nesting is rejected before parsing
    std::size_t maxBytes = 512u * 1024u * 1024u;  // larger documents are rejected
};

// Parses one JSON document. Errors carry `source` and the 1-based line and column (columns
// count characters, not bytes); messages never quote the input (it may hold victim data).
// Handles: empty input, UTF-8 BOM (skipped), UTF-16/32 (rejected with advice), invalid UTF-8,
// nesting deeper than limits.maxDepth, syntax errors.
Result<Json> parseJson(std::string_view text, const std::string& source,
                       const JsonLimits& limits = {});

// Line and column (1-based; column in characters) of byte offset `offset` in `text`.
void lineColumnAt(std::string_view text, std::size_t offset, int& line, int& column);

// Reads a whole file (binary). Fails with a clear message if missing, unreadable, a directory,
// or larger than maxBytes.
Result<std::string> readFile(const std::string& path, std::size_t maxBytes = 512u * 1024u * 1024u);

// Writes `data` to `path` atomically: a temporary file beside it, fsync, rename. `mode` is the
// permission of the new file (0600 for drafts). On failure the target is untouched and no
// temporary file is left behind.
Status writeFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644);

// Serialises with stable formatting (2-space indent, UTF-8 kept as is, trailing newline).
std::string dumpPretty(const Json& j);

// Canonical compact form: keys sorted, no white space, UTF-8 as is. Used for hashes.
std::string dumpCanonical(const Json& j);

// Short name of a JSON value's type for messages: "string", "number", "object", ...
std::string jsonTypeName(const Json& j);

}  // namespace lecert
