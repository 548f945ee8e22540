// SPDX-License-Identifier: MIT
#pragma once
// Conversions between core's UTF-8 std::string and QString (the string-safety defines forbid
// implicit ones).

#include <QString>

#include <string>
#include <string_view>

namespace lecert::desktop {

inline QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
inline std::string ss(const QString& s) {
    return s.toUtf8().toStdString();
}

// "1 error", "3 errors" (English plurals without a translator installed).
inline QString countText(long n, const QString& one, const QString& many) {
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}
inline QString errorsText(long n) {
    return countText(n, QStringLiteral("error"), QStringLiteral("errors"));
}
inline QString warningsText(long n) {
    return countText(n, QStringLiteral("warning"), QStringLiteral("warnings"));
}

}  // namespace lecert::desktop
