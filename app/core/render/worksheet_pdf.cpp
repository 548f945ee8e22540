// SPDX-License-Identifier: MIT
#include "core/render/worksheet_pdf.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/model/applicability.h"
#include "core/model/printability.h"
#include "core/pdf/document.h"
#include "core/pdf/icc_profile.h"
#include "core/util/json_io.h"
#include "core/util/text.h"

namespace lecert {

namespace {

using pdf::Align;
using pdf::Color;
using pdf::FieldExtras;
using pdf::Rect;
using pdf::TextStyle;

// Page geometry (points): half-inch side margins, header band on top, footer at the bottom.
constexpr double kLeft = 36;
constexpr double kRight = 576;
constexpr double kWidth = kRight - kLeft;
constexpr double kContentTop = 724;
constexpr double kBottom = 52;
constexpr double kGap = 10;    // between cells of a row
constexpr double kRowGap = 7;  // between rows
constexpr double kBoxH = 18;   // single-line box
constexpr double kLabelSize = 8;
constexpr double kLabelLead = 9.4;  // label line distance
constexpr double kFieldFont = 9;    // multi-line field text
constexpr double kMinFit = 7;  // single-line text smaller than this goes to Additional Information
constexpr double kSmallestSize = 7;  // no text is printed smaller (readability, Section 508)
constexpr double kOptionH = 13;      // one row of check boxes / radio buttons
constexpr double kMark = 9;          // check box / radio size

// Header band (baselines, points from the bottom of the page): the form name and subtitle on
// the left, the agency lines, OMB number and edition right-aligned, then a rule above the content.
constexpr double kNoticeBaseline = 776;  // "lecert worksheet - not the official USCIS form"
constexpr double kNoticeSize = 8;
constexpr double kTitleBaseline = 760;
constexpr double kSubtitleBaseline = 746;
constexpr double kAgencyBaseline = 765;     // "Department of Homeland Security"
constexpr double kComponentBaseline = 757;  // "U.S. Citizenship and Immigration Services"
constexpr double kOmbBaseline = 749;
constexpr double kEditionBaseline = 741;
constexpr double kHeaderRuleY = 737;
constexpr double kHeaderRuleWidth = 1.6;
constexpr double kTitleSize = 13;
constexpr double kSubtitleSize = 10;
constexpr double kSmallSize = 7.5;  // header agency lines, edition and footer
// Footer: a rule and one line of text (form name and edition left, page number right).
constexpr double kFooterRuleY = 44;
constexpr double kFooterRuleWidth = 0.8;
constexpr double kFooterBaseline = 34;
constexpr double kFooterNoticeBaseline = 24;
// Part bar: a shaded band with "Part N.  Title" in bold.
constexpr double kPartBarH = 16;
constexpr double kPartTextInset = 5;   // from the left edge of the bar
constexpr double kPartTextRise = 4.6;  // baseline above the bottom of the bar
constexpr double kPartTitleSize = 10.5;

const Color kInk{0, 0, 0};
const Color kGrey{0.35, 0.35, 0.35};
const Color kBar{0.82, 0.84, 0.87};

std::string letterSuffix(std::size_t i) {
    return std::string(1, static_cast<char>('a' + (i % 26)));
}

// The printed number of slot i of a group: "2-4" -> "2", "3", "4"; "2" with 4 slots -> "2.a" ...
std::string slotNumber(const std::string& number, int slots, std::size_t i) {
    const auto dash = number.find('-');
    if (dash != std::string::npos) {
        try {
            const int first = std::stoi(number.substr(0, dash));
            return std::to_string(first + static_cast<int>(i));
        } catch (...) {
            return number;
        }
    }
    if (slots > 1) return number.empty() ? "" : number + "." + letterSuffix(i);
    return number;
}

struct AdditionalField {
    std::string path;  // field name
    std::string label;
    std::string value;
    bool multiline = false;
};

// One entry of the Additional Information page.
struct AdditionalEntry {
    std::string page, part, item;  // printed references (static text)
    std::string title;             // what the entry continues
    // Either a long text (one multi-line field) ...
    std::optional<AdditionalField> text;
    // ... or group elements that did not fit the printed rows ...
    const FormItem* group = nullptr;
    std::string groupPath;
    std::vector<std::size_t> elements;
    // ... or a record additional_information[i] entry.
    std::optional<std::size_t> recordIndex;
};

class FormLayout {
public:
    FormLayout(const FormDefinition& form, const Record& record, pdf::Document& doc,
               std::uint64_t fontsId)
        : m_form(form), m_rec(record), m_doc(doc), m_fontsId(fontsId) {}

    void run() {
        const FormPart* additional = nullptr;
        for (const auto& part : m_form.parts) {
            if (!part.onForm) continue;
            if (part.id == "additional") {
                additional = &part;
                continue;
            }
            layoutPart(part);
        }
        layoutAdditional(additional);
        drawFooters();
    }

