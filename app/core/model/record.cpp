// SPDX-License-Identifier: MIT
#include "core/model/record.h"

#include "core/util/date.h"
#include "core/util/text.h"

namespace lecert {

std::optional<FieldPath> FieldPath::parse(std::string_view text) {
    FieldPath p;
    std::size_t i = 0;
    if (text.empty()) return p;
    while (i < text.size()) {
        if (text[i] == '[') {
            const std::size_t close = text.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return std::nullopt;
            std::size_t idx = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (text[k] < '0' || text[k] > '9' || idx > 100000000) return std::nullopt;
                idx = idx * 10 + static_cast<std::size_t>(text[k] - '0');
            }
            p.m_segments.emplace_back(idx);
            i = close + 1;
            if (i < text.size() && text[i] == '.') {
                ++i;
                if (i == text.size()) return std::nullopt;
            }
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
        if (end == i) return std::nullopt;
        p.m_segments.emplace_back(std::string(text.substr(i, end - i)));
        i = end;
        if (i < text.size() && text[i] == '.') {
            ++i;
            if (i == text.size()) return std::nullopt;
        }
    }
    return p;
}

FieldPath FieldPath::child(std::string_view key) const {
    FieldPath p = *this;
    p.m_segments.emplace_back(std::string(key));
    return p;
}

FieldPath FieldPath::element(std::size_t index) const {
    FieldPath p = *this;
    p.m_segments.emplace_back(index);
    return p;
}

namespace {

// "a.b[2].c" (with indices) or "a.b[].c" (the pattern every element shares).
std::string joinSegments(const std::vector<PathSegment>& segments, bool withIndices) {
    std::string out;
    for (const auto& s : segments) {
        if (const auto* k = std::get_if<std::string>(&s)) {
            if (!out.empty()) out += '.';
            out += *k;
        } else if (withIndices) {
            out += '[' + std::to_string(std::get<std::size_t>(s)) + ']';
        } else {
            out += "[]";
        }
    }
    return out;
}

}  // namespace

std::string FieldPath::toString() const {
    return joinSegments(m_segments, true);
}

std::string FieldPath::pattern() const {
    return joinSegments(m_segments, false);
}

std::string joinPath(std::string_view parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    std::string out(parent);
    out += '.';
    out += key;
    return out;
}

std::string indexPath(std::string_view parent, std::size_t index) {
    return std::string(parent) + '[' + std::to_string(index) + ']';
}

const Json* jsonAt(const Json& root, std::string_view path) {
    // Walks the path as FieldPath::parse reads it (same grammar, same refusals) without
    // building it: a form and its cover look up ~900 paths per record. The key buffer is
    // reused, so a lookup allocates nothing.
    static thread_local std::string key;
    const Json* cur = &root;
    std::size_t i = 0;
    auto afterSegment = [&]() {  // skips a '.', refusing a trailing one
        if (i < path.size() && path[i] == '.') {
            ++i;
            if (i == path.size()) return false;
        }
        return true;
    };
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return nullptr;
            std::size_t idx = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (path[k] < '0' || path[k] > '9' || idx > 100000000) return nullptr;
                idx = idx * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            if (!cur->is_array() || idx >= cur->size()) return nullptr;
            cur = &(*cur)[idx];
            i = close + 1;
            if (!afterSegment()) return nullptr;
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        if (end == i || !cur->is_object()) return nullptr;
        key.assign(path.substr(i, end - i));
        auto it = cur->find(key);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        i = end;
        if (!afterSegment()) return nullptr;
    }
    return cur;
}

bool jsonSet(Json& root, std::string_view path, Json value) {
    const auto p = FieldPath::parse(path);
    if (!p || p->empty()) return false;
    Json* cur = &root;
    for (const auto& s : p->segments()) {
        if (const auto* k = std::get_if<std::string>(&s)) {
            if (cur->is_null()) *cur = Json::object();
            if (!cur->is_object()) return false;
            cur = &(*cur)[*k];
        } else {
            const std::size_t i = std::get<std::size_t>(s);
            if (cur->is_null()) *cur = Json::array();
            if (!cur->is_array() || i > 10000) return false;
            while (cur->size() <= i) cur->push_back(nullptr);
            cur = &(*cur)[i];
        }
    }
    *cur = std::move(value);
    return true;
}

