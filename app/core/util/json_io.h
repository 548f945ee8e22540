// SPDX-License-Identifier: MIT
#pragma once
// Reading and writing JSON and files safely: limits against hostile input, precise error
// locations, atomic writes.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"  // writeFileAtomic, once declared here
#include "core/util/result.h"

namespace lecert {

// Records keep key order so that a saved draft diffs cleanly against the loaded one.
using Json = nlohmann::ordered_json;

struct JsonLimits {
    std::size_t maxDepth = 64;                    // deeper nesting is rejected before parsing
    std::size_t maxBytes = 512u * 1024u * 1024u;  // larger documents are rejected
    // Members of one object: keys are kept in order, so each insertion is a linear search and
    // 50,000 keys would cost seconds; more than this is rejected while parsing.
    std::size_t maxObjectMembers = 10000;
    // Entries of one array: a record's lists are capped far lower (RecordReader), but parsing
    // 200,000 of them first already costs seconds.
    std::size_t maxArrayItems = 10000;
};

// Tracks, byte by byte, whether JSON text is inside a string literal and how deep the
// containers are: the one string-aware scanner behind the depth check, the array streamer
// (RecordReader) and the record counter (BatchJob), so that a '{' inside a string never counts.
class JsonScanner {
public:
    // Feeds one byte. True when the byte is outside every string and is not a quote that opens
    // or closes one (a structural character, white space or part of a literal or number).
    bool feed(char c) {
        if (m_inString) {
            if (m_escape)
                m_escape = false;
            else if (c == '\\')
                m_escape = true;
            else if (c == '"')
                m_inString = false;
            return false;
        }
        if (c == '"') {
            m_inString = true;
            return false;
        }
        if (c == '{' || c == '[')
            ++m_depth;
        else if ((c == '}' || c == ']') && m_depth > 0)
            --m_depth;
        return true;
    }
    bool inString() const { return m_inString; }
    std::size_t depth() const { return m_depth; }

private:
    bool m_inString = false;
    bool m_escape = false;
    std::size_t m_depth = 0;
};

// Parses one JSON document. Errors carry `source` and the 1-based line and column (columns
// count characters, not bytes); messages never quote the input (it may hold victim data).
// Handles: empty input, UTF-8 BOM (skipped), UTF-16/32 (rejected with advice), invalid UTF-8,
// nesting deeper than limits.maxDepth, syntax errors, a key that appears twice in one object
// and a NUL character (\u0000) in any string or key (both errors name the key path).
Result<Json> parseJson(std::string_view text, const std::string& source,
                       const JsonLimits& limits = {});

// Line and column (1-based; column in characters) of byte offset `offset` in `text`.
void lineColumnAt(std::string_view text, std::size_t offset, int& line, int& column);

// Reads a whole file (binary). Fails with a clear message if missing, unreadable, a directory,
// or larger than maxBytes.
Result<std::string> readFile(const std::string& path, std::size_t maxBytes = 512u * 1024u * 1024u);

// Serialises with stable formatting (2-space indent, UTF-8 kept as is, trailing newline).
std::string dumpPretty(const Json& j);

// Canonical compact form: keys sorted, no white space, UTF-8 as is. Used for hashes.
std::string dumpCanonical(const Json& j);

// Short name of a JSON value's type for messages: "string", "number", "object", ...
std::string jsonTypeName(const Json& j);

}  // namespace lecert
