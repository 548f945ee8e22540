// SPDX-License-Identifier: MIT
#include "core/util/json_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <unordered_set>
#include <vector>

#include "core/util/text.h"

namespace lecert {

namespace fs = std::filesystem;

void lineColumnAt(std::string_view text, std::size_t offset, int& line, int& column) {
    line = 1;
    column = 1;
    if (offset > text.size()) offset = text.size();
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
}

namespace {

Error errorAt(std::string_view text, std::size_t offset, const std::string& source,
              std::string msg) {
    Error e;
    e.message = std::move(msg);
    e.where.file = source;
    lineColumnAt(text, offset, e.where.line, e.where.column);
    return e;
}

// nlohmann's messages quote the last bytes read ("...; last read: '<token>'[; expected X]"),
// which may be victim data containing any character, "'; expected " included. Keep what
// precedes "last read", and the "expected X" only when X is one of the parser's fixed token
// names: whatever the value holds, nothing of it can come through.
std::string cleanParseMessage(const std::string& what) {
    static const char* const kTokenNames[] = {"true literal",
                                              "false literal",
                                              "null literal",
                                              "string literal",
                                              "number literal",
                                              "'['",
                                              "'{'",
                                              "']'",
                                              "'}'",
                                              "':'",
                                              "','",
                                              "end of input",
                                              "'[', '{', or a literal"};
    std::string m = what;
    if (auto p = m.find("syntax error"); p != std::string::npos)
        m = m.substr(p);
    else if (auto q = m.find(": "); q != std::string::npos)
        m = m.substr(q + 2);
    if (auto lr = m.find("last read: '"); lr != std::string::npos) {
        std::string expected;
        for (const char* name : kTokenNames) {
            const std::string tail = std::string("'; expected ") + name;
            if (m.size() >= lr + 12 + tail.size() &&
                m.compare(m.size() - tail.size(), tail.size(), tail) == 0)
                expected = std::string("expected ") + name;
        }
        m = m.substr(0, lr);
        while (!m.empty() && (m.back() == ' ' || m.back() == ';')) m.pop_back();
        if (!expected.empty()) m += "; " + expected;
    }
    // "while parsing value - invalid literal" reads better with a colon.
    if (auto d = m.find(" - "); d != std::string::npos) m.replace(d, 3, ": ");
    while (!m.empty() && (m.back() == ' ' || m.back() == ';')) m.pop_back();
    // Whatever is left is the parser's own text; never let a control character through.
    std::string out;
    for (char c : m) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}

// Offset of the first number token (outside strings) that overflows a double, or npos.
std::size_t firstHugeNumber(std::string_view text) {
    JsonScanner scan;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!scan.feed(c)) continue;
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t end = i + 1;
            while (end < text.size() && std::strchr("0123456789+-.eE", text[end]) != nullptr) ++end;
            const std::string token(text.substr(i, end - i));
            errno = 0;
            const double v = std::strtod(token.c_str(), nullptr);
            if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) return i;
            i = end - 1;  // digits and signs never change the scanner's state
        }
    }
    return std::string_view::npos;
}

// Offset of the opening quote of the n-th (1-based) object key in `text`, or npos.
std::size_t nthKeyOffset(std::string_view text, std::size_t n) {
    JsonScanner scan;
    std::size_t lastStringStart = std::string_view::npos;
    std::size_t keys = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool wasInString = scan.inString();
        const bool structural = scan.feed(text[i]);
        if (!wasInString && scan.inString()) lastStringStart = i;
        if (structural && text[i] == ':' && ++keys == n) return lastStringStart;
    }
    return std::string_view::npos;
}

// Offset of the first "\u0000" escape inside a string, or npos.
std::size_t firstNulEscape(std::string_view text) {
    JsonScanner scan;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (scan.inString() && text[i] == '\\' && text.substr(i, 6) == "\\u0000") return i;
        if (scan.inString() && text[i] == '\\') {
            scan.feed(text[i]);
            if (++i < text.size()) scan.feed(text[i]);
            continue;
        }
        scan.feed(text[i]);
    }
    return std::string_view::npos;
}