bool jsonErase(Json& root, std::string_view path) {
    auto p = FieldPath::parse(path);
    if (!p || p->empty()) return false;
    std::vector<PathSegment> segs = p->segments();
    const PathSegment last = segs.back();
    segs.pop_back();
    Json* cur = &root;
    for (const auto& s : segs) {
        if (const auto* k = std::get_if<std::string>(&s)) {
            if (!cur->is_object() || !cur->contains(*k)) return false;
            cur = &(*cur)[*k];
        } else {
            const std::size_t i = std::get<std::size_t>(s);
            if (!cur->is_array() || i >= cur->size()) return false;
            cur = &(*cur)[i];
        }
    }
    if (const auto* k = std::get_if<std::string>(&last)) {
        if (!cur->is_object()) return false;
        return cur->erase(*k) > 0;
    }
    const std::size_t i = std::get<std::size_t>(last);
    if (!cur->is_array() || i >= cur->size()) return false;
    cur->erase(cur->begin() + static_cast<std::ptrdiff_t>(i));
    return true;
}

std::optional<FormId> formFromString(std::string_view s) {
    if (s == "i918b") return FormId::I918B;
    if (s == "i914b") return FormId::I914B;
    return std::nullopt;
}

std::string_view formToString(FormId f) {
    return f == FormId::I918B ? "i918b" : "i914b";
}

std::optional<FormId> Record::form() const {
    const Json* f = get("form");
    if (!f || !f->is_string()) return std::nullopt;
    return formFromString(f->get_ref<const std::string&>());
}

std::string Record::string(std::string_view path) const {
    const Json* v = get(path);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::optional<bool> Record::boolean(std::string_view path) const {
    const Json* v = get(path);
    if (v && v->is_boolean()) return v->get<bool>();
    return std::nullopt;
}

bool Record::has(std::string_view path) const {
    const Json* v = get(path);
    return v && !v->is_null();
}

namespace {

bool isDateKey(const std::string& pattern) {
    static const char* const keys[] = {
        "victim.date_of_birth",
        "crime.dates[]",
        "trafficking.start_date",
        "trafficking.end_date",
        "certification.signature_date",
        "assistance.victim_specialist.date",
        "assistance.continued_presence.requested_date",
        "assistance.continued_presence.decision_date",
        "assistance.continued_presence.expiration_date",
        "assistance.forensic_interview.date",
    };
    for (const char* k : keys) {
        if (pattern == k) return true;
    }
    return false;
}

void normalizeNode(Json& node, const FieldPath& path) {
    if (node.is_string()) {
        std::string s = text::normalize(node.get_ref<const std::string&>());
        const std::string pattern = path.pattern();
        if (isDateKey(pattern)) {
            if (auto d = Date::parse(s)) s = d->iso();
        } else if (pattern == "victim.a_number") {
            if (auto a = normalizeANumber(s)) s = *a;
        }
        node = std::move(s);
    } else if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (path.empty() && it.key() == "review") continue;  // hashed history stays byte-exact
            normalizeNode(it.value(), path.child(it.key()));
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) normalizeNode(node[i], path.element(i));
    }
}

}  // namespace

void normalizeRecord(Json& record) {
    normalizeNode(record, FieldPath());
}

std::optional<std::string> normalizeANumber(std::string_view s) {
    std::string digits;
    std::size_t i = 0;
    if (!s.empty() && (s[0] == 'A' || s[0] == 'a')) i = 1;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c >= '0' && c <= '9')
            digits.push_back(c);
        else if (c == '-' || c == ' ' || c == '.')
            continue;
        else
            return std::nullopt;
    }
    if (digits.size() < 7 || digits.size() > 9) return std::nullopt;
    return std::string(9 - digits.size(), '0') + digits;
}

std::optional<Phone> parsePhone(std::string_view s) {
    Phone p;
    std::string_view main = s;
    // Extension: "x123", "ext. 123", "ext 123".
    for (const char* marker : {" ext. ", " ext ", "ext.", "ext", " x", "x", "X"}) {
        const auto pos = s.find(marker);
        if (pos != std::string_view::npos && pos > 0) {
            std::string_view ext = s.substr(pos + std::char_traits<char>::length(marker));
            while (!ext.empty() && (ext.front() == ' ' || ext.front() == '.')) ext.remove_prefix(1);
            if (ext.empty() || ext.size() > 6) return std::nullopt;
            for (char c : ext) {
                if (c < '0' || c > '9') return std::nullopt;
            }
            p.extension = std::string(ext);
            main = s.substr(0, pos);
            break;
        }
    }
    for (char c : main) {
        if (c >= '0' && c <= '9')
            p.digits.push_back(c);
        else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '+')
            continue;
        else
            return std::nullopt;
    }
    if (p.digits.size() == 11 && p.digits[0] == '1') p.digits.erase(0, 1);
    if (p.digits.size() != 10) return std::nullopt;
    return p;
}

std::string Phone::formatted() const {
    // Appended piece by piece: "(" + string gives GCC 12 -O3 a false -Wrestrict.
    std::string out("(");
    out.append(digits, 0, 3).append(") ").append(digits, 3, 3).append("-").append(digits, 6);
    if (!extension.empty()) out.append(" x").append(extension);
    return out;
}

}  // namespace lecert