    std::vector<OverflowNote> overflow;

private:
    // ---- pages -------------------------------------------------------------------------
    void newPage() {
        m_page = m_doc.addPage();
        m_y = kContentTop;
        const TextStyle title{pdf::FontFace::Bold, kTitleSize, kInk};
        const TextStyle sub{pdf::FontFace::Bold, kSubtitleSize, kInk};
        const TextStyle small{pdf::FontFace::Regular, kSmallSize, kInk};
        // The header of page 1 is read (notice, title); on later pages it repeats as page
        // furniture, which a screen reader skips.
        const bool first = m_page == 0;
        auto tag = [&](const char* type) {
            if (first)
                m_doc.beginElement(type);
            else
                m_doc.beginArtifact();
        };
        // This layout only resembles the form USCIS publishes; say so where nobody can miss it.
        tag("P");
        m_doc.drawText(m_page, (kLeft + kRight) / 2, kNoticeBaseline, kWorksheetNotice,
                       {pdf::FontFace::Bold, kNoticeSize, kInk}, Align::Center);
        m_doc.endElement();
        tag("H1");
        m_doc.drawText(m_page, kLeft, kTitleBaseline, m_form.title, title);
        m_doc.endElement();
        tag("P");
        m_doc.drawText(m_page, kLeft, kSubtitleBaseline, m_form.subtitle, sub);
        m_doc.endElement();
        tag("P");
        m_doc.drawText(m_page, kRight, kAgencyBaseline, "Department of Homeland Security", small,
                       Align::Right);
        m_doc.drawText(m_page, kRight, kComponentBaseline,
                       "U.S. Citizenship and Immigration Services", small, Align::Right);
        if (!m_form.omb.empty())
            m_doc.drawText(m_page, kRight, kOmbBaseline, "OMB No. " + m_form.omb, small,
                           Align::Right);
        m_doc.drawText(m_page, kRight, kEditionBaseline, "Edition " + m_form.editionPrinted,
                       {pdf::FontFace::Bold, kSmallSize, kInk}, Align::Right);
        m_doc.endElement();
        m_doc.drawLine(m_page, kLeft, kHeaderRuleY, kRight, kHeaderRuleY, kHeaderRuleWidth, kInk);
        if (m_inAdditional) additionalSheetHeader();
    }

    void drawFooters() {
        const int n = m_doc.pageCount();
        const TextStyle small{pdf::FontFace::Regular, kSmallSize, kInk};
        const std::string formName = footerName();
        for (int p = 0; p < n; ++p) {
            m_doc.drawLine(p, kLeft, kFooterRuleY, kRight, kFooterRuleY, kFooterRuleWidth, kInk);
            m_doc.drawText(p, kLeft, kFooterBaseline,
                           formName + "  Edition " + m_form.editionPrinted, small);
            m_doc.drawText(p, (kLeft + kRight) / 2, kFooterNoticeBaseline,
                           "lecert worksheet - not the official USCIS form; do not file this copy",
                           small, Align::Center);
            m_doc.drawText(p, kRight, kFooterBaseline,
                           "Page " + std::to_string(p + 1) + " of " + std::to_string(n), small,
                           Align::Right);
        }
    }

    std::string footerName() const {
        // "Form I-918, Supplement B" -> "Form I-918 Supplement B"
        std::string s = m_form.title;
        const auto comma = s.find(", ");
        if (comma != std::string::npos) s.erase(comma, 1);
        return s;
    }

    void ensure(double h) {
        if (m_page < 0 || m_y - h < kBottom) newPage();
    }

    void partBar(const std::string& number, const std::string& title, double keepWith) {
        ensure(20 + keepWith);
        const double h = kPartBarH;
        m_doc.fillRect(m_page, {kLeft, m_y - h, kWidth, h}, kBar);
        m_doc.drawLine(m_page, kLeft, m_y, kRight, m_y, 0.8, kInk);
        const std::string text = number.empty() ? title : "Part " + number + ".  " + title;
        m_doc.beginElement("H2");
        m_doc.drawText(m_page, kLeft + kPartTextInset, m_y - h + kPartTextRise, text,
                       {pdf::FontFace::Bold, kPartTitleSize, kInk});
        m_doc.endElement();
        m_y -= h + 7;
    }

    // ---- values ------------------------------------------------------------------------
    const Json* value(const std::string& path) const {
        return path.empty() ? nullptr : m_rec.get(path);
    }

    std::string printable(const FormItem& item, const std::string& path) const {
        const Json* v = value(path);
        if (!v || v->is_null()) return {};
        if (v->is_string()) {
            const std::string& s = v->get_ref<const std::string&>();
            if (item.kind == ItemKind::Date) {
                if (auto d = Date::parse(s)) return d->us();
                return s;
            }
            if (path == "victim.a_number") {
                if (auto a = normalizeANumber(s)) return *a;
                return s;
            }
            if (path.size() >= 6 && path.compare(path.size() - 6, 6, ".phone") == 0) {
                if (auto ph = parsePhone(s)) return ph->formatted();
            }
            return s;
        }
        if (v->is_boolean()) return v->get<bool>() ? "Yes" : "No";
        if (v->is_number()) return v->dump();
        return {};
    }

    std::string choiceValue(const std::string& path) const {
        const Json* v = value(path);
        if (!v) return {};
        if (v->is_boolean()) return v->get<bool>() ? "yes" : "no";
        if (v->is_string()) return v->get<std::string>();
        return {};
    }

    bool claim(const std::string& name) { return m_names.insert(name).second; }

