// SPDX-License-Identifier: MIT
#include "core/render/official_form.h"

#include <algorithm>
#include <set>

#include "core/model/printability.h"
#include "core/pdf/document.h"
#include "core/util/date.h"
#include "core/util/sha256.h"

namespace lecert {

namespace {

using pdf::OfficialField;
using pdf::OfficialFieldKind;

bool isBox(OfficialFieldKind k) {
    return k == OfficialFieldKind::CheckBox || k == OfficialFieldKind::Radio;
}
bool coveredBy(const std::string& pattern, const std::string& prefix) {
    if (pattern == prefix) return true;
    return pattern.size() > prefix.size() && pattern.compare(0, prefix.size(), prefix) == 0 &&
           (pattern[prefix.size()] == '.' || pattern[prefix.size()] == '[');
}

void leaves(const Json& j, const std::string& path, std::vector<std::string>& out) {
    if (j.is_null()) return;
    if (j.is_string() && j.get<std::string>().empty()) return;
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) leaves(*it, joinPath(path, it.key()), out);
        return;
    }
    if (j.is_array()) {
        const bool objects =
            std::any_of(j.begin(), j.end(), [](const Json& e) { return e.is_object(); });
        if (!objects) {
            if (!j.empty()) out.push_back(path);
            return;
        }
        for (std::size_t i = 0; i < j.size(); ++i) leaves(j[i], indexPath(path, i), out);
        return;
    }
    out.push_back(path);
}

std::string patternOf(const std::string& path) {
    auto p = FieldPath::parse(path);
    return p ? p->pattern() : path;
}

}  // namespace

std::vector<std::string> unplacedValues(const OfficialMap& map, const Record& record) {
    std::vector<std::string> paths;
    leaves(record.json(), "", paths);
    std::vector<std::string> out;
    for (const auto& path : paths) {
        const std::string pattern = patternOf(path);
        bool unmapped = false, placed = false;
        for (const auto& u : map.unmapped) unmapped = unmapped || coveredBy(pattern, u);
        if (!unmapped) {
            for (const auto& e : map.entries)
                for (const auto& p : e.paths) placed = placed || coveredBy(pattern, p);
            for (const auto& [key, why] : map.notOnForm) placed = placed || coveredBy(pattern, key);
        }
        if (!placed && std::find(out.begin(), out.end(), pattern) == out.end())
            out.push_back(pattern);
    }
    return out;
}

Result<OfficialMatch> checkOfficialEdition(const FormEdition& edition,
                                           const pdf::OfficialPdf& pdf) {
    const std::string what =
        std::string(formToString(edition.form)) + " edition " + edition.edition;
    if (!edition.map())
        return Error{edition.mapProblem().empty() ? what + " has no official_map.json"
                                                  : edition.mapProblem(),
                     {}};
    const OfficialMap& map = *edition.map();
    if (std::find(map.sha256.begin(), map.sha256.end(), pdf.sha256()) != map.sha256.end())
        return OfficialMatch{true, "SHA-256 matches the official " + what + " file"};
    std::vector<std::string> missing, wrongKind;
    auto want = [&](const std::string& name, bool box) {
        const OfficialField* f = pdf.find(name);
        if (!f)
            missing.push_back(name);
        else if (box ? !isBox(f->kind) : isBox(f->kind))
            wrongKind.push_back(name);
    };
    for (const auto& e : map.entries) {
        for (const auto& o : e.options) want(o.field, true);
        if (!e.field.empty()) want(e.field, false);
        for (const auto& r : e.repeat) want(r, false);
        for (const auto& row : e.rows)
            for (const auto& [k, name] : row) want(name, false);
    }
    for (const auto& b : map.additionalBlocks)
        for (const auto* n : {&b.page, &b.part, &b.item, &b.text}) want(*n, false);
    for (const auto& s : map.signature)
        if (!pdf.find(s)) missing.push_back(s);
    if (missing.empty() && wrongKind.empty())
        return OfficialMatch{false, "field inventory matches " + what + " (SHA-256 " +
                                        pdf.sha256().substr(0, 12) +
                                        "… is not the file the map was made from)"};
    std::string msg = "is not the official PDF of " + what + ": ";
    if (!missing.empty())
        msg += std::to_string(missing.size()) +
               " of its mapped fields are missing (first: " + missing.front() + ")";
    if (!wrongKind.empty())
        msg += std::string(missing.empty() ? "" : "; ") + std::to_string(wrongKind.size()) +
               " fields have another kind (first: " + wrongKind.front() + ")";
    msg += "; the file has " + std::to_string(pdf.fields().size()) + " fields and SHA-256 " +
           pdf.sha256();
    return Error{msg, {}};
}

