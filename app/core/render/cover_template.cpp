// SPDX-License-Identifier: MIT
#include "core/render/cover_template.h"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/model/record.h"
#include "core/util/text.h"

namespace lecert::cover {

namespace mst = kainjow::mustache;

namespace {

std::optional<pdf::Color> parseHexColor(const std::string& s) {
    if (s.size() != 7 || s[0] != '#') return std::nullopt;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    double v[3];
    for (std::size_t i = 0; i < 3; ++i) {
        const int hi = hex(s[1 + 2 * i]), lo = hex(s[2 + 2 * i]);
        if (hi < 0 || lo < 0) return std::nullopt;
        v[i] = (hi * 16 + lo) / 255.0;
    }
    return pdf::Color{v[0], v[1], v[2]};
}

// Reads the template JSON strictly: unknown keys and wrong types are errors naming the JSON
// location, so that a typo in an agency's edit does not silently drop a text.
class TemplateParser {
public:
    explicit TemplateParser(std::string source) : m_source(std::move(source)) {}

    std::optional<Error> error() const { return m_error; }

    CoverTemplate parse(const Json& j) {
        CoverTemplate t;
        if (!j.is_object()) {
            fail("", "the cover template must be a JSON object");
            return t;
        }
        keys(j, "",
             {"format", "version", "style", "metadata", "watermark", "header", "continued",
              "footer", "blocks"});
        if (const Json* f = j.contains("format") ? &j["format"] : nullptr;
            !f || *f != "lecert-cover")
            fail("format", "expected \"format\": \"lecert-cover\"");
        if (const Json* ver = j.contains("version") ? &j["version"] : nullptr; !ver || *ver != 1)
            fail("version",
                 "expected \"version\": 1 (the only template version this lecert reads)");
        if (j.contains("style")) {
            const Json& s = j["style"];
            if (!s.is_object()) {
                fail("style", "expected an object");
            } else {
                keys(s, "style", {"accent", "font_size"});
                if (s.contains("accent")) {
                    auto c = s["accent"].is_string() ? parseHexColor(s["accent"].get<std::string>())
                                                     : std::nullopt;
                    if (!c)
                        fail("style.accent", "expected a colour \"#rrggbb\"");
                    else
                        t.accent = *c;
                }
                if (s.contains("font_size")) {
                    if (!s["font_size"].is_number() || s["font_size"].get<double>() < 6 ||
                        s["font_size"].get<double>() > 14)
                        fail("style.font_size", "expected a number from 6 to 14 (points)");
                    else
                        t.fontSize = s["font_size"].get<double>();
                }
            }
        }
        if (const Json* m = object(j, "metadata", "metadata")) {
            keys(*m, "metadata", {"title", "subject", "keywords"});
            t.metaTitle = str(*m, "title", "metadata");
            t.metaSubject = str(*m, "subject", "metadata");
            t.metaKeywords = str(*m, "keywords", "metadata");
        }
        if (j.contains("watermark")) t.watermark = str(j, "watermark", "");
        if (const Json* h = object(j, "header", "header")) {
            keys(*h, "header", {"title", "subtitle", "right"});
            t.headerTitle = str(*h, "title", "header");
            t.headerSubtitle = str(*h, "subtitle", "header");
            t.headerRight = str(*h, "right", "header");
        }
        t.continued = str(j, "continued", "");
        if (const Json* f = object(j, "footer", "footer")) {
            keys(*f, "footer", {"left", "right"});
            t.footerLeft = str(*f, "left", "footer");
            t.footerRight = str(*f, "right", "footer");
        }
        if (!j.contains("blocks") || !j["blocks"].is_array()) {
            fail("blocks", "expected an array of blocks");
            return t;
        }
        t.blocks = blocks(j["blocks"], "blocks", true);
        return t;
    }

private:
    void fail(const std::string& where, const std::string& msg) {
        if (m_error) return;
        Error e;
        e.message = msg;
        e.where.file = m_source;
        e.where.field = where;
        m_error = e;
    }

    static std::string at(const std::string& parent, const std::string& key) {
        return parent.empty() ? key : parent + "." + key;
    }

    void keys(const Json& obj, const std::string& where,
              std::initializer_list<const char*> allowed) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = it.key() == "comment";  // free-form remarks for the template's editors
            for (const char* k : allowed) ok = ok || it.key() == k;
            if (ok) continue;
            std::string list;
            for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
            fail(at(where, it.key()),
                 "unknown key \"" + it.key() + "\" (allowed here: " + list + ")");
        }
    }

    const Json* object(const Json& parent, const char* key, const std::string& where) {
        if (!parent.contains(key)) return nullptr;
        if (!parent[key].is_object()) {
            fail(where, "expected an object");
            return nullptr;
        }
        return &parent[key];
    }

