// SPDX-License-Identifier: MIT
#pragma once
// Error and Result<T>: public core functions return these instead of throwing.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lecert {

// `s` with every control character (C0, DEL, and C1 encoded in UTF-8) written as \xNN or
// \u00NN, so that a message, a file name or free text never drives a terminal.
std::string escapeControls(std::string_view s);

// Where an error happened. Any part may be empty/zero when it does not apply.
struct Location {
    std::string file;   // source file name as given by the caller
    int line = 0;       // 1-based, 0 = unknown
    int column = 0;     // 1-based, 0 = unknown
    std::string field;  // record field path, e.g. "crime.dates[1]"
};

// An error with a human-readable message (no victim data in it) and a location.
struct Error {
    std::string message;
    Location where;

    // "file:line:col: field: message", leaving out the parts that are empty; control
    // characters escaped (escapeControls).
    std::string toString() const;
};

// Either a value or an Error. Check ok() (or operator bool) first: value() on an error, or
// error() on a value, is a bug in the caller and throws std::bad_variant_access (std::get),
// in every build type.
template <class T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<T>(m_v); }
    const T& value() const { return std::get<T>(m_v); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<Error>(m_v); }

private:
    std::variant<T, Error> m_v;
};

// Result for operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace lecert
