// SPDX-License-Identifier: MIT
#include "core/model/form_definition.h"

#include "core/model/contacts.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "core/model/form_edition.h"
#include "core/util/data_dir.h"
#include "core/util/data_file_reader.h"

namespace lecert {

namespace fs = std::filesystem;

std::optional<ItemKind> itemKindFromString(std::string_view s) {
    if (s == "text") return ItemKind::Text;
    if (s == "multiline") return ItemKind::Multiline;
    if (s == "date") return ItemKind::Date;
    if (s == "yesno") return ItemKind::YesNo;
    if (s == "choice") return ItemKind::Choice;
    if (s == "multichoice") return ItemKind::MultiChoice;
    if (s == "group") return ItemKind::Group;
    if (s == "signature") return ItemKind::Signature;
    return std::nullopt;
}

std::string_view itemKindToString(ItemKind k) {
    switch (k) {
        case ItemKind::Text:
            return "text";
        case ItemKind::Multiline:
            return "multiline";
        case ItemKind::Date:
            return "date";
        case ItemKind::YesNo:
            return "yesno";
        case ItemKind::Choice:
            return "choice";
        case ItemKind::MultiChoice:
            return "multichoice";
        case ItemKind::Group:
            return "group";
        case ItemKind::Signature:
            return "signature";
    }
    return "text";
}

bool Condition::evaluate(const Record& record) const {
    switch (op) {
        case Op::All:
            return std::all_of(children.begin(), children.end(),
                               [&](const Condition& c) { return c.evaluate(record); });
        case Op::Any:
            return std::any_of(children.begin(), children.end(),
                               [&](const Condition& c) { return c.evaluate(record); });
        default:
            break;
    }
    const Json* v = record.get(path);
    switch (op) {
        case Op::Equals:
            return v && *v == value;
        case Op::NotEquals:
            return !v || *v != value;
        case Op::Contains:
            return v && v->is_array() && std::find(v->begin(), v->end(), value) != v->end();
        case Op::In:
            return v && std::find(values.begin(), values.end(), *v) != values.end();
        default:
            return false;
    }
}

void Condition::collectPaths(std::vector<std::string>& out) const {
    if (!path.empty()) out.push_back(path);
    for (const auto& c : children) c.collectPaths(out);
}

const Option* FormItem::option(std::string_view value) const {
    for (const auto& o : options) {
        if (o.value == value) return &o;
    }
    return nullptr;
}

namespace {

const FormItem* findInItems(const std::vector<FormItem>& items, const std::string& pattern) {
    for (const auto& it : items) {
        if (it.kind == ItemKind::Group) {
            if (it.path == pattern) return &it;
            for (const auto& f : it.fields) {
                const std::string full = f.path.empty() ? it.path + "[]" : it.path + "[]." + f.path;
                if (full == pattern) return &f;
            }
            if (pattern.rfind(it.path + "[]", 0) == 0) return &it;
        } else if (!it.path.empty() && it.path == pattern) {
            return &it;
        }
    }
    return nullptr;
}

std::string patternOf(std::string_view path) {
    auto p = FieldPath::parse(path);
    return p ? p->pattern() : std::string(path);
}

struct Parser : DataFileReader {
    Condition condition(const Json& j, const std::string& where) {
        Condition c;
        if (!j.is_object()) {
            fail(where, "a condition must be an object");
            return c;
        }
        if (j.contains("all") || j.contains("any")) {
            const bool all = j.contains("all");
            c.op = all ? Condition::Op::All : Condition::Op::Any;
            const Json& list = j.at(all ? "all" : "any");
            if (!list.is_array())
                fail(where, "\"all\"/\"any\" takes an array");
            else
                for (std::size_t i = 0; i < list.size(); ++i)
                    c.children.push_back(condition(list[i], where + "." + (all ? "all" : "any") +
                                                                "[" + std::to_string(i) + "]"));
            return c;
        }
        c.path = str(j, "path", where, true);
        if (j.contains("equals")) {
            c.op = Condition::Op::Equals;
            c.value = j.at("equals");
        } else if (j.contains("not_equals")) {
            c.op = Condition::Op::NotEquals;
            c.value = j.at("not_equals");
        } else if (j.contains("contains")) {
            c.op = Condition::Op::Contains;
            c.value = j.at("contains");
        } else if (j.contains("in") && j.at("in").is_array()) {
            c.op = Condition::Op::In;
            for (const auto& v : j.at("in")) c.values.push_back(v);
        } else {
            fail(where, "a condition needs one of equals, not_equals, contains, in, all, any");
        }
        return c;
    }