std::shared_ptr<const FormEdition> matchOfficialEdition(
    const std::vector<std::shared_ptr<const FormEdition>>& editions, const pdf::OfficialPdf& pdf,
    OfficialMatch* how) {
    std::shared_ptr<const FormEdition> byInventory;
    OfficialMatch inv;
    for (const auto& e : editions) {
        auto m = checkOfficialEdition(*e, pdf);
        if (!m) continue;
        if (m->byHash) {
            if (how) *how = *m;
            return e;
        }
        if (!byInventory) {
            byInventory = e;
            inv = *m;
        }
    }
    if (byInventory && how) *how = inv;
    return byInventory;
}

namespace {

struct AdditionalEntry {
    std::string page, part, item, text;
};

// Turns a record into field values for one edition's map.
class Planner {
public:
    Planner(const FormEdition& ed, const Record& r, const pdf::OfficialPdf& pdf)
        : m_ed(ed), m_map(*ed.map()), m_r(r), m_pdf(pdf) {}

    Status plan();
    Status placeAdditional();
    pdf::OfficialFillRequest& request() { return m_req; }
    const std::vector<AdditionalEntry>& continuation() const { return m_more; }

private:
    Status text(const MapEntry& e, const std::string& field, const std::string& value,
                const std::string& path);
    Status choice(const MapEntry& e, const std::string& value, const std::string& path);
    Status rows(const MapEntry& e);
    std::string format(const MapEntry& e, const Json& v, bool date) const;
    std::string see() const { return "See Part " + m_map.additionalPart + "."; }
    void overflow(const MapRef& ref, const std::string& text) {
        m_extra.push_back({ref.page ? std::to_string(ref.page) : "", ref.part, ref.item, text});
    }
    std::string optionLabel(const std::string& path, const std::string& value) const {
        if (const FormItem* it = m_ed.worksheet->itemForPath(path))
            if (const Option* o = it->option(value)) return o->label;
        return value;
    }

    const FormEdition& m_ed;
    const OfficialMap& m_map;
    const Record& m_r;
    const pdf::OfficialPdf& m_pdf;
    pdf::OfficialFillRequest m_req;
    std::vector<AdditionalEntry> m_extra;  // for the Additional Information part
    std::vector<AdditionalEntry> m_more;   // for continuation pages
};

std::string Planner::format(const MapEntry& e, const Json& v, bool date) const {
    if (!v.is_string()) return v.is_null() ? std::string() : v.dump();
    std::string s = v.get<std::string>();
    if (date || e.kind == MapKind::Date) {
        if (auto d = Date::parse(s)) return d->us();
    }
    if (e.kind == MapKind::Phone) {
        if (auto p = parsePhone(s))
            return p->digits + (p->extension.empty() ? "" : " x" + p->extension);
    }
    return s;
}

Status Planner::text(const MapEntry& e, const std::string& field, const std::string& value,
                     const std::string& path) {
    const OfficialField* f = m_pdf.find(field);
    if (!f) return Error{"the official PDF has no field " + field, {{}, 0, 0, path}};
    std::string v = value;
    if (f->kind == OfficialFieldKind::Dropdown && !f->options.empty()) {
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(' '));
            s.erase(s.find_last_not_of(' ') + 1);
            return s;
        };
        auto it = std::find_if(f->options.begin(), f->options.end(),
                               [&](const std::string& o) { return trim(o) == value; });
        if (it == f->options.end())
            return Error{"the official PDF's list has no entry for this value", {{}, 0, 0, path}};
        v = *it;
    }
    if (!m_pdf.fits(*f, v)) {
        if (m_map.additionalPage == 0)
            return Error{
                "the value does not fit its box and this edition's Additional Information "
                "part is not mapped",
                {{}, 0, 0, path}};
        overflow(e.ref, v);
        v = m_pdf.fits(*f, see()) ? see() : std::string();
    }
    if (!v.empty()) m_req.text[f->name] = v;
    return Ok{};
}

