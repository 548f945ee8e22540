// SPDX-License-Identifier: MIT
// changedFields(): the leaf-level diff declared in review.h.
#include "core/review/review.h"

#include "core/model/record.h"

namespace lecert::review {

namespace {

// Every leaf path under `v` (the path itself for a scalar or an empty container).
void leaves(const Json& v, const std::string& path, std::vector<std::string>& out) {
    if (v.is_object() && !v.empty()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            leaves(it.value(), joinPath(path, it.key()), out);
    } else if (v.is_array() && !v.empty()) {
        for (std::size_t i = 0; i < v.size(); ++i) leaves(v[i], indexPath(path, i), out);
    } else {
        out.push_back(path);
    }
}

void diff(const Json& a, const Json& b, const std::string& path, bool top,
          std::vector<std::string>& out) {
    if (a.is_object() && b.is_object()) {
        for (auto it = b.begin(); it != b.end(); ++it) {
            if (top && it.key() == "review") continue;
            const std::string p = joinPath(path, it.key());
            auto other = a.find(it.key());
            if (other == a.end()) {
                leaves(it.value(), p, out);
            } else {
                diff(*other, it.value(), p, false, out);
            }
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (top && it.key() == "review") continue;
            if (b.find(it.key()) == b.end()) leaves(it.value(), joinPath(path, it.key()), out);
        }
        return;
    }
    if (a.is_array() && b.is_array()) {
        const std::size_t n = std::max(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            const std::string p = indexPath(path, i);
            if (i >= a.size()) {
                leaves(b[i], p, out);
            } else if (i >= b.size()) {
                leaves(a[i], p, out);
            } else {
                diff(a[i], b[i], p, false, out);
            }
        }
        return;
    }
    // Different kinds, or scalars. Numbers compare by value (1 == 1.0), as JSON means them.
    if (a != b) out.push_back(path);
}

}  // namespace

std::vector<std::string> changedFields(const Json& before, const Json& after) {
    std::vector<std::string> out;
    diff(before, after, "", true, out);
    return out;
}

}  // namespace lecert::review