    // A text: a string (a mustache template, checked here) or absent ("").
    std::string str(const Json& obj, const char* key, const std::string& parent) {
        if (!obj.contains(key)) return {};
        const Json& v = obj[key];
        if (!v.is_string()) {
            fail(at(parent, key), "expected a string");
            return {};
        }
        std::string s = v.get<std::string>();
        if (!text::isValidUtf8(s)) {
            fail(at(parent, key), "not valid UTF-8");
            return {};
        }
        try {
            mst::mustache m{s};
            if (!m.is_valid())
                fail(at(parent, key), "invalid mustache template: " + m.error_message());
        } catch (const std::exception& e) {
            fail(at(parent, key), std::string("invalid mustache template: ") + e.what());
        }
        return s;
    }

    // A view-model path for "if"/"unless"/"items" (not a template).
    std::string path(const Json& obj, const char* key, const std::string& parent) {
        if (!obj.contains(key)) return {};
        if (!obj[key].is_string() || !FieldPath::parse(obj[key].get<std::string>())) {
            fail(at(parent, key), "expected a view-model path such as \"validation.has_errors\"");
            return {};
        }
        return obj[key].get<std::string>();
    }

    std::vector<TRow> rows(const Json& obj, const char* key, const std::string& parent,
                           bool withMark, bool withDetail) {
        std::vector<TRow> out;
        const std::string where = at(parent, key);
        if (!obj.contains(key) || !obj[key].is_array()) {
            fail(where, "expected an array of rows");
            return out;
        }
        std::size_t i = 0;
        for (const Json& r : obj[key]) {
            const std::string w = where + "[" + std::to_string(i++) + "]";
            if (!r.is_object()) {
                fail(w, "expected an object");
                continue;
            }
            if (withMark)
                keys(r, w, {"mark", "label", "detail", "if", "unless"});
            else if (withDetail)
                keys(r, w, {"label", "value", "detail", "if", "unless"});
            else
                keys(r, w, {"label", "value", "hide_empty", "if", "unless"});
            TRow row;
            row.label = str(r, "label", w);
            row.value = str(r, "value", w);
            row.detail = str(r, "detail", w);
            row.mark = str(r, "mark", w);
            row.ifPath = path(r, "if", w);
            row.unlessPath = path(r, "unless", w);
            if (r.contains("hide_empty")) {
                if (!r["hide_empty"].is_boolean())
                    fail(at(w, "hide_empty"), "expected true or false");
                else
                    row.hideEmpty = r["hide_empty"].get<bool>();
            }
            out.push_back(std::move(row));
        }
        return out;
    }

    int columns(const Json& b, const std::string& where, int dflt) {
        if (!b.contains("columns")) return dflt;
        if (!b["columns"].is_number_integer() || b["columns"].get<int>() < 1 ||
            b["columns"].get<int>() > 4) {
            fail(at(where, "columns"), "expected a whole number from 1 to 4");
            return dflt;
        }
        return b["columns"].get<int>();
    }

