// SPDX-License-Identifier: MIT
#pragma once
// Guards for output paths: an output must never destroy an input (`fill -o rec.json rec.json`,
// `batch --report in.jsonl in.jsonl`), the password file, or a file lecert did not write.

#include <string>
#include <vector>

#include "core/util/result.h"

namespace lecert {

// What kind of file lecert is about to write at a path.
enum class OutputKind { Pdf, Report };

// True when `a` and `b` name the same file: the same inode when both exist, else the same
// normalised absolute path (so a target that does not exist yet still matches).
bool samePath(const std::string& a, const std::string& b);

// True when the file looks like a PDF lecert wrote: it starts with "%PDF-" and names lecert as
// its producer, or it is encrypted (lecert's encrypted PDFs hide the producer).
bool isLecertPdf(const std::string& path);

// Refuses to write `target` when it is (or resolves to) one of `protectedPaths` (the inputs,
// the password file, the report), is a directory, or exists and is not a file of `kind` that
// lecert wrote (a PDF as isLecertPdf, a report whose first line is a lecert report line) —
// the last check is skipped with `force`. The error names the path and what it collides with.
Status checkOutputTarget(const std::string& target, OutputKind kind,
                         const std::vector<std::string>& protectedPaths, bool force);

}  // namespace lecert