    // Labels are measured and drawn from the same wrap; remember it (a form has ~150 labels).
    // The memo is per thread and outlives the document: every record of a form has the same
    // labels, so a batch worker wraps each label once. Keyed by font set, text, width, style.
    const std::vector<std::string>& wrapped(const std::string& s, double w,
                                            const TextStyle& st) const {
        static thread_local std::unordered_map<std::string, std::vector<std::string>> memo;
        std::string key;
        key.reserve(s.size() + 40);
        key.append(reinterpret_cast<const char*>(&m_fontsId), sizeof m_fontsId);
        key += std::to_string(std::lround(w * 100));
        key.push_back('\x1f');
        key += std::to_string(std::lround(st.size * 100));
        key.push_back(st.face == pdf::FontFace::Bold ? 'b' : 'r');
        key += s;
        auto it = memo.find(key);
        if (it == memo.end()) {
            if (memo.size() >= 8192) memo.clear();
            it = memo.emplace(std::move(key), m_doc.wrapText(s, w, st)).first;
        }
        return it->second;
    }

    // ---- measuring -----------------------------------------------------------------------
    double labelHeight(const std::string& number, const std::string& label, double w) const {
        if (label.empty() && number.empty()) return 0;
        const double numW =
            number.empty()
                ? 0
                : m_doc.textWidth(number + ".", {pdf::FontFace::Bold, kLabelSize, kInk}) + 3;
        const auto& lines =
            wrapped(label, std::max(20.0, w - numW), {pdf::FontFace::Regular, kLabelSize, kInk});
        return static_cast<double>(std::max<std::size_t>(1, lines.size())) * kLabelLead;
    }

    double drawLabel(double x, double top, double w, const std::string& number,
                     const std::string& label) {
        if (label.empty() && number.empty()) return 0;
        const TextStyle numStyle{pdf::FontFace::Bold, kLabelSize, kInk};
        const TextStyle labStyle{pdf::FontFace::Regular, kLabelSize, kInk};
        double numW = 0;
        const double base = top - m_doc.ascent(kLabelSize);
        if (!number.empty()) {
            m_doc.drawText(m_page, x, base, number + ".", numStyle);
            numW = m_doc.textWidth(number + ".", numStyle) + 3;
        }
        const auto& lines = wrapped(label, std::max(20.0, w - numW), labStyle);
        double y = base;
        for (const auto& l : lines) {
            m_doc.drawText(m_page, x + numW, y, l, labStyle);
            y -= kLabelLead;
        }
        return static_cast<double>(std::max<std::size_t>(1, lines.size())) * kLabelLead;
    }

    static int optionRows(const FormItem& item) {
        const int cols = std::max(1, item.layout.columns);
        return (static_cast<int>(item.options.size()) + cols - 1) / cols;
    }

    static bool isCombo(const FormItem& item) {
        return item.kind == ItemKind::Choice && item.options.size() > 12;
    }

    double boxHeight(const FormItem& item) const {
        switch (item.kind) {
            case ItemKind::Multiline:
                return std::max(1, item.layout.lines) * pdf::Document::lineHeight(kFieldFont) + 5;
            case ItemKind::Signature:
                return 34;
            case ItemKind::YesNo:
                return 0;
            case ItemKind::Choice:
                if (isCombo(item)) return kBoxH;
                return optionRows(item) * kOptionH;
            case ItemKind::MultiChoice:
                return optionRows(item) * kOptionH;
            default:
                return kBoxH;
        }
    }

    double cellHeight(const FormItem& item, const std::string& number, double w) const {
        if (item.kind == ItemKind::YesNo)
            return std::max(labelHeight(number, item.label, w - 95), kOptionH);
        return labelHeight(number, item.label, w) + 2 + boxHeight(item);
    }

    // ---- drawing one cell ----------------------------------------------------------------
    void seeAdditional(const Rect& box) {
        m_doc.fillRect(m_page, box, {1, 1, 1});
        m_doc.strokeRect(m_page, box, 0.6, {0.25, 0.25, 0.25});
        m_doc.drawText(m_page, box.x + 3, box.top() - 2 - m_doc.ascent(8),
                       "See Additional Information", {pdf::FontFace::Bold, 8, kGrey});
    }

    void addOverflow(const std::string& path, const FormItem& item, const std::string& number,
                     const std::string& part, const std::string& valueText) {
        AdditionalEntry e;
        e.page = std::to_string(m_page + 1);
        e.part = part;
        e.item = number;
        e.title = item.label;
        e.text = AdditionalField{path, item.label, valueText, true};
        m_entries.push_back(std::move(e));
        overflow.push_back({path, part, number, m_page + 1});
    }

    // The accessible name of an item's field (/TU): its printed number and label.
    static std::string tooltip(const std::string& number, const std::string& label) {
        return number.empty() ? label : "Item " + number + ". " + label;
    }

    // /MaxLen: the item's own (forms/.../worksheet.json "max_len"), MM/DD/YYYY for dates.
    static int maxLen(const FormItem& item) {
        if (item.maxLen > 0) return item.maxLen;
        return item.kind == ItemKind::Date ? 10 : 0;
    }

    // A label as its own paragraph (items whose field is not a single widget).
    double labelParagraph(double x, double top, double w, const std::string& number,
                          const std::string& label) {
        m_doc.beginElement("P");
        const double h = drawLabel(x, top, w, number, label);
        m_doc.endElement();
        return h;
    }