    std::vector<TBlock> blocks(const Json& arr, const std::string& where, bool allowRow) {
        std::vector<TBlock> out;
        std::size_t i = 0;
        for (const Json& b : arr) {
            const std::string w = where + "[" + std::to_string(i++) + "]";
            if (!b.is_object() || !b.contains("type") || !b["type"].is_string()) {
                fail(w, "expected an object with a \"type\"");
                continue;
            }
            TBlock t;
            t.type = b["type"].get<std::string>();
            t.ifPath = path(b, "if", w);
            t.unlessPath = path(b, "unless", w);
            if (t.type == "heading") {
                keys(b, w, {"type", "if", "unless", "text", "right"});
                t.heading = str(b, "text", w);
                t.legend = str(b, "right", w);
            } else if (t.type == "status") {
                keys(b, w, {"type", "if", "unless", "text", "tone", "right"});
                t.text = str(b, "text", w);
                t.tone = str(b, "tone", w);
                t.right = str(b, "right", w);
            } else if (t.type == "facts") {
                keys(b, w, {"type", "if", "unless", "heading", "columns", "rows", "caption"});
                t.heading = str(b, "heading", w);
                t.columns = columns(b, w, 2);
                t.rows = rows(b, "rows", w, false, false);
                t.caption = str(b, "caption", w);
            } else if (t.type == "checklist") {
                keys(b, w, {"type", "if", "unless", "heading", "legend", "details", "items"});
                t.heading = str(b, "heading", w);
                t.legend = str(b, "legend", w);
                t.rows = rows(b, "items", w, true, false);
                if (const Json* d = object(b, "details", at(w, "details"))) {
                    keys(*d, at(w, "details"), {"yes", "no", "unknown"});
                    for (const char* k : {"yes", "no", "unknown"})
                        t.details[k] = str(*d, k, at(w, "details"));
                }
            } else if (t.type == "list") {
                keys(b, w, {"type", "if", "unless", "heading", "items", "text", "empty"});
                t.heading = str(b, "heading", w);
                t.items = path(b, "items", w);
                if (t.items.empty()) fail(at(w, "items"), "expected the view-model path of a list");
                t.text = str(b, "text", w);
                t.empty = str(b, "empty", w);
            } else if (t.type == "paragraph") {
                keys(b, w, {"type", "if", "unless", "heading", "text"});
                t.heading = str(b, "heading", w);
                t.text = str(b, "text", w);
            } else if (t.type == "contacts") {
                keys(b, w, {"type", "if", "unless", "heading", "columns", "rows", "caption"});
                t.heading = str(b, "heading", w);
                t.columns = columns(b, w, 2);
                t.rows = rows(b, "rows", w, false, true);
                t.caption = str(b, "caption", w);
            } else if (t.type == "note") {
                keys(b, w, {"type", "if", "unless", "title", "text"});
                t.title = str(b, "title", w);
                t.text = str(b, "text", w);
            } else if (t.type == "row" && allowRow) {
                keys(b, w, {"type", "if", "unless", "blocks"});
                if (!b.contains("blocks") || !b["blocks"].is_array() || b["blocks"].empty() ||
                    b["blocks"].size() > 3)
                    fail(at(w, "blocks"), "expected an array of 1 to 3 blocks");
                else
                    t.blocks = blocks(b["blocks"], at(w, "blocks"), false);
            } else {
                fail(at(w, "type"),
                     "unknown block type \"" + t.type +
                         "\" (known: heading, status, facts, checklist, list, paragraph, contacts, "
                         "note" +
                         (allowRow ? ", row" : "") + ")");
            }
            out.push_back(std::move(t));
        }
        return out;
    }

    std::string m_source;
    std::optional<Error> m_error;
};

}  // namespace

Result<CoverTemplate> loadTemplate(const std::string& path) {
    auto bytes = readFile(path, 4u * 1024u * 1024u);
    if (!bytes) {
        Error e = bytes.error();
        e.message = "cannot read the cover template: " + e.message;
        if (e.where.file.empty()) e.where.file = path;
        return e;
    }
    auto json = parseJson(*bytes, path);
    if (!json) return json.error();
    TemplateParser parser(path);
    CoverTemplate t = parser.parse(*json);
    if (auto e = parser.error()) {
        Error err = *e;
        err.message = "cover template: " + err.message;
        return err;
    }
    return t;
}

// Parsed templates by path, reloaded when the file's time stamp or size changes, so that a
// batch parses the template once while an edit still takes effect on the next render.
Result<std::shared_ptr<const CoverTemplate>> cachedTemplate(const std::string& path) {
    namespace fs = std::filesystem;
    struct Entry {
        fs::file_time_type mtime;
        std::uintmax_t size = 0;
        std::shared_ptr<const CoverTemplate> tmpl;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;
    std::error_code ec1, ec2;
    const auto mtime = fs::last_write_time(path, ec1);
    const auto size = fs::file_size(path, ec2);
    const bool stamped = !ec1 && !ec2;
    if (stamped) {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = cache.find(path);
        if (it != cache.end() && it->second.mtime == mtime && it->second.size == size)
            return it->second.tmpl;
    }
    auto t = loadTemplate(path);
    if (!t) return t.error();
    auto shared = std::make_shared<const CoverTemplate>(std::move(*t));
    if (stamped) {
        std::lock_guard<std::mutex> lock(mutex);
        cache[path] = Entry{mtime, size, shared};
    }
    return shared;
}

// ================================================================================ mustache

namespace {

mst::data toData(const Json& j) {
    switch (j.type()) {
        case Json::value_t::object: {
            mst::data d{mst::data::type::object};
            for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), toData(it.value()));
            return d;
        }
        case Json::value_t::array: {
            mst::data d{mst::data::type::list};
            for (const auto& e : j) d.push_back(toData(e));
            return d;
        }
        case Json::value_t::string:
            // An empty text is false, so that {{#x}}…{{/x}} hides its content when x is empty
            // (a false value renders as nothing in {{x}}).
            if (j.get_ref<const std::string&>().empty()) return mst::data{false};
            return mst::data{j.get<std::string>()};
        case Json::value_t::boolean:
            return mst::data{j.get<bool>()};
        case Json::value_t::null:
            return mst::data{false};
        default:
            return mst::data{j.dump()};
    }
}

