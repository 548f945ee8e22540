// SPDX-License-Identifier: MIT
#pragma once
// Conversions between core's UTF-8 std::string and QString (the string-safety defines forbid
// implicit ones).

#include <QString>

#include <string>
#include <string_view>

namespace lecert::desktop {

inline QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
inline std::string ss(const QString& s) { return s.toUtf8().toStdString(); }

}  // namespace lecert::desktop