    // Yes/No: the label, then one radio button per answer, each tagged with its own word.
    void drawYesNo(const FormItem& item, const std::string& path, const std::string& number,
                   double x, double top, double w) {
        m_doc.beginElement("Div");
        labelParagraph(x, top, w - 95, number, item.label);
        const std::string v = choiceValue(path);
        const double cy = top - kMark - 0.5;
        std::vector<pdf::RadioButton> buttons;
        const TextStyle st{pdf::FontFace::Regular, kLabelSize, kInk};
        const double bx[2] = {x + w - 88, x + w - 42};
        const char* labels[2] = {"Yes", "No"};
        const char* values[2] = {"yes", "no"};
        for (int i = 0; i < 2; ++i) {
            const int el = m_doc.beginElement("Form");
            m_doc.drawText(m_page, bx[i] + kMark + 3, cy + 1.5, labels[i], st);
            m_doc.endElement();
            buttons.push_back({values[i], m_page, {bx[i], cy, kMark, kMark}, labels[i], el});
        }
        if (claim(path)) m_doc.addRadioGroup(path, buttons, v, {tooltip(number, item.label), 0});
        m_doc.endElement();
    }

    // Draws one item; `rowLabelH` (the tallest label of the row) aligns the boxes of a row.
    // Tagged as one Form element (label and widget) for a text field, else a Div of the label
    // paragraph and one Form element per option.
    void drawCell(const FormItem& item, const std::string& path, const std::string& number,
                  const std::string& part, double x, double top, double w, double rowLabelH,
                  bool allowOverflow = true) {
        if (item.kind == ItemKind::YesNo) {
            drawYesNo(item, path, number, x, top, w);
            return;
        }
        const double lh = std::max(rowLabelH, labelHeight(number, item.label, w));
        const double boxTop = top - lh - 2;
        const double bh = boxHeight(item);
        const Rect box{x, boxTop - bh, w, bh};
        const FieldExtras extras{tooltip(number, item.label), maxLen(item)};
        switch (item.kind) {
            case ItemKind::Signature: {
                m_doc.beginElement("Div");
                labelParagraph(x, top, w, number, item.label);
                m_doc.fillRect(m_page, box, {1, 1, 1});
                m_doc.strokeRect(m_page, box, 0.8, kInk);
                m_doc.beginElement("P");
                m_doc.drawText(m_page, box.x + 3, box.y + 3, "Sign in ink",
                               {pdf::FontFace::Regular, kSmallestSize, {0.45, 0.45, 0.45}});
                m_doc.endElement();
                m_doc.endElement();
                return;
            }
            case ItemKind::Choice:
            case ItemKind::MultiChoice: {
                if (isCombo(item)) {
                    std::vector<std::string> opts;
                    for (const auto& o : item.options) opts.push_back(o.value);
                    m_doc.beginElement("Form");
                    drawLabel(x, top, w, number, item.label);
                    if (claim(path))
                        m_doc.addComboBox(m_page, box, path, choiceValue(path), opts, extras);
                    m_doc.endElement();
                    return;
                }
                m_doc.beginElement("Div");
                labelParagraph(x, top, w, number, item.label);
                drawOptions(item, path, number, box);
                m_doc.endElement();
                return;
            }
            default:
                break;
        }
        // text, date, multiline
        std::string v = printable(item, path);
        Rect textBox = box;
        const bool aNumber = path == "victim.a_number";
        if (aNumber) {
            textBox.x += 14;
            textBox.w -= 14;
        }
        const bool multiline = item.kind == ItemKind::Multiline;
        if (allowOverflow && !v.empty() && overflows(v, textBox, multiline, item.layout.lines)) {
            m_doc.beginElement("Div");
            labelParagraph(x, top, w, number, item.label);
            m_doc.beginElement("P");
            seeAdditional(textBox);
            m_doc.endElement();
            m_doc.endElement();
            addOverflow(path, item, number, part, v);
            return;
        }
        m_doc.beginElement("Form");
        drawLabel(x, top, w, number, item.label);
        if (aNumber)
            m_doc.drawText(m_page, box.x, box.y + 5.5, "A-", {pdf::FontFace::Bold, 9, kInk});
        if (claim(path)) {
            m_doc.addTextField(m_page, textBox, path, v, multiline, multiline ? kFieldFont : 0,
                               extras);
        } else {
            m_doc.fillRect(m_page, textBox, {1, 1, 1});
            m_doc.strokeRect(m_page, textBox, 0.6, {0.25, 0.25, 0.25});
        }
        m_doc.endElement();
    }

    bool overflows(const std::string& v, const Rect& box, bool multiline, int lines) const {
        if (!multiline) {
            if (v.find('\n') != std::string::npos) return true;
            return m_doc.textWidth(v, {pdf::FontFace::Regular, kMinFit, kInk}) > box.w - 5;
        }
        const auto wrapped =
            m_doc.wrapText(v, box.w - 5, {pdf::FontFace::Regular, kFieldFont, kInk});
        return static_cast<int>(wrapped.size()) > std::max(1, lines);
    }

