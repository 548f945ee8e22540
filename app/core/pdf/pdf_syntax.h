// SPDX-License-Identifier: MIT
#pragma once
// PDF syntax for the hand-written serialiser (internal to core/pdf): numbers, strings, names,
// references and dates, each formatted deterministically (no locale, no clock).

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/pdf/document.h"

namespace lecert::pdf::detail {

// At most two decimals, no trailing zeros ("12", "12.5", "-0.25"), appended to `out`.
void appendNum(std::string& out, double v);
std::string num(double v);
// The numbers separated by single spaces.
void appendNums(std::string& out, std::initializer_list<double> vs);
// "r g b rg" (fill) or "r g b RG" (stroke) and a newline.
void appendColor(std::string& out, const Color& c, bool stroke);
// UTF-16BE code units as hex digits (surrogate pairs above U+FFFF), no byte order mark.
std::string utf16beHex(std::u32string_view s);
// A text string as a hex string (never literal: see pdf_syntax.cpp): the ASCII bytes, else
// UTF-16BE with a byte order mark.
void appendTextString(std::string& out, std::string_view utf8);
std::string textString(std::string_view utf8);
// A name object: "/" + the bytes, delimiters and non-printable bytes as #xx.
void appendName(std::string& out, std::string_view name);
std::string nameOf(std::string_view name);
// Decimal digits of an integer, appended (no temporary).
void appendInt(std::string& out, long long v);
// "n 0 R", appended, or as a new string.
void appendRef(std::string& out, int obj);
std::string ref(int obj);
// "[x y right top]"
std::string rectArray(const Rect& r);
// PDF date from "YYYY-MM-DD" (UTC midnight); anything else gives the fixed default 2000-01-01.
std::string pdfDate(const std::string& iso);

}  // namespace lecert::pdf::detail
