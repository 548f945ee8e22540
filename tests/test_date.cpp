// SPDX-License-Identifier: MIT
// Calendar dates: the two accepted text forms, arithmetic, ages.
#include <catch2/catch.hpp>

#include "core/util/date.h"

using namespace lecert;

TEST_CASE("parse accepts YYYY-MM-DD and MM/DD/YYYY real calendar days only", "[date]") {
    CHECK(Date::parse("2026-11-28") == Date{2026, 11, 28});
    CHECK(Date::parse("11/28/2026") == Date{2026, 11, 28});
    CHECK(Date::parseIso("2024-02-29") == Date{2024, 2, 29});
    CHECK(Date::parse("02/29/2000") == Date{2000, 2, 29});
    CHECK_FALSE(Date::parseIso("11/28/2026"));  // the ISO parser takes ISO only
    for (const char* bad :
         {"", "2026-11-31", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
          "0000-01-01", "26-11-28", "2026-1-28", "2026/11/28", "28.11.2026", "11-28-2026",
          "13/01/2026", "1/2/2026", "2026-11-28 ", "+026-11-28", "2026-11-2x"}) {
        INFO(bad);
        CHECK_FALSE(Date::parse(bad));
    }
    CHECK(Date{2026, 3, 4}.iso() == "2026-03-04");
    CHECK(Date{2026, 3, 4}.us() == "03/04/2026");
}

TEST_CASE("day numbers, days between, months", "[date]") {
    CHECK(Date{1970, 1, 1}.dayNumber() == 0);
    CHECK(Date{2000, 3, 1}.dayNumber() - Date{2000, 2, 28}.dayNumber() == 2);
    for (long n : {-1000000L, -1L, 0L, 1L, 11000L, 20785L, 2932896L}) {
        CHECK(Date::fromDayNumber(n).dayNumber() == n);
    }
    CHECK(daysBetween(Date{2026, 11, 28}, Date{2027, 1, 27}) == 60);
    CHECK(Date{2026, 12, 31}.addDays(1) == Date{2027, 1, 1});
    CHECK(Date{2025, 8, 31}.addMonths(6) == Date{2026, 2, 28});
    CHECK(Date{2023, 8, 31}.addMonths(6) == Date{2024, 2, 29});
    CHECK(Date{2026, 11, 15}.addMonths(2) == Date{2027, 1, 15});
    CHECK(Date{2026, 1, 31}.addMonths(1) == Date{2026, 2, 28});
    CHECK(daysInMonth(2024, 2) == 29);
    CHECK(daysInMonth(2100, 2) == 28);
    CHECK(daysInMonth(2026, 4) == 30);
    CHECK(Date{2026, 1, 1} < Date{2026, 1, 2});
    CHECK(Date{2025, 12, 31} < Date{2026, 1, 1});
}

TEST_CASE("ageOn counts whole years", "[date]") {
    CHECK(ageOn({1990, 5, 17}, {2026, 5, 16}) == 35);
    CHECK(ageOn({1990, 5, 17}, {2026, 5, 17}) == 36);
    CHECK(ageOn({2008, 2, 29}, {2026, 2, 28}) == 17);  // leap-day birthday
    CHECK(ageOn({2008, 2, 29}, {2026, 3, 1}) == 18);
    CHECK(ageOn({2026, 1, 1}, {2026, 1, 1}) == 0);
}