    // The options of a choice list, each a Form element of its label and its widget.
    void drawOptions(const FormItem& item, const std::string& path, const std::string& number,
                     const Rect& box) {
        const int cols = std::max(1, item.layout.columns);
        const int rows = optionRows(item);
        const double colW = box.w / cols;
        const TextStyle st{pdf::FontFace::Regular, kLabelSize, kInk};
        std::vector<pdf::RadioButton> buttons;
        const std::string selected = choiceValue(path);
        std::set<std::string> chosen;
        if (item.kind == ItemKind::MultiChoice) {
            if (const Json* arr = value(path); arr && arr->is_array())
                for (const auto& e : *arr)
                    if (e.is_string()) chosen.insert(e.get<std::string>());
        }
        for (std::size_t i = 0; i < item.options.size(); ++i) {
            const int col = static_cast<int>(i) / rows;  // fill down each column first
            const int row = static_cast<int>(i) % rows;
            const double ox = box.x + col * colW;
            const double oy = box.top() - (row + 1) * kOptionH + (kOptionH - kMark) / 2;
            const Rect mark{ox, oy, kMark, kMark};
            const auto& opt = item.options[i];
            // The option label: smaller down to 7 pt, then on two lines (they fit the row's
            // height), then shortened with an ellipsis.
            const double avail = colW - kMark - 5;
            TextStyle ost = st;
            while (ost.size > kSmallestSize && m_doc.textWidth(opt.label, ost) > avail)
                ost.size -= 0.5;
            std::vector<std::string> lines{opt.label};
            if (m_doc.textWidth(opt.label, ost) > avail)
                lines = m_doc.wrapText(opt.label, avail, ost);
            if (lines.size() > 2) {
                lines.resize(2);
                std::u32string cps = text::toCodePoints(lines[1]);
                while (!cps.empty() &&
                       m_doc.textWidth(text::fromCodePoints(cps) + "…", ost) > avail)
                    cps.pop_back();
                lines[1] = text::fromCodePoints(cps) + "…";
            }
            const int el = m_doc.beginElement("Form");
            const double lead = lines.size() > 1 ? ost.size : 0;
            for (std::size_t l = 0; l < lines.size(); ++l)
                m_doc.drawText(m_page, ox + kMark + 3,
                               oy + 1.5 + lead / 2 - static_cast<double>(l) * lead, lines[l], ost);
            if (item.kind == ItemKind::MultiChoice) {
                const std::string name = path + "." + opt.value;
                if (claim(name))
                    m_doc.addCheckBox(m_page, mark, name, chosen.count(opt.value) > 0,
                                      {tooltip(number, item.label) + ": " + opt.label, 0});
            } else {
                buttons.emplace_back(opt.value, m_page, mark, opt.label, el);
            }
            m_doc.endElement();
        }
        if (item.kind == ItemKind::Choice && claim(path))
            m_doc.addRadioGroup(path, buttons, selected, {tooltip(number, item.label), 0});
    }

    // ---- rows ----------------------------------------------------------------------------
    struct Cell {
        const FormItem* item;
        std::string path;
        std::string number;
        double w = 0;
    };

    // Lays out cells side by side (widths are fractions of `width`), starting a new page when
    // the row does not fit.
    void layoutRow(std::vector<Cell> cells, const std::string& part, double x0 = kLeft,
                   double width = kWidth, bool allowOverflow = true) {
        double total = 0;
        for (const auto& c : cells) total += c.w;
        const double scale = total > 1.0 ? 1.0 / total : 1.0;
        const double usable = width - kGap * static_cast<double>(cells.size() - 1);
        double labelH = 0, boxH = 0, h = 0;
        for (auto& c : cells) {
            c.w =
                (cells.size() == 1 && total <= 1.0 && c.w >= 0.999) ? width : usable * c.w * scale;
            if (c.item->kind == ItemKind::YesNo) {
                h = std::max(h, cellHeight(*c.item, c.number, c.w));
                continue;
            }
            labelH = std::max(labelH, labelHeight(c.number, c.item->label, c.w));
            boxH = std::max(boxH, boxHeight(*c.item));
        }
        h = std::max(h, labelH + 2 + boxH);
        ensure(h);
        double x = x0;
        for (const auto& c : cells) {
            m_where[c.path] = m_page + 1;
            drawCell(*c.item, c.path, c.number, part, x, m_y, c.w, labelH, allowOverflow);
            x += c.w + kGap;
        }
        m_y -= h + kRowGap;
    }

    // Splits a list of items into rows by their layout.row key.
    template <class Fn>
    static void forEachRow(const std::vector<FormItem>& items, Fn&& fn) {
        std::size_t i = 0;
        while (i < items.size()) {
            std::size_t j = i + 1;
            if (!items[i].layout.row.empty())
                while (j < items.size() && items[j].layout.row == items[i].layout.row) ++j;
            std::vector<const FormItem*> row;
            for (std::size_t k = i; k < j; ++k) row.push_back(&items[k]);
            fn(row);
            i = j;
        }
    }

    void layoutPart(const FormPart& part) {
        // Keep the bar with the first row.
        double first = 30;
        if (!part.items.empty())
            first = cellHeight(part.items.front(), part.items.front().number, kWidth) * 0.5;
        // The part bar, when it starts a page, must not fall inside the Sect of the part
        // before; ensure() runs first.
        ensure(20 + std::min(first, 120.0));
        m_doc.beginElement("Sect");
        partBar(part.number, part.title, std::min(first, 120.0));
        forEachRow(part.items, [&](const std::vector<const FormItem*>& row) {
            if (row.size() == 1 && row[0]->kind == ItemKind::Group) {
                layoutGroup(*row[0], part.number);
                return;
            }
            std::vector<Cell> cells;
            for (const FormItem* it : row) {
                double w = row.size() == 1 && it->layout.row.empty() ? 1.0 : it->layout.width;
                // Short values do not need a full-width box.
                if (row.size() == 1 && it->layout.row.empty()) {
                    if (it->kind == ItemKind::Date) w = 0.3;
                    if (it->path == "victim.a_number") w = 0.4;
                }
                cells.push_back({it, it->path, it->number, w});
            }
            layoutRow(std::move(cells), part.number);
        });
        m_doc.endElement();
    }