Status Planner::choice(const MapEntry& e, const std::string& value, const std::string& path) {
    for (const auto& o : e.options) {
        if (o.value != value) continue;
        const OfficialField* f = m_pdf.find(o.field);
        if (!f || !isBox(f->kind))
            return Error{"the official PDF has no check box " + o.field, {{}, 0, 0, path}};
        std::string on = o.onState;
        if (on.empty()) {
            if (f->onStates.size() != 1)
                return Error{"the check box " + o.field + " has " +
                                 std::to_string(f->onStates.size()) +
                                 " on-states; the map must name one",
                             {{}, 0, 0, path}};
            on = f->onStates.front();
        }
        m_req.checks[f->name] = on;
        return Ok{};
    }
    if (e.otherwiseToAdditional && m_map.additionalPage) {
        overflow(e.ref, (e.label.empty() ? path : e.label) + ": " + optionLabel(path, value));
        return Ok{};
    }
    return Error{"this edition of the official form has no box for the value \"" + value + "\"",
                 {{}, 0, 0, path}};
}

Status Planner::rows(const MapEntry& e) {
    const Json* arr = m_r.get(e.path());
    if (!arr || !arr->is_array()) return Ok{};
    std::vector<std::string> extraPlain;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Json& el = (*arr)[i];
        const std::string elPath = indexPath(e.path(), i);
        if (i < e.rows.size()) {
            for (const auto& [col, field] : e.rows[i]) {
                const Json* v = col.empty()
                                    ? &el
                                    : (el.is_object() && el.contains(col) ? &el.at(col) : nullptr);
                if (!v || v->is_null()) continue;
                const std::string s = format(e, *v, e.rowsAreDates);
                if (s.empty()) continue;
                if (auto st = text(e, field, s, col.empty() ? elPath : joinPath(elPath, col)); !st)
                    return st;
            }
            continue;
        }
        if (m_map.additionalPage == 0)
            return Error{
                "more rows than the form prints and this edition's Additional Information part "
                "is not mapped",
                {{}, 0, 0, elPath}};
        if (!el.is_object()) {
            extraPlain.push_back(format(e, el, e.rowsAreDates));
            continue;
        }
        std::string t = e.label + " " + std::to_string(i + 1) + ": ";
        bool first = true;
        for (const auto& [key, label] : e.columns) {
            const std::string s = el.contains(key) ? format(e, el.at(key), false) : "";
            if (s.empty()) continue;
            t += (first ? "" : "; ") + label + ": " + s;
            first = false;
        }
        overflow(e.ref, t);
    }
    if (!extraPlain.empty()) {
        std::string t = e.label + " (continued): ";
        for (std::size_t i = 0; i < extraPlain.size(); ++i) t += (i ? "; " : "") + extraPlain[i];
        overflow(e.ref, t);
    }
    return Ok{};
}

