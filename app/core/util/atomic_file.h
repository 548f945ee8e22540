// SPDX-License-Identifier: MIT
#pragma once
// The one way lecert puts a file in place: a temporary file beside the target, created with
// its final permissions, written whole, then renamed over the target, so that a reader (or a
// crash) sees the old file or the new one, never a part.

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace lecert {

// When the data must be on disk.
enum class Durability {
    Fsync,     // fsync before the rename: the file survives a power cut once the call returns
    Deferred,  // no fsync; the caller flushes many files at once later (syncfs) and re-checks
               // them after a crash (a batch's outputs, verified by their SHA-256 on --resume)
};

// A new empty file ".<target name>.tmp-XXXXXX" beside `target` (six random characters),
// created exclusively (O_EXCL) with permission `mode` (less the umask), close-on-exec.
struct TempFile {
    int fd = -1;
    std::string path;
};
Result<TempFile> createTempBeside(const std::string& target, unsigned mode);

// True when `fileName` (no folder) looks like a temporary createTempBeside made for a target
// named `*<suffix>` (e.g. ".x.pdf.tmp-AbC123" for suffix ".pdf").
bool isTempNameFor(std::string_view fileName, std::string_view suffix);

// Writes `data` to `path` atomically (see above). `mode` is the permission of the new file
// (0600 for victim data). On failure the target is untouched and no temporary file is left.
Status writeFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644,
                       Durability durability = Durability::Fsync);

}  // namespace lecert
