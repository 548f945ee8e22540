// SPDX-License-Identifier: MIT
#include "core/model/form_edition.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <mutex>
#include <optional>

#include "core/model/contacts.h"
#include "core/util/data_dir.h"
#include "core/util/data_file_reader.h"
#include "core/util/json_io.h"

namespace lecert {

namespace fs = std::filesystem;

namespace {

std::optional<MapKind> mapKindFromString(std::string_view s) {
    static const std::pair<const char*, MapKind> kinds[] = {{"text", MapKind::Text},
                                                            {"multiline", MapKind::Multiline},
                                                            {"date", MapKind::Date},
                                                            {"phone", MapKind::Phone},
                                                            {"dropdown", MapKind::Dropdown},
                                                            {"choice", MapKind::Choice},
                                                            {"multichoice", MapKind::MultiChoice},
                                                            {"yesno", MapKind::YesNo},
                                                            {"rows", MapKind::Rows}};
    for (const auto& [name, kind] : kinds)
        if (s == name) return kind;
    return std::nullopt;
}

struct MapParser : DataFileReader {
    MapRef ref(const Json& j, const std::string& where) {
        MapRef r;
        auto it = j.find("ref");
        if (it == j.end() || !it->is_object()) {
            fail(where, "missing \"ref\" {page, part, item}");
            return r;
        }
        if (auto p = it->find("page"); p != it->end() && p->is_number_integer())
            r.page = p->get<int>();
        r.part = str(*it, "part", where + ".ref", true);
        r.item = str(*it, "item", where + ".ref", true);
        return r;
    }
    void rows(const Json& j, MapEntry& e, const std::string& where) {
        auto it = j.find("rows");
        if (it == j.end() || !it->is_array() || it->empty()) {
            fail(where, "\"rows\" must be a non-empty array");
            return;
        }
        for (const auto& row : *it) {
            std::map<std::string, std::string> cols;
            if (row.is_string()) {
                cols[""] = row.get<std::string>();
            } else if (row.is_object()) {
                for (auto c = row.begin(); c != row.end(); ++c)
                    if (c->is_string()) cols[c.key()] = c->get<std::string>();
            } else {
                fail(where + ".rows", "a row is a field name or an object of field names");
            }
            e.rows.push_back(std::move(cols));
        }
        if (auto c = j.find("columns"); c != j.end() && c->is_object())
            for (auto k = c->begin(); k != c->end(); ++k)
                e.columns.emplace_back(k.key(), k->is_string() ? k->get<std::string>() : k.key());
        e.rowsAreDates = str(j, "format", where, false) == "date";
    }
    void options(const Json& j, MapEntry& e, const std::string& where) {
        auto it = j.find("options");
        if (it == j.end() || !it->is_object() || it->empty()) {
            fail(where, "\"options\" must be a non-empty object");
            return;
        }
        for (auto o = it->begin(); o != it->end(); ++o) {
            const std::string w = where + ".options." + o.key();
            if (!o->is_object()) {
                fail(w, "expected {\"field\": …, \"on\": …}");
                continue;
            }
            e.options.push_back({o.key(), str(*o, "field", w, true), str(*o, "on", w, false)});
        }
        e.otherwiseToAdditional = str(j, "otherwise", where, false) == "additional_information";
    }
    MapEntry entry(const Json& j, const std::string& where) {
        MapEntry e;
        if (!j.is_object()) {
            fail(where, "an entry must be an object");
            return e;
        }
        const std::string kind = str(j, "kind", where, true);
        const auto k = mapKindFromString(kind);
        if (!k) fail(where + ".kind", "unknown kind \"" + kind + "\"");
        e.kind = k.value_or(MapKind::Text);
        if (j.contains("paths")) {
            e.paths = strings(j, "paths", where);
            e.separator = str(j, "separator", where, false);
        } else {
            e.paths.push_back(str(j, "path", where, true));
        }
        if (e.paths.empty()) fail(where, "\"paths\" is empty");
        e.label = str(j, "label", where, false);
        e.ref = ref(j, where);
        switch (e.kind) {
            case MapKind::Choice:
            case MapKind::MultiChoice:
            case MapKind::YesNo:
                options(j, e, where);
                break;
            case MapKind::Rows:
                rows(j, e, where);
                break;
            default:
                e.field = str(j, "field", where, true);
                e.repeat = strings(j, "repeat", where);
        }
        return e;
    }
    void additional(const Json& j, OfficialMap& m) {
        auto it = j.find("additional_information");
        if (it == j.end() || it->is_null()) return;
        if (!it->is_object()) return fail("additional_information", "expected an object or null");
        if (auto p = it->find("page"); p != it->end() && p->is_number_integer())
            m.additionalPage = p->get<int>();
        m.additionalPart = str(*it, "part", "additional_information", true);
        auto blocks = it->find("blocks");
        if (blocks == it->end() || !blocks->is_array())
            return fail("additional_information", "\"blocks\" must be an array");
        for (std::size_t i = 0; i < blocks->size(); ++i) {
            const std::string w = "additional_information.blocks[" + std::to_string(i) + "]";
            const Json& b = (*blocks)[i];
            if (!b.is_object()) {
                fail(w, "expected {page, part, item, text}");
                continue;
            }
            m.additionalBlocks.push_back({str(b, "page", w, true), str(b, "part", w, true),
                                          str(b, "item", w, true), str(b, "text", w, true)});
        }
    }
};

}  // namespace

std::vector<std::string> OfficialMap::fieldNames() const {
    std::vector<std::string> out;
    for (const auto& e : entries) {
        if (!e.field.empty()) out.push_back(e.field);
        out.insert(out.end(), e.repeat.begin(), e.repeat.end());
        for (const auto& o : e.options) out.push_back(o.field);
        for (const auto& row : e.rows)
            for (const auto& [key, name] : row) out.push_back(name);
    }
    for (const auto& b : additionalBlocks) out.insert(out.end(), {b.page, b.part, b.item, b.text});
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Result<OfficialMap> parseOfficialMap(const Json& j, const std::string& source) {
    MapParser p;
    p.source = source;
    OfficialMap m;
    if (!j.is_object()) return Error{"an official map must be a JSON object", {source, 0, 0, {}}};
    m.form = p.str(j, "form", "(top)", true);
    m.edition = p.str(j, "edition", "(top)", true);
    m.officialFile = p.str(j, "official_file", "(top)", false);
    m.sha256 = p.strings(j, "sha256", "(top)");
    if (auto v = j.find("pages"); v != j.end() && v->is_number_integer()) m.pages = v->get<int>();
    if (auto v = j.find("field_count"); v != j.end() && v->is_number_integer())
        m.fieldCount = v->get<int>();
    if (auto v = j.find("complete"); v != j.end() && v->is_boolean()) m.complete = v->get<bool>();
    auto fields = j.find("fields");
    if (fields == j.end() || !fields->is_array())
        return Error{"\"fields\" must be an array", {source, 0, 0, {}}};
    for (std::size_t i = 0; i < fields->size(); ++i)
        m.entries.push_back(p.entry((*fields)[i], "fields[" + std::to_string(i) + "]"));
    m.signature = p.strings(j, "signature", "(top)");
    p.additional(j, m);
    if (auto v = j.find("not_on_form"); v != j.end() && v->is_object())
        for (auto k = v->begin(); k != v->end(); ++k)
            m.notOnForm[k.key()] = k->is_string() ? k->get<std::string>() : std::string();
    m.unmapped = p.strings(j, "unmapped", "(top)");
    m.unverified = p.str(j, "unverified", "(top)", false);
    if (p.err) return *p.err;
    return m;
}

struct FormEdition::LazyMap {
    std::string path, formName, edition;
    std::once_flag once;
    std::shared_ptr<const OfficialMap> map;
    std::string problem;

    void load() {
        std::error_code ec;
        if (!fs::exists(path, ec)) return;
        auto text = readFile(path, 16u * 1024u * 1024u);
        if (!text) return fail(text.error());
        auto json = parseJson(*text, path);
        if (!json) return fail(json.error());
        auto parsed = parseOfficialMap(*json, path);
        if (!parsed) return fail(parsed.error());
        if (parsed->form != formName || parsed->edition != edition)
            return fail(Error{
                "\"form\"/\"edition\" must match the folder (" + formName + "/" + edition + ")",
                {path, 0, 0, {}}});
        map = std::make_shared<const OfficialMap>(std::move(*parsed));
    }
    void fail(const Error& e) { problem = e.toString(); }
};

std::shared_ptr<const OfficialMap> FormEdition::map() const {
    if (!lazyMap) return nullptr;
    std::call_once(lazyMap->once, [this] { lazyMap->load(); });
    return lazyMap->map;
}

std::string FormEdition::mapProblem() const {
    if (!lazyMap) return {};
    (void)map();
    return lazyMap->problem;
}

Result<FormEdition> loadFormEditionDir(const std::string& dir) {
    FormEdition ed;
    ed.dir = dir;
    ed.edition = fs::path(dir).filename().string();
    const std::string formName = fs::path(dir).parent_path().filename().string();
    const auto form = formFromString(formName);
    if (!form)
        return Error{
            "the folder above an edition must be a form (i918b, i914b), not \"" + formName + "\"",
            {dir, 0, 0, {}}};
    ed.form = *form;
    const std::string wsPath = (fs::path(dir) / "worksheet.json").string();
    auto ws = loadFormDefinitionFile(wsPath);
    if (!ws) return ws.error();
    // Contact numbers in help texts come from templates/contacts.json.
    auto contacts = shippedContacts();
    if (!contacts) return contacts.error();
    expandContactsInHelp(*ws, *contacts);
    if (ws->form != formName || ws->edition != ed.edition)
        return Error{
            "\"form\"/\"edition\" must match the folder (" + formName + "/" + ed.edition + ")",
            {wsPath, 0, 0, {}}};
    ed.worksheet = std::make_shared<const FormDefinition>(std::move(*ws));
    ed.lazyMap = std::make_shared<FormEdition::LazyMap>();
    ed.lazyMap->path = (fs::path(dir) / "official_map.json").string();
    ed.lazyMap->formName = formName;
    ed.lazyMap->edition = ed.edition;
    return ed;
}

Result<std::vector<std::shared_ptr<const FormEdition>>> loadEditions(const std::string& formsRoot,
                                                                     std::optional<FormId> only) {
    std::vector<std::string> dirs;
    std::error_code ec;
    for (const auto& formDir : fs::directory_iterator(formsRoot, ec)) {
        if (!formDir.is_directory()) continue;
        const auto form = formFromString(formDir.path().filename().string());
        if (!form || (only && *form != *only)) continue;
        for (const auto& edDir : fs::directory_iterator(formDir.path(), ec))
            if (fs::exists(edDir.path() / "worksheet.json")) dirs.push_back(edDir.path().string());
    }
    if (ec) return Error{"cannot read the forms folder: " + ec.message(), {formsRoot, 0, 0, {}}};
    std::sort(dirs.begin(), dirs.end());
    std::vector<std::shared_ptr<const FormEdition>> out;
    for (const auto& d : dirs) {
        auto ed = loadFormEditionDir(d);
        if (!ed) return ed.error();
        out.push_back(std::make_shared<const FormEdition>(std::move(*ed)));
    }
    return out;
}

Result<std::shared_ptr<const FormEdition>> findEdition(
    const std::vector<std::shared_ptr<const FormEdition>>& editions, FormId form,
    std::string_view edition) {
    std::shared_ptr<const FormEdition> best;
    for (const auto& e : editions) {
        if (e->form != form) continue;
        if (!edition.empty() && e->edition == edition) return e;
        if (edition.empty() && (!best || e->edition > best->edition)) best = e;
    }
    if (best) return best;
    return Error{"edition " + std::string(edition.empty() ? "(any)" : edition) + " of " +
                     std::string(formToString(form)) + " is not installed",
                 {{}, 0, 0, "edition"}};
}

namespace {
constexpr std::array<FormId, 2> kForms{FormId::I914B, FormId::I918B};  // folder order

// One form's shipped editions, loaded the first time that form is asked for: validating or
// filling a record reads only its own form's files (a third of the start-up time otherwise).
const Result<std::vector<std::shared_ptr<const FormEdition>>>& shippedOf(FormId form) {
    using Cache = std::optional<Result<std::vector<std::shared_ptr<const FormEdition>>>>;
    static std::array<std::once_flag, kForms.size()> once;
    static std::array<Cache, kForms.size()> cache;
    const auto i =
        static_cast<std::size_t>(std::find(kForms.begin(), kForms.end(), form) - kForms.begin());
    std::call_once(once.at(i), [&] { cache.at(i).emplace(loadEditions(dataPath("forms"), form)); });
    return *cache.at(i);
}
}  // namespace

Result<std::vector<std::shared_ptr<const FormEdition>>> shippedEditions() {
    std::vector<std::shared_ptr<const FormEdition>> all;
    for (FormId f : kForms) {
        const auto& one = shippedOf(f);
        if (!one) return one.error();
        all.insert(all.end(), one->begin(), one->end());
    }
    return all;
}

Result<std::shared_ptr<const FormEdition>> formEdition(FormId form, std::string_view edition) {
    const auto& mine = shippedOf(form);
    if (!mine) return mine.error();
    return findEdition(*mine, form, edition);
}

Result<std::shared_ptr<const FormEdition>> formEditionFor(const Record& record) {
    const auto form = record.form();
    if (!form) return Error{"the record has no supported \"form\"", {{}, 0, 0, "form"}};
    return formEdition(*form, record.string("edition"));
}

std::vector<std::string> editionNames(FormId form) {
    std::vector<std::string> out;
    const auto& mine = shippedOf(form);
    if (!mine) return out;
    for (const auto& e : *mine) out.push_back(e->edition);
    return out;
}

}  // namespace lecert