Status Planner::plan() {
    if (auto un = unplacedValues(m_map, m_r); !un.empty()) {
        const bool notYet =
            std::any_of(m_map.unmapped.begin(), m_map.unmapped.end(),
                        [&](const std::string& u) { return coveredBy(un.front(), u); });
        return Error{notYet ? "this value is not yet mapped to the official PDF of edition " +
                                  m_ed.edition + " (see `lecert forms`); use the worksheet"
                            : "the official form (edition " + m_ed.edition +
                                  ") has no place for this value (official_map.json)",
                     {{}, 0, 0, un.front()}};
    }
    for (const auto& e : m_map.entries) {
        if (e.kind == MapKind::Rows) {
            if (auto st = rows(e); !st) return st;
            continue;
        }
        const Json* v = m_r.get(e.path());
        if (e.kind == MapKind::Choice || e.kind == MapKind::YesNo) {
            if (!v || v->is_null()) continue;
            const std::string value = v->is_boolean()
                                          ? (v->get<bool>() ? "true" : "false")
                                          : (v->is_string() ? v->get<std::string>() : v->dump());
            if (auto st = choice(e, value, e.path()); !st) return st;
            continue;
        }
        if (e.kind == MapKind::MultiChoice) {
            if (!v || !v->is_array()) continue;
            for (std::size_t i = 0; i < v->size(); ++i)
                if ((*v)[i].is_string())
                    if (auto st = choice(e, (*v)[i].get<std::string>(), indexPath(e.path(), i));
                        !st)
                        return st;
            continue;
        }
        std::string value;
        for (const auto& p : e.paths) {
            const Json* pv = m_r.get(p);
            const std::string s = pv ? format(e, *pv, false) : "";
            if (s.empty()) continue;
            value += (value.empty() ? "" : e.separator) + s;
        }
        if (value.empty()) continue;
        if (auto st = text(e, e.field, value, e.path()); !st) return st;
        for (const auto& r : e.repeat)
            if (auto st = text(e, r, value, e.path()); !st) return st;
    }
    return placeAdditional();
}

// The record's own notes first, then what did not fit; each block of the form's Part takes one
// entry, the rest go to continuation pages.
Status Planner::placeAdditional() {
    std::vector<AdditionalEntry> all;
    if (const Json* notes = m_r.get("additional_information"); notes && notes->is_array()) {
        for (const auto& n : *notes) {
            if (!n.is_object()) continue;
            AdditionalEntry a;
            a.part = n.value("part", "");
            a.item = n.value("item", "");
            a.text = n.value("text", "");
            for (const auto& e : m_map.entries)
                if (e.ref.part == a.part && (a.page.empty() || e.ref.item == a.item))
                    a.page = e.ref.page ? std::to_string(e.ref.page) : "";
            if (!a.text.empty()) all.push_back(a);
        }
    }
    all.insert(all.end(), m_extra.begin(), m_extra.end());
    if (!all.empty() && m_map.additionalBlocks.empty())
        return Error{
            "needs the Additional Information part, which this edition's map does not have",
            {{}, 0, 0, "additional_information"}};
    std::size_t block = 0;
    for (const auto& a : all) {
        const AdditionalBlock* b =
            block < m_map.additionalBlocks.size() ? &m_map.additionalBlocks[block] : nullptr;
        const OfficialField* tf = b ? m_pdf.find(b->text) : nullptr;
        if (!b || !tf || !m_pdf.fits(*tf, a.text)) {
            m_more.push_back(a);
            continue;
        }
        const std::pair<const std::string*, const std::string*> cells[] = {
            {&b->page, &a.page}, {&b->part, &a.part}, {&b->item, &a.item}, {&b->text, &a.text}};
        for (const auto& [fieldName, value] : cells) {
            const OfficialField* f = m_pdf.find(*fieldName);
            if (!f)
                return Error{"the official PDF has no field " + *fieldName,
                             {{}, 0, 0, "additional_information"}};
            if (!value->empty()) m_req.text[f->name] = *value;
        }
        ++block;
    }
    return Ok{};
}