// Keys are field names, but a hostile one may hold anything: printable, bounded.
std::string printableKey(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (out.size() >= 80) return out + "...";
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return out;
}

// Thrown from the parser callback (and caught in parseJson) to stop at the first problem
// that the grammar allows but the record format does not.
struct ForbiddenInput {
    std::string message;
    std::size_t keyOrdinal = 0;  // for a duplicate key: which key (1-based) in the text
    bool nul = false;
};

// Follows the parser's events to know the path of the current value, the keys already seen
// in each open object and how many keys were read (to locate a duplicate in the text).
class ParseGuard {
public:
    ParseGuard(std::size_t maxMembers, std::size_t maxItems)
        : m_maxMembers(maxMembers), m_maxItems(maxItems) {}
    bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
        using E = Json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start:
                m_stack.push_back(Frame{event == E::array_start, 0, {}, {}});
                break;
            case E::key: {
                ++m_keys;
                const std::string& key = parsed.get_ref<const std::string&>();
                Frame& top = m_stack.back();
                top.key = key;
                if (key.find('\0') != std::string::npos)
                    throw ForbiddenInput{"a key contains a NUL character (\\u0000) at " + path(), 0,
                                         true};
                if (!top.keys.insert(key).second)
                    throw ForbiddenInput{
                        "duplicate key " + path() + ": a key may appear only once in an object",
                        m_keys, false};
                if (top.keys.size() > m_maxMembers)
                    throw ForbiddenInput{"an object has more than " + std::to_string(m_maxMembers) +
                                             " members at " + path(m_stack.size() - 1),
                                         m_keys, false};
                break;
            }
            case E::object_end:
            case E::array_end:
                m_stack.pop_back();
                elementDone();
                break;
            case E::value:
                if (parsed.is_string() &&
                    parsed.get_ref<const std::string&>().find('\0') != std::string::npos)
                    throw ForbiddenInput{
                        "text contains a NUL character (\\u0000) at " + path() + "; remove it", 0,
                        true};
                elementDone();
                break;
        }
        return true;
    }

private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;
        std::string key;
        std::unordered_set<std::string> keys;
    };
    void elementDone() {
        if (m_stack.empty() || !m_stack.back().array) return;
        if (++m_stack.back().index > m_maxItems)
            throw ForbiddenInput{"a list has more than " + std::to_string(m_maxItems) +
                                     " entries at " + path(m_stack.size() - 1),
                                 0, false};
    }
    // The path of the current value, or of the value that frame `frames` is (the object
    // itself rather than its current member).
    std::string path(std::size_t frames = std::string::npos) const {
        std::string p;
        for (std::size_t i = 0; i < m_stack.size() && i < frames; ++i) {
            const Frame& f = m_stack[i];
            if (f.array) {
                p += "[" + std::to_string(f.index) + "]";
            } else {
                if (!p.empty()) p += ".";
                p += printableKey(f.key);
            }
        }
        return p.empty() ? std::string("(top level)") : p;
    }
    std::vector<Frame> m_stack;
    std::size_t m_keys = 0;
    std::size_t m_maxMembers;
    std::size_t m_maxItems;
};

}  // namespace

