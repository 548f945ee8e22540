// SPDX-License-Identifier: MIT
#pragma once
// Record: one Supplement B worksheet as JSON (record format v1), addressed by field paths
// such as "victim.family_name", "crime.dates[2]", "family.members[0].relationship".

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/util/json_io.h"

namespace lecert {

// One step of a field path: an object key or an array index.
using PathSegment = std::variant<std::string, std::size_t>;

// A parsed field path. parse() accepts `a.b[2].c`; toString() gives it back.
class FieldPath {
public:
    FieldPath() = default;
    static std::optional<FieldPath> parse(std::string_view text);

    FieldPath child(std::string_view key) const;
    FieldPath element(std::size_t index) const;
    const std::vector<PathSegment>& segments() const { return m_segments; }
    bool empty() const { return m_segments.empty(); }
    std::string toString() const;
    // The path with every index replaced by "[]", e.g. "family.members[].relationship".
    std::string pattern() const;

private:
    std::vector<PathSegment> m_segments;
};

// Joins a parent path and a key ("" + "victim" = "victim").
std::string joinPath(std::string_view parent, std::string_view key);
std::string indexPath(std::string_view parent, std::size_t index);

// Value at `path` in `root`, or nullptr when any step is missing or of the wrong kind.
const Json* jsonAt(const Json& root, std::string_view path);
// Sets the value at `path`, creating objects/arrays on the way (arrays grow with nulls).
// Returns false when the path is malformed or crosses a value of another kind.
bool jsonSet(Json& root, std::string_view path, Json value);
// Removes the value at `path`; removing an array element shifts the later ones. False if absent.
bool jsonErase(Json& root, std::string_view path);

// The two forms lecert handles.
enum class FormId { I918B, I914B };
std::optional<FormId> formFromString(std::string_view s);
std::string_view formToString(FormId f);

// A record: the JSON object plus typed convenience accessors. Copyable, cheap to move.
class Record {
public:
    Record() : m_json(Json::object()) {}
    explicit Record(Json json) : m_json(std::move(json)) {}

    Json& json() { return m_json; }
    const Json& json() const { return m_json; }

    std::optional<FormId> form() const;
    const Json* get(std::string_view path) const { return jsonAt(m_json, path); }
    // String value at path, or "" when absent or not a string.
    std::string string(std::string_view path) const;
    // Boolean at path; nullopt when absent (not answered) or not a boolean.
    std::optional<bool> boolean(std::string_view path) const;
    bool has(std::string_view path) const;  // present and not null
    bool set(std::string_view path, Json value) { return jsonSet(m_json, path, std::move(value)); }
    bool erase(std::string_view path) { return jsonErase(m_json, path); }

private:
    Json m_json;
};

// Normalises a record in place as the record format requires: every string trimmed and NFC
// (except under "review", whose hashes cover the exact text), dates in MM/DD/YYYY turned into
// YYYY-MM-DD, A-Number to 9 digits without "A". Values of the wrong type are left for the
// validator to report. Never fails.
void normalizeRecord(Json& record);

// Normalises one A-Number ("A-123-456-789", "a12345678", "12345678") to 9 digits; nullopt when
// it does not have 7 to 9 digits after removing "A", spaces, dashes and dots.
std::optional<std::string> normalizeANumber(std::string_view s);

// Digits of a US phone number plus extension; nullopt when not 10 digits (11 with a leading 1).
struct Phone {
    std::string digits;             // 10 digits
    std::string extension;          // may be empty
    std::string formatted() const;  // (555) 010-1234 x12
};
std::optional<Phone> parsePhone(std::string_view s);

}  // namespace lecert