// Continuation pages in the style of the form's Additional Information part.
Result<std::string> continuationPages(const FormEdition& ed, const Record& r,
                                      const std::vector<AdditionalEntry>& entries,
                                      std::shared_ptr<const pdf::FontSet> fonts) {
    pdf::Document doc(std::move(fonts));
    const std::string part = ed.map()->additionalPart;
    pdf::TextStyle title{pdf::FontFace::Bold, 12, {}}, label{pdf::FontFace::Bold, 9, {}},
        body{pdf::FontFace::Regular, 10, {}};
    int page = -1;
    double y = 0;
    auto newPage = [&]() {
        page = doc.addPage();
        doc.drawText(page, 36, 750,
                     ed.worksheet->title + "  (Edition " + ed.worksheet->editionPrinted + ")",
                     title);
        doc.drawText(page, 36, 733,
                     "Part " + part + ". Additional Information (continuation page " +
                         std::to_string(page + 1) + ")",
                     label);
        const std::string name =
            r.string("victim.family_name") + ", " + r.string("victim.given_name") +
            (r.string("victim.middle_name").empty() ? "" : " " + r.string("victim.middle_name"));
        doc.drawText(page, 36, 716, "Victim: " + name, body);
        if (!r.string("victim.a_number").empty())
            doc.drawText(page, 330, 716, "A-Number: A-" + r.string("victim.a_number"), body);
        doc.drawLine(page, 36, 708, 576, 708, 0.8, {});
        y = 690;
    };
    newPage();
    for (const auto& e : entries) {
        auto lines = doc.wrapText(e.text, 530, body);
        if (y - 30 < 50) newPage();
        doc.drawText(
            page, 36, y,
            "Page Number " + e.page + "    Part Number " + e.part + "    Item Number " + e.item,
            label);
        y -= 14;
        for (const auto& line : lines) {
            if (y < 50) newPage();
            doc.drawText(page, 40, y, line, body);
            y -= pdf::Document::lineHeight(body.size);
        }
        y -= 10;
    }
    return doc.write();
}

}  // namespace

Result<std::string> renderOfficialForm(const FormEdition& edition, const Record& record,
                                       const pdf::OfficialPdf& pdf,
                                       const OfficialFormOptions& options) {
    if (!edition.map())
        return Error{edition.mapProblem().empty() ? "this edition has no official_map.json"
                                                  : edition.mapProblem(),
                     {}};
    // An official form is never a draft: a name that would print blank is an error.
    if (const auto fonts = options.fonts ? options.fonts : pdf::FontSet::shared())
        if (auto names = unprintableNames(record.json(), *fonts); !names.empty())
            return Error{unprintableNameMessage(names.front().second),
                         {{}, 0, 0, names.front().first}};
    Planner planner(edition, record, pdf);
    if (auto st = planner.plan(); !st) return st.error();
    auto& req = planner.request();
    req.flatten = options.flatten;
    if (!planner.continuation().empty()) {
        auto fonts = options.fonts ? options.fonts : pdf::FontSet::shared();
        auto pages = continuationPages(edition, record, planner.continuation(), fonts);
        if (!pages) return pages.error();
        req.appendPdf = std::move(*pages);
    }
    return pdf.fill(req);
}

Result<OfficialVerification> verifyOfficialPdf(
    std::string_view filled, const std::vector<std::shared_ptr<const FormEdition>>& editions) {
    auto len = pdf::originalLength(filled);
    if (!len) return len.error();
    if (*len == 0)
        return Error{"has no incremental update: it is not an official form filled by lecert", {}};
    OfficialVerification v;
    // The update starts after the original's last byte, or after one newline lecert added.
    std::vector<std::size_t> candidates{*len};
    if (*len > 0 && filled[*len - 1] == '\n') candidates.push_back(*len - 1);
    for (std::size_t n : candidates) {
        const std::string sha = sha256Hex(filled.substr(0, n));
        for (const auto& e : editions) {
            if (!e->map()) continue;
            const auto& h = e->map()->sha256;
            if (std::find(h.begin(), h.end(), sha) != h.end()) {
                v.edition = e;
                v.originalLength = n;
                v.originalSha256 = sha;
                v.intact = true;
                v.summary = "original bytes intact: the first " + std::to_string(n) +
                            " bytes are the published file (SHA-256 " + sha + ")";
                return v;
            }
        }
    }
    v.originalLength = *len;
    v.originalSha256 = sha256Hex(filled.substr(0, *len));
    auto original = pdf::OfficialPdf::open(std::string(filled.substr(0, *len)), nullptr);
    if (!original)
        return Error{
            "the bytes before the update are not a readable PDF: " + original.error().message, {}};
    OfficialMatch how;
    v.edition = matchOfficialEdition(editions, **original, &how);
    v.summary =
        "NOT verified: the first " + std::to_string(*len) + " bytes (SHA-256 " + v.originalSha256 +
        ") are not a published file any edition's map lists" +
        (v.edition ? "; by field inventory they are " + std::string(formToString(v.edition->form)) +
                         " edition " + v.edition->edition
                   : std::string());
    return v;
}

}  // namespace lecert