// Collapses runs of spaces and tabs, trims each line and the whole text, so that an empty
// placeholder leaves no stray blanks behind.
std::string tidy(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    bool first = true;
    while (pos < s.size()) {
        const std::size_t nl = s.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? s.size() : nl;
        if (!first) out += '\n';
        first = false;
        bool space = false, any = false;
        for (std::size_t i = pos; i < end; ++i) {
            const char c = s[i];
            if (c == ' ' || c == '\t' || c == '\r') {
                space = true;
                continue;
            }
            if (space && any) out += ' ';
            space = false;
            any = true;
            out += c;
        }
        pos = end + 1;
    }
    return text::trim(out);
}

bool truthy(const Json* j) {
    if (!j) return false;
    switch (j->type()) {
        case Json::value_t::boolean:
            return j->get<bool>();
        case Json::value_t::string:
            return !j->get_ref<const std::string&>().empty();
        case Json::value_t::array:
        case Json::value_t::object:
            return !j->empty();
        case Json::value_t::null:
            return false;
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return j->get<double>() != 0;
        default:
            return true;
    }
}

}  // namespace

TextRenderer::TextRenderer(const Json& vm) : m_vm(vm) {}

namespace {

// The value a plain {{name}} tag shows, resolved as mustache does: the first part of a dotted
// name through the context stack (the item, then the view model), the rest inside what it
// found. nullptr when absent.
const Json* lookUp(std::string_view name, const Json& root, const Json* item) {
    const std::size_t dot = name.find('.');
    const std::string first(name.substr(0, dot));
    const Json* v = nullptr;
    for (const Json* scope : {item, &root}) {
        if (!scope || !scope->is_object()) continue;
        if (auto it = scope->find(first); it != scope->end()) {
            v = &*it;
            break;
        }
    }
    if (!v || dot == std::string_view::npos) return v;
    return jsonAt(*v, name.substr(dot + 1));
}

}  // namespace

// Text and {{name}} tags whose values are texts (or absent, or null) are filled in directly:
// most of a cover's texts are like that, and the mustache engine costs a copy of the whole
// view model per record. Anything else (sections, numbers, other tag kinds) returns
// std::nullopt and goes through mustache.
std::optional<std::string> TextRenderer::renderPlain(const std::string& tmpl,
                                                     const Json* item) const {
    std::string out;
    out.reserve(tmpl.size() + 32);
    std::size_t pos = 0;
    while (pos < tmpl.size()) {
        const std::size_t open = tmpl.find("{{", pos);
        if (open == std::string::npos) {
            out.append(tmpl, pos, std::string::npos);
            break;
        }
        const std::size_t close = tmpl.find("}}", open + 2);
        if (close == std::string::npos) return std::nullopt;
        out.append(tmpl, pos, open - pos);
        std::string_view name(tmpl.data() + open + 2, close - open - 2);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (name.empty() ||
            std::string_view("#^/&{!>=.").find(name.front()) != std::string_view::npos)
            return std::nullopt;
        const Json* v = lookUp(name, m_vm, item);
        if (v && v->is_string())
            out += v->get_ref<const std::string&>();
        else if (v && !v->is_null())
            return std::nullopt;
        pos = close + 2;
    }
    return out;
}

std::string TextRenderer::operator()(const std::string& tmpl, const Json* item) const {
    if (tmpl.find("{{") == std::string::npos) return tidy(tmpl);
    if (auto plain = renderPlain(tmpl, item)) return tidy(*plain);
    mst::mustache& m = parsed(tmpl);
    if (!m_root) m_root = toData(m_vm);
    if (!item) return tidy(m.render(*m_root));
    const mst::data local = toData(*item);
    mst::context<std::string> ctx{&*m_root};
    ctx.push(&local);
    return tidy(m.render(ctx));
}

// Parsed templates by text, per thread (templates come from the cached cover template, so a
// worker parses each text once). Bounded; cleared when full.
mst::mustache& TextRenderer::parsed(const std::string& tmpl) {
    static thread_local std::unordered_map<std::string, std::unique_ptr<mst::mustache>> memo;
    auto it = memo.find(tmpl);
    if (it == memo.end()) {
        if (memo.size() >= 2048) memo.clear();
        auto m = std::make_unique<mst::mustache>(tmpl);
        m->set_custom_escape([](const std::string& s) { return s; });
        it = memo.emplace(tmpl, std::move(m)).first;
    }
    return *it->second;
}

bool TextRenderer::visible(const std::string& ifPath, const std::string& unlessPath) const {
    if (!ifPath.empty() && !truthy(jsonAt(m_vm, ifPath))) return false;
    if (!unlessPath.empty() && truthy(jsonAt(m_vm, unlessPath))) return false;
    return true;
}

}  // namespace lecert::cover
