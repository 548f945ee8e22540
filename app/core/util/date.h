// SPDX-License-Identifier: MIT
#pragma once
// Calendar dates (proleptic Gregorian, no time zone) as used by the forms.

#include <optional>
#include <string>
#include <string_view>

namespace lecert {

struct Date {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31

    // Parses "YYYY-MM-DD" or "MM/DD/YYYY" (the two forms the record format accepts); nullopt
    // when the text is in neither form or is not a real calendar day (e.g. 2025-02-30).
    static std::optional<Date> parse(std::string_view s);
    static std::optional<Date> parseIso(std::string_view s);
    // Today's date in the local time zone.
    static Date today();

    std::string iso() const;  // YYYY-MM-DD
    std::string us() const;   // MM/DD/YYYY, as printed on the forms
    long dayNumber() const;   // days since 1970-01-01
    static Date fromDayNumber(long days);

    Date addDays(long days) const { return fromDayNumber(dayNumber() + days); }
    // Adds calendar months, clamping the day to the end of the target month (08/31 + 6 = 02/28).
    Date addMonths(int months) const;

    // clang-tidy 14 sees the literal 0 of the synthesized comparison as a null pointer.
    auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr)
};

inline long daysBetween(const Date& from, const Date& to) {
    return to.dayNumber() - from.dayNumber();
}

// Whole years between birth and `on` (age on that day).
int ageOn(const Date& birth, const Date& on);

int daysInMonth(int year, int month);

}  // namespace lecert
