// SPDX-License-Identifier: MIT
#pragma once
// Pieces shared by the register's implementation files (not a public header).

#include <cstdint>
#include <string>

#include "core/register/register.h"

namespace lecert::reg {

// Location.field values that classify register errors (see isVersionConflict()).
inline constexpr const char* kConflictField = "register.version";
inline constexpr const char* kPermissionField = "register.permission";
inline constexpr const char* kConnectionField = "register.connection";

// The user acting, as the register's users table knows them.
struct Actor {
    std::string name;
    RegisterRole role = RegisterRole::Officer;
    std::string unit;
};

Error registerError(std::string message, std::string field);
Error permissionError(std::string message);
Error notFound(std::int64_t id);
// registerVersion < 0: the row moved on between the check and the write.
Error conflictError(std::int64_t id, int base, int registerVersion);

// Case-folded (ICU) text for search columns and search input.
std::string searchKey(const std::string& text);

}  // namespace lecert::reg