    FormItem item(const Json& j, const std::string& where, bool inGroup) {
        FormItem it;
        if (!j.is_object()) {
            fail(where, "an item must be an object");
            return it;
        }
        it.id = str(j, "id", where, !inGroup);
        it.number = str(j, "number", where);
        it.label = str(j, "label", where, true);
        const std::string kind = str(j, "kind", where, true);
        if (auto k = itemKindFromString(kind))
            it.kind = *k;
        else if (!kind.empty())
            fail(where + ".kind", "unknown kind \"" + kind + "\"");
        it.path = str(j, "path", where, false);
        if (it.path.empty() && it.kind != ItemKind::Signature && !inGroup)
            fail(where, "missing \"path\"");
        it.help = str(j, "help", where);
        it.placeholder = str(j, "placeholder", where);
        if (auto r = j.find("required"); r != j.end() && r->is_boolean())
            it.required = r->get<bool>();
        if (auto o = j.find("on_form"); o != j.end() && o->is_boolean()) it.onForm = o->get<bool>();
        if (auto o = j.find("options"); o != j.end()) {
            if (!o->is_array())
                fail(where + ".options", "expected an array");
            else
                for (std::size_t i = 0; i < o->size(); ++i) {
                    const std::string w = where + ".options[" + std::to_string(i) + "]";
                    it.options.push_back(
                        {str((*o)[i], "value", w, true), str((*o)[i], "label", w, true)});
                }
        }
        if ((it.kind == ItemKind::Choice || it.kind == ItemKind::MultiChoice) &&
            it.options.empty()) {
            fail(where, "a choice item needs options");
        }
        if (auto s = j.find("show_if"); s != j.end()) it.showIf = condition(*s, where + ".show_if");
        if (auto s = j.find("slots"); s != j.end() && s->is_number_integer())
            it.slots = s->get<int>();
        if (auto m = j.find("max_len"); m != j.end()) {
            if (!m->is_number_integer() || m->get<int>() < 1)
                fail(where + ".max_len", "expected a positive whole number");
            else
                it.maxLen = m->get<int>();
        }
        if (auto f = j.find("fields"); f != j.end() && f->is_array()) {
            for (std::size_t i = 0; i < f->size(); ++i)
                it.fields.push_back(
                    item((*f)[i], where + ".fields[" + std::to_string(i) + "]", true));
        }
        if (it.kind == ItemKind::Group && it.fields.empty()) fail(where, "a group needs fields");
        if (auto l = j.find("layout"); l != j.end() && l->is_object()) {
            it.layout.row = str(*l, "row", where + ".layout");
            if (auto w = l->find("width"); w != l->end() && w->is_number())
                it.layout.width = w->get<double>();
            if (auto n = l->find("lines"); n != l->end() && n->is_number_integer())
                it.layout.lines = n->get<int>();
            if (auto c = l->find("columns"); c != l->end() && c->is_number_integer())
                it.layout.columns = c->get<int>();
        }
        return it;
    }
};

}  // namespace

const FormItem* FormDefinition::itemForPath(std::string_view path) const {
    const std::string pattern = patternOf(path);
    for (const auto& part : parts) {
        if (const FormItem* it = findInItems(part.items, pattern)) return it;
    }
    return nullptr;
}

const FormPart* FormDefinition::partForPath(std::string_view path) const {
    const std::string pattern = patternOf(path);
    for (const auto& part : parts) {
        if (findInItems(part.items, pattern)) return &part;
    }
    // A parent object path ("crime") belongs to the part with that id.
    for (const auto& part : parts) {
        if (pattern == part.id || pattern.rfind(part.id + ".", 0) == 0) return &part;
    }
    return nullptr;
}

Result<FormDefinition> parseFormDefinition(const Json& j, const std::string& source) {
    Parser p;
    p.source = source;
    FormDefinition d;
    if (!j.is_object()) return Error{"a form definition must be a JSON object", {source, 0, 0, {}}};
    d.form = p.str(j, "form", "(top)", true);
    d.edition = p.str(j, "edition", "(top)", true);
    d.editionPrinted = p.str(j, "edition_printed", "(top)");
    d.title = p.str(j, "title", "(top)", true);
    d.subtitle = p.str(j, "subtitle", "(top)");
    d.omb = p.str(j, "omb", "(top)");
    d.summary = p.str(j, "summary", "(top)");
    auto parts = j.find("parts");
    if (parts == j.end() || !parts->is_array() || parts->empty()) {
        return Error{"\"parts\" must be a non-empty array", {source, 0, 0, {}}};
    }
    for (std::size_t i = 0; i < parts->size(); ++i) {
        const Json& pj = (*parts)[i];
        const std::string where = "parts[" + std::to_string(i) + "]";
        if (!pj.is_object()) {
            p.fail(where, "a part must be an object");
            break;
        }
        FormPart part;
        part.id = p.str(pj, "id", where, true);
        part.number = p.str(pj, "number", where);
        part.title = p.str(pj, "title", where, true);
        part.stepTitle = p.str(pj, "step_title", where);
        if (part.stepTitle.empty()) part.stepTitle = part.title;
        part.help = p.str(pj, "help", where);
        if (auto o = pj.find("on_form"); o != pj.end() && o->is_boolean())
            part.onForm = o->get<bool>();
        if (auto items = pj.find("items"); items != pj.end() && items->is_array()) {
            for (std::size_t k = 0; k < items->size(); ++k)
                part.items.push_back(
                    p.item((*items)[k], where + ".items[" + std::to_string(k) + "]", false));
        } else {
            p.fail(where, "\"items\" must be an array");
        }
        d.parts.push_back(std::move(part));
    }
    if (p.err) return *p.err;
    return d;
}

Result<FormDefinition> loadFormDefinitionFile(const std::string& path) {
    auto text = readFile(path, 16u * 1024u * 1024u);
    if (!text) return text.error();
    auto json = parseJson(*text, path);
    if (!json) return json.error();
    return parseFormDefinition(*json, path);
}

Result<std::shared_ptr<const FormDefinition>> formDefinition(FormId form) {
    auto edition = formEdition(form);
    if (!edition) return edition.error();
    return (*edition)->worksheet;
}

std::vector<std::string> formDefinitionFiles() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& formDir : fs::directory_iterator(dataPath("forms"), ec)) {
        if (!formDir.is_directory()) continue;
        for (const auto& edDir : fs::directory_iterator(formDir.path(), ec)) {
            const fs::path ws = edDir.path() / "worksheet.json";
            if (fs::exists(ws, ec)) out.push_back(ws.string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace lecert
