// SPDX-License-Identifier: MIT
#include "core/util/date.h"

#include <cstdio>
#include <ctime>

namespace lecert {

namespace {
bool digits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return !s.empty();
}
int toInt(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}
std::optional<Date> make(int y, int m, int d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
    return Date{y, m, d};
}
}  // namespace

int daysInMonth(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return days[month - 1];
}

std::optional<Date> Date::parseIso(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) || !digits(s.substr(8, 2)))
        return std::nullopt;
    return make(toInt(s.substr(0, 4)), toInt(s.substr(5, 2)), toInt(s.substr(8, 2)));
}

std::optional<Date> Date::parse(std::string_view s) {
    if (auto d = parseIso(s)) return d;
    if (s.size() == 10 && s[2] == '/' && s[5] == '/' && digits(s.substr(0, 2)) &&
        digits(s.substr(3, 2)) && digits(s.substr(6, 4))) {
        return make(toInt(s.substr(6, 4)), toInt(s.substr(0, 2)), toInt(s.substr(3, 2)));
    }
    return std::nullopt;
}

Date Date::today() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string Date::us() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", month, day, year);
    return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days.
long Date::dayNumber() const {
    int y = year;
    const int m = month;
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::fromDayNumber(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = yoe + era * 400;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp + (mp < 10 ? 3 : -9);
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Date Date::addMonths(int months) const {
    int total = year * 12 + (month - 1) + months;
    const int y = total / 12;
    const int m = total % 12 + 1;
    const int d = day > daysInMonth(y, m) ? daysInMonth(y, m) : day;
    return Date{y, m, d};
}

int ageOn(const Date& birth, const Date& on) {
    int age = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
    return age;
}

}  // namespace lecert