    // One element (slot) of a group: its sub-items in rows, named path[i].sub.
    void layoutGroupElement(const FormItem& group, std::size_t index, const std::string& number,
                            const std::string& part, bool allowOverflow) {
        const std::string elem = indexPath(group.path, index);
        bool firstRow = true;
        forEachRow(group.fields, [&](const std::vector<const FormItem*>& row) {
            std::vector<Cell> cells;
            for (const FormItem* f : row) {
                const std::string p = f->path.empty() ? elem : joinPath(elem, f->path);
                cells.push_back(
                    {f, p, firstRow && f == row.front() ? number : std::string(), f->layout.width});
            }
            firstRow = false;
            layoutRow(std::move(cells), part, kLeft, kWidth, allowOverflow);
        });
    }

    std::size_t elementCount(const FormItem& group) const {
        const Json* arr = value(group.path);
        return arr && arr->is_array() ? arr->size() : 0;
    }

    void layoutGroup(const FormItem& group, const std::string& part) {
        const std::size_t count = elementCount(group);
        const int slots = std::max(1, group.slots);
        // Group title line, kept with the first element.
        const double titleH = labelHeight("", group.label, kWidth);
        ensure(titleH + 40);
        const bool singleRowOfPlain = group.fields.size() == 1 && group.fields[0].path.empty();
        if (singleRowOfPlain) {
            // e.g. crime.dates: the slots side by side, numbered 2.a, 2.b ...
            m_y -= labelParagraph(kLeft, m_y, kWidth, group.number, group.label) + 2;
            std::vector<Cell> cells;
            const FormItem& f = group.fields[0];
            const double w =
                std::min(1.0 / slots, f.layout.width > 0 ? f.layout.width : 1.0 / slots);
            for (int i = 0; i < slots; ++i) {
                FormItem slotItem = f;
                slotItem.label = f.label;
                m_slotItems.push_back(std::make_unique<FormItem>(slotItem));
                cells.push_back({m_slotItems.back().get(),
                                 indexPath(group.path, static_cast<std::size_t>(i)),
                                 slotNumber(group.number, slots, static_cast<std::size_t>(i)), w});
            }
            layoutRow(std::move(cells), part);
        } else {
            m_y -= labelParagraph(kLeft, m_y, kWidth, slots > 1 ? std::string() : group.number,
                                  group.label) +
                   3;
            for (int i = 0; i < slots; ++i)
                layoutGroupElement(
                    group, static_cast<std::size_t>(i),
                    slots > 1 ? slotNumber(group.number, slots, static_cast<std::size_t>(i)) : "",
                    part, true);
        }
        m_where[group.path] = m_page + 1;
        if (count > static_cast<std::size_t>(slots)) {
            AdditionalEntry e;
            e.page = std::to_string(m_page + 1);
            e.part = part;
            e.item = group.number;
            e.title = group.label + " (continued)";
            e.group = &group;
            e.groupPath = group.path;
            for (std::size_t i = static_cast<std::size_t>(slots); i < count; ++i) {
                e.elements.push_back(i);
                overflow.push_back({indexPath(group.path, i), part, group.number, m_page + 1});
            }
            m_entries.push_back(std::move(e));
        }
    }

    // ---- Additional Information ------------------------------------------------------------
    void smallBox(double x, double top, double w, const std::string& label, const std::string& v) {
        const TextStyle st{pdf::FontFace::Regular, kLabelSize, kInk};
        // Printed text, not a field: the label and the value read as one paragraph.
        m_doc.beginElement("P");
        m_doc.drawText(m_page, x, top - m_doc.ascent(kLabelSize), label, st);
        const Rect box{x, top - kLabelLead - 2 - kBoxH, w, kBoxH};
        m_doc.fillRect(m_page, box, {1, 1, 1});
        m_doc.strokeRect(m_page, box, 0.6, {0.25, 0.25, 0.25});
        m_doc.beginRecordContent();
        m_doc.drawText(m_page, box.x + 2.5, box.y + 5.5, v, {pdf::FontFace::Regular, 9, kInk});
        m_doc.endRecordContent();
        m_doc.endElement();
    }

    // Top of every Additional Information sheet: Part bar, instructions, victim name, A-Number.
    void additionalSheetHeader() {
        const FormPart* part = m_additionalPart;
        partBar(part ? part->number : "", part ? part->title : "Additional Information", 60);
        const TextStyle st{pdf::FontFace::Regular, kLabelSize, kInk};
        m_doc.beginElement("P");
        const int n =
            m_doc.drawParagraph(m_page, {kLeft, m_y - 40, kWidth, 40},
                                "If you need extra space to provide any additional information "
                                "within this certification, use the space "
                                "below. Type or print the victim's name and A-Number at the top of "
                                "each sheet; indicate the Page "
                                "Number, Part Number, and Item Number to which your answer refers.",
                                st);
        m_doc.endElement();
        m_y -= n * kLabelLead + 6;
        const double w3 = (kWidth - 3 * kGap) / 4;
        smallBox(kLeft, m_y, w3 * 1.15, "Victim's Family Name (Last Name)",
                 m_rec.string("victim.family_name"));
        smallBox(kLeft + w3 * 1.15 + kGap, m_y, w3 * 1.05, "Given Name (First Name)",
                 m_rec.string("victim.given_name"));
        smallBox(kLeft + w3 * 2.2 + 2 * kGap, m_y, w3 * 0.85, "Middle Name",
                 m_rec.string("victim.middle_name"));
        std::string a = m_rec.string("victim.a_number");
        if (auto na = normalizeANumber(a)) a = *na;
        smallBox(kLeft + w3 * 3.05 + 3 * kGap, m_y, w3 * 0.95, "A-Number",
                 a.empty() ? "" : "A-" + a);
        m_y -= kLabelLead + 2 + kBoxH + 12;
    }

