// SPDX-License-Identifier: MIT
// Result<T>: the contract result.h states, including what misuse does.

#include <catch2/catch.hpp>
#include <variant>

#include "core/util/result.h"

using namespace lecert;

TEST_CASE("a Result holds a value or an error", "[result]") {
    Result<int> value = 42;
    REQUIRE(value.ok());
    CHECK(*value == 42);
    Result<int> error = Error{"no such file", {"in.json", 3, 7, "victim.family_name"}};
    REQUIRE_FALSE(error.ok());
    CHECK(error.error().toString() == "in.json:3:7: victim.family_name: no such file");
}

TEST_CASE("misusing a Result throws bad_variant_access in every build type", "[result]") {
    Result<int> error = Error{"failed", {}};
    CHECK_THROWS_AS(error.value(), std::bad_variant_access);
    Result<int> value = 1;
    CHECK_THROWS_AS(value.error(), std::bad_variant_access);
}
