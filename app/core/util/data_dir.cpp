// SPDX-License-Identifier: MIT
#include "core/util/data_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace lecert {

namespace fs = std::filesystem;

namespace {
bool hasForms(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir / "forms", ec);
}
}  // namespace

std::string dataDir() {
    static const std::string dir = [] {
        if (const char* env = std::getenv("LECERT_DATA_DIR"); env && *env) return std::string(env);
        std::error_code ec;
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            const fs::path share = exe.parent_path().parent_path() / "share" / "lecert";
            if (hasForms(share)) return share.string();
        }
        if (hasForms(LECERT_INSTALL_DATA_DIR)) return std::string(LECERT_INSTALL_DATA_DIR);
        return std::string(LECERT_SOURCE_DATA_DIR);
    }();
    return dir;
}

std::string dataPath(const std::string& relative) {
    return dataDir() + "/" + relative;
}

}  // namespace lecert