    void entryRefs(const AdditionalEntry& e, const std::optional<std::size_t>& recordIndex) {
        const double w = 70;
        const TextStyle st{pdf::FontFace::Regular, kLabelSize, kInk};
        smallBox(kLeft, m_y, w, "Page Number", e.page);
        if (recordIndex) {
            const std::string base = indexPath("additional_information", *recordIndex);
            for (int k = 0; k < 2; ++k) {
                const double x = kLeft + (w + kGap) * (k + 1);
                const std::string label = k == 0 ? "Part Number" : "Item Number";
                const std::string name = joinPath(base, k == 0 ? "part" : "item");
                m_doc.beginElement("Form");
                m_doc.drawText(m_page, x, m_y - m_doc.ascent(kLabelSize), label, st);
                const Rect box{x, m_y - kLabelLead - 2 - kBoxH, w, kBoxH};
                if (claim(name))
                    m_doc.addTextField(m_page, box, name, m_rec.string(name), false, 0,
                                       {"Additional information: " + label, 10});
                m_doc.endElement();
            }
        } else {
            smallBox(kLeft + (w + kGap), m_y, w, "Part Number", e.part);
            smallBox(kLeft + 2 * (w + kGap), m_y, w, "Item Number", e.item);
        }
        if (!e.title.empty()) {
            const double tx = kLeft + 3 * (w + kGap) + 4;
            const auto lines =
                m_doc.wrapText(e.title, kRight - tx, {pdf::FontFace::Bold, kLabelSize, kInk});
            double y = m_y - kLabelLead - 2 - kBoxH / 2 + 3;
            if (lines.size() > 1) y += kLabelLead / 2;
            m_doc.beginElement("P");
            for (std::size_t i = 0; i < lines.size() && i < 3; ++i, y -= kLabelLead)
                m_doc.drawText(m_page, tx, y, lines[i], {pdf::FontFace::Bold, kLabelSize, kInk});
            m_doc.endElement();
        }
        m_y -= kLabelLead + 2 + kBoxH + 5;
    }

    // A long text as one multi-line field, with continuation pages when it exceeds a page.
    void longText(const std::string& name, const std::string& v, int minLines,
                  const std::string& title) {
        const TextStyle st{pdf::FontFace::Regular, kFieldFont, kInk};
        const double lead = pdf::Document::lineHeight(kFieldFont);
        const auto lines = m_doc.wrapText(v, kWidth - 5, st);
        const int needed = std::max(minLines, static_cast<int>(lines.size()));
        int fit = static_cast<int>(std::floor((m_y - kBottom - 5) / lead));
        const int freshPage = static_cast<int>(std::floor((kContentTop - 95 - kBottom - 5) / lead));
        if (fit < std::min(needed, 4) || (needed > fit && needed <= freshPage)) {
            newPage();
            fit = static_cast<int>(std::floor((m_y - kBottom - 5) / lead));
        }
        const int shown = std::min(needed, fit);
        const Rect box{kLeft, m_y - (shown * lead + 5), kWidth, shown * lead + 5};
        if (claim(name)) {
            m_doc.beginElement("Form");
            m_doc.addTextField(m_page, box, name, v, true, kFieldFont,
                               {title.empty() ? "Additional information" : title, 0});
            m_doc.endElement();
        }
        m_y = box.y - 12;
        // Lines beyond the box: printed as continued text (the field still holds all of it).
        std::size_t next = static_cast<std::size_t>(shown);
        while (next < lines.size()) {
            newPage();
            m_doc.beginElement("P");
            m_doc.drawText(m_page, kLeft, m_y - m_doc.ascent(kLabelSize), "(continued)",
                           {pdf::FontFace::Bold, kLabelSize, kInk});
            m_doc.endElement();
            m_y -= kLabelLead + 2;
            const int room = static_cast<int>(std::floor((m_y - kBottom - 5) / lead));
            const std::size_t end =
                std::min(lines.size(), next + static_cast<std::size_t>(std::max(1, room)));
            const Rect cbox{kLeft, m_y - (static_cast<double>(end - next) * lead + 5), kWidth,
                            static_cast<double>(end - next) * lead + 5};
            m_doc.strokeRect(m_page, cbox, 0.6, {0.25, 0.25, 0.25});
            double y = cbox.top() - 2 - m_doc.ascent(kFieldFont);
            m_doc.beginElement("P");
            m_doc.beginRecordContent();
            for (std::size_t i = next; i < end; ++i, y -= lead)
                m_doc.drawText(m_page, kLeft + 2.5, y, lines[i], st);
            m_doc.endRecordContent();
            m_doc.endElement();
            m_y = cbox.y - 12;
            next = end;
        }
    }

    std::string pageOfPartItem(const std::string& part, const std::string& item) const {
        for (const auto& p : m_form.parts) {
            if (p.number != part) continue;
            for (const auto& it : p.items) {
                if (it.number != item) continue;
                auto w = m_where.find(it.path);
                if (w != m_where.end()) return std::to_string(w->second);
            }
        }
        return {};
    }

