// SPDX-License-Identifier: MIT
#pragma once
// The register's schema as ordered migrations, one list per back end. Migration i (1-based)
// brings the schema from version i-1 to i; `schema_version` records each one applied. Never
// edit a shipped migration: append a new one.

#include <string_view>
#include <vector>

#include "core/register/sql_connection.h"

namespace lecert::reg {

const std::vector<std::string_view>& migrations(SqlDialect dialect);

// Applies the migrations the database has not seen yet, each in its own transaction.
// Returns the schema version reached.
Result<int> migrate(SqlConnection& conn);

// The schema version recorded in the database (0 when it has no schema_version table).
Result<int> schemaVersion(SqlConnection& conn);

}  // namespace lecert::reg