Result<Json> parseJson(std::string_view text, const std::string& source, const JsonLimits& limits) {
    if (text.size() > limits.maxBytes) {
        return Error{"document is " + std::to_string(text.size() / (1024 * 1024)) +
                         " MiB; the limit is " + std::to_string(limits.maxBytes / (1024 * 1024)) +
                         " MiB",
                     {source, 0, 0, {}}};
    }
    // Byte order marks: UTF-8's is harmless; UTF-16/32 files are a common export mistake.
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    const bool utf16 = text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
                                            (text[0] == '\xFE' && text[1] == '\xFF'));
    const bool nulByte = text.find('\0') != std::string_view::npos;
    if (utf16 || (nulByte && text.size() >= 2 && (text[0] == '\0' || text[1] == '\0'))) {
        return Error{
            "the file is UTF-16 or UTF-32 encoded; lecert reads JSON in UTF-8 only "
            "(re-save or export it as UTF-8)",
            {source, 1, 1, {}}};
    }
    std::size_t firstNonSpace = text.find_first_not_of(" \t\r\n");
    if (firstNonSpace == std::string_view::npos) {
        return Error{
            "the input is empty; expected a JSON object (one record) or an array of records",
            {source, 1, 1, {}}};
    }
    if (const std::size_t bad = text::firstInvalidUtf8(text); bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X",
                      static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
        if (nulByte || bad < 16) {
            return errorAt(text, bad, source,
                           std::string("not a JSON text file: it contains binary data (byte ") +
                               hex + "); expected UTF-8 JSON");
        }
        return errorAt(text, bad, source,
                       std::string("not valid UTF-8 (byte ") + hex +
                           "); the file may be Latin-1 or Windows-1252: re-save it as UTF-8");
    }
    // Nesting depth, checked before the recursive parser sees the text.
    {
        JsonScanner scan;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (scan.feed(text[i]) && scan.depth() > limits.maxDepth) {
                return errorAt(text, i, source,
                               "JSON is nested more than " + std::to_string(limits.maxDepth) +
                                   " levels deep; a record needs at most 5");
            }
        }
    }
    try {
        ParseGuard guard(limits.maxObjectMembers, limits.maxArrayItems);
        return Json::parse(text.begin(), text.end(), std::ref(guard));
    } catch (const ForbiddenInput& f) {
        std::size_t at = f.nul ? firstNulEscape(text) : nthKeyOffset(text, f.keyOrdinal);
        if (at == std::string_view::npos) return Error{f.message, {source, 0, 0, {}}};
        return errorAt(text, at, source, f.message);
    } catch (const Json::parse_error& e) {
        std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        return errorAt(text, offset, source, "not valid JSON: " + cleanParseMessage(e.what()));
    } catch (const Json::out_of_range&) {
        // nlohmann's message quotes the number; say where it is instead.
        const std::size_t at = firstHugeNumber(text);
        if (at != std::string_view::npos) {
            return errorAt(text, at, source,
                           "not valid JSON: a number is too large to be represented");
        }
        return Error{"not valid JSON: a number is too large to be represented", {source, 0, 0, {}}};
    } catch (const std::exception&) {
        return Error{"could not parse JSON (internal parser error)", {source, 0, 0, {}}};
    }
}

Result<std::string> readFile(const std::string& path, std::size_t maxBytes) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Error{"no such file", {path, 0, 0, {}}};
    if (fs::is_directory(st)) return Error{"is a directory, expected a file", {path, 0, 0, {}}};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{std::string("cannot open: ") + std::strerror(errno), {path, 0, 0, {}}};
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) return Error{"cannot read (not a regular file?)", {path, 0, 0, {}}};
    if (static_cast<std::size_t>(size) > maxBytes) {
        return Error{"file is larger than " + std::to_string(maxBytes / (1024 * 1024)) + " MiB",
                     {path, 0, 0, {}}};
    }
    in.seekg(0, std::ios::beg);
    std::string data(static_cast<std::size_t>(size), '\0');
    if (size > 0 && !in.read(data.data(), size)) {
        return Error{std::string("read failed: ") + std::strerror(errno), {path, 0, 0, {}}};
    }
    return data;
}

std::string dumpPretty(const Json& j) {
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

namespace {
nlohmann::json sortedCopy(const Json& j) {
    // nlohmann::json (std::map) sorts keys; converting recursively gives a canonical order.
    return nlohmann::json::parse(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}
}  // namespace

std::string dumpCanonical(const Json& j) {
    return sortedCopy(j).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string jsonTypeName(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return "boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "integer";
        case Json::value_t::number_float:
            return "number";
        case Json::value_t::string:
            return "string";
        case Json::value_t::array:
            return "array";
        case Json::value_t::object:
            return "object";
        default:
            return "value";
    }
}

}  // namespace lecert