    void layoutAdditional(const FormPart* part) {
        m_additionalPart = part;
        m_inAdditional = true;
        m_doc.beginElement("Sect");
        newPage();
        std::vector<AdditionalEntry> entries;
        const std::size_t recordEntries = [&] {
            const Json* a = value("additional_information");
            return a && a->is_array() ? a->size() : std::size_t{0};
        }();
        for (std::size_t i = 0; i < recordEntries; ++i) {
            AdditionalEntry e;
            const std::string base = indexPath("additional_information", i);
            e.part = m_rec.string(joinPath(base, "part"));
            e.item = m_rec.string(joinPath(base, "item"));
            e.page = pageOfPartItem(e.part, e.item);
            e.recordIndex = i;
            entries.push_back(std::move(e));
        }
        for (auto& e : m_entries) entries.push_back(std::move(e));
        // An empty sheet still offers three entries, as the printed form does.
        const std::size_t blanks = entries.empty() ? 3 : 0;
        for (std::size_t i = 0; i < blanks; ++i) {
            AdditionalEntry e;
            e.recordIndex = i;
            entries.push_back(std::move(e));
        }
        for (const auto& e : entries) {
            ensure(kLabelLead + kBoxH + 8 + 4 * pdf::Document::lineHeight(kFieldFont) + 20);
            entryRefs(e, e.recordIndex);
            if (e.recordIndex) {
                const std::string name =
                    joinPath(indexPath("additional_information", *e.recordIndex), "text");
                longText(name, m_rec.string(name), 5, "Additional information");
            } else if (e.text) {
                longText(e.text->path, e.text->value, 3, e.title);
            } else if (e.group) {
                for (std::size_t idx : e.elements)
                    layoutGroupElement(*e.group, idx, "", e.part, false);
                m_y -= 5;
            }
        }
        m_doc.endElement();
    }

    const FormDefinition& m_form;
    const Record& m_rec;
    pdf::Document& m_doc;
    std::uint64_t m_fontsId;
    int m_page = -1;
    double m_y = kContentTop;
    bool m_inAdditional = false;
    const FormPart* m_additionalPart = nullptr;
    std::vector<AdditionalEntry> m_entries;
    std::map<std::string, int> m_where;  // item path -> 1-based page
    std::set<std::string> m_names;       // field names in use
    std::vector<std::unique_ptr<FormItem>> m_slotItems;
};

// Every string value of the record with its path (for the undrawable-character warnings).
void collectStrings(const Json& node, const std::string& path,
                    std::vector<std::pair<std::string, std::string>>& out) {
    if (node.is_string()) {
        out.emplace_back(path, node.get<std::string>());
    } else if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            if (it.key() != "review") collectStrings(it.value(), joinPath(path, it.key()), out);
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            collectStrings(node[i], indexPath(path, i), out);
    }
}

}  // namespace

Result<FormPdf> renderFormPdf(const FormDefinition& form, const Record& input,
                              const FormPdfOptions& options) {
    // Answers to items hidden by their show_if are kept in drafts, never printed.
    const Record record = prunedRecord(input, form);
    auto fonts =
        options.fonts ? options.fonts : std::shared_ptr<const pdf::FontSet>(pdf::FontSet::shared());
    if (!fonts) return Error{"the PDF fonts could not be loaded (install fonts-dejavu-core)", {}};
    // A name that would print blank is never signed off by accident: only a draft may have one.
    if (!options.draft)
        if (auto names = unprintableNames(record.json(), *fonts); !names.empty())
            return Error{unprintableNameMessage(names.front().second),
                         {{}, 0, 0, names.front().first}};
    pdf::Document doc(fonts);
    pdf::DocumentInfo info;
    info.title = form.title + " \u2013 " + form.subtitle;
    info.subject = form.title + ", edition " + form.editionPrinted;
    info.keywords = form.form;
    info.creator = "lecert";
    info.producer = "lecert";
    info.language = "en-US";
    if (options.today) info.date = options.today->iso();
    doc.setInfo(info);

    FormLayout layout(form, record, doc, fonts->id());
    layout.run();

    doc.attachFile(
        kRecordAttachmentName,
        options.attachmentJson.empty() ? dumpPretty(record.json()) : options.attachmentJson,
        "application/json", "The lecert record this form was filled from");

    pdf::WriteOptions wo;
    if (options.pdfa) {
        auto icc = pdf::srgbIccProfile();
        if (!icc) return icc.error();
        wo.pdfaIccProfile = std::move(*icc);
    }
    wo.flatten = options.flatten;
    if (options.draft) wo.watermark = kDraftWatermark;
    auto bytes = doc.write(wo);
    if (!bytes) return bytes.error();

    FormPdf out;
    out.bytes = std::move(*bytes);
    out.pages = doc.pageCount();
    out.overflow = std::move(layout.overflow);
    if (!doc.missingCharacters().empty()) {
        std::vector<std::pair<std::string, std::string>> strings;
        collectStrings(record.json(), "", strings);
        for (const auto& [path, s] : strings) {
            const auto missing = fonts->unprintable(s);
            if (missing.empty()) continue;
            out.warnings.push_back(
                {Severity::Warning, path, kUnprintableCode, unprintableMessage(missing), ""});
        }
    }
    return out;
}

}  // namespace lecert
