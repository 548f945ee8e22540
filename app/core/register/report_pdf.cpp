// SPDX-License-Identifier: MIT
// The yearly report as a PDF: a summary table, then each breakdown as a table beside a bar
// chart, so the numbers read the same in text (pdftotext, a screen reader) as in the picture.
#include "core/register/report_pdf.h"

#include <algorithm>
#include <array>

#include "core/pdf/document.h"

namespace lecert {

namespace {

using pdf::Align;
using pdf::Color;
using pdf::Rect;
using pdf::TextStyle;

constexpr double kMargin = 54;
constexpr double kRowHeight = 15;
constexpr double kTableWidth = 200;  // label column + value column
constexpr double kChartLeft = kMargin + kTableWidth + 30;
constexpr double kChartWidth = pdf::kLetterWidth - kMargin - kChartLeft;
constexpr Color kBar{0.20, 0.40, 0.70};
constexpr Color kAxis{0.35, 0.35, 0.35};
constexpr Color kRule{0.80, 0.80, 0.80};
constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};

struct Row {
    std::string label;
    long value = 0;
};

// Draws top-down on Letter pages, adding a page when the next block does not fit.
class ReportWriter {
public:
    explicit ReportWriter(pdf::Document& doc) : m_doc(doc) { newPage(); }

    void heading(const std::string& text, double size) {
        need(size * 2);
        m_y -= size * 1.3;
        m_doc.drawText(m_page, kMargin, m_y, text, {pdf::FontFace::Bold, size, {}});
        m_y -= size * 0.5;
    }
    void line(const std::string& text, double size = 9.5) {
        need(size * 1.5);
        m_y -= pdf::Document::lineHeight(size);
        m_doc.drawText(m_page, kMargin, m_y, text, {pdf::FontFace::Regular, size, {}});
    }
    void gap(double h) { m_y -= h; }

    // A two-column table (label, value) and, when `chart`, a horizontal bar per row beside
    // it, scaled to the largest value. Rows continue on the next page when needed.
    void table(const std::vector<Row>& rows, bool chart, const std::string& valueText = {}) {
        long most = 1;
        for (const auto& r : rows) most = std::max(most, r.value);
        const TextStyle text{pdf::FontFace::Regular, 9.5, {}};
        for (std::size_t i = 0; i < rows.size(); ++i) {
            need(kRowHeight);
            const double base = m_y - kRowHeight + 4;
            m_doc.drawText(m_page, kMargin, base, rows[i].label, text);
            const std::string value = !valueText.empty() && i + 1 == rows.size()
                                          ? valueText
                                          : std::to_string(rows[i].value);
            m_doc.drawText(m_page, kMargin + kTableWidth, base, value, text, Align::Right);
            m_doc.drawLine(m_page, kMargin, m_y - kRowHeight, kMargin + kTableWidth,
                           m_y - kRowHeight, 0.4, kRule);
            if (chart) {
                const double w =
                    kChartWidth * static_cast<double>(rows[i].value) / static_cast<double>(most);
                if (w > 0) m_doc.fillRect(m_page, {kChartLeft, m_y - kRowHeight + 3, w, 9}, kBar);
                m_doc.drawLine(m_page, kChartLeft, m_y, kChartLeft, m_y - kRowHeight, 0.6, kAxis);
            }
            m_y -= kRowHeight;
        }
    }

    // Twelve vertical bars (requests received per month) with their counts on top.
    void monthChart(const std::vector<long>& months) {
        constexpr double kHeight = 150;
        need(kHeight + 40);
        long most = 1;
        for (long v : months) most = std::max(most, v);
        const double left = kMargin + 20, width = pdf::kLetterWidth - 2 * kMargin - 20;
        const double bottom = m_y - kHeight - 10, slot = width / 12.0;
        const TextStyle small{pdf::FontFace::Regular, 7.5, {}};
        m_doc.drawLine(m_page, left, bottom, left + width, bottom, 0.8, kAxis);
        m_doc.drawLine(m_page, left, bottom, left, bottom + kHeight, 0.8, kAxis);
        for (std::size_t m = 0; m < months.size() && m < 12; ++m) {
            const double h =
                (kHeight - 14) * static_cast<double>(months[m]) / static_cast<double>(most);
            const double x = left + slot * static_cast<double>(m) + slot * 0.18;
            if (h > 0) m_doc.fillRect(m_page, {x, bottom, slot * 0.64, h}, kBar);
            const double mid = x + slot * 0.32;
            m_doc.drawText(m_page, mid, bottom + h + 3, std::to_string(months[m]), small,
                           Align::Center);
            m_doc.drawText(m_page, mid, bottom - 11, std::string(kMonths[m]).substr(0, 3), small,
                           Align::Center);
        }
        m_y = bottom - 22;
    }

private:
    void newPage() {
        m_page = m_doc.addPage();
        m_y = pdf::kLetterHeight - kMargin;
    }
    void need(double h) {
        if (m_y - h < kMargin) newPage();
    }
    pdf::Document& m_doc;
    int m_page = 0;
    double m_y = 0;
};

std::string twoDigits(std::size_t n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

}  // namespace

Result<std::string> yearReportPdf(const YearReport& rep, const YearReportPdfOptions& options) {
    auto fonts = pdf::FontSet::shared();
    if (!fonts) return Error{"the report needs the DejaVu fonts, which were not found", {}};
    pdf::Document doc(fonts);
    const std::string year = std::to_string(rep.year);
    pdf::DocumentInfo info;
    info.title = "U and T visa certification requests, " + year;
    info.subject = "Yearly statistics of the certification register";
    info.date = options.generated.iso();
    doc.setInfo(info);

    ReportWriter w(doc);
    w.heading(info.title, 16);
    if (!options.agency.empty()) w.line(options.agency, 11);
    w.line("Requests received from " + year + "-01-01 to " + year + "-12-31. Generated " +
           options.generated.iso() + " by lecert.");
    if (!options.deadlineRule.empty()) w.line("Response deadlines: " + options.deadlineRule + ".");
    w.line(
        "Forms I-918 Supplement B (U visa) and I-914 Supplement B (T visa); outcomes per 8 CFR "
        "214.14(h).");
    w.gap(8);

    w.heading("Summary", 12);
    w.table({{"Requests received", rep.received},
             {"Deadlines missed", rep.deadlinesMissed},
             {"Median days to respond", 0}},
            false, rep.medianText().empty() ? "none answered" : rep.medianText());
    w.gap(10);

    w.heading("Outcome", 12);
    w.table({{"Certified", rep.certified},
             {"Declined", rep.declined},
             {"Withdrawn", rep.withdrawn},
             {"Pending", rep.pending}},
            true);
    w.gap(10);

    w.heading("Requests received per month", 12);
    w.monthChart(rep.byMonth);
    std::vector<Row> months;
    for (std::size_t m = 0; m < rep.byMonth.size() && m < 12; ++m)
        months.push_back({year + "-" + twoDigits(m + 1) + " " + kMonths[m], rep.byMonth[m]});
    w.table(months, false);
    w.gap(10);

    w.heading("Requests by qualifying crime", 12);
    std::vector<Row> crimes;
    for (const auto& [crime, n] : rep.byCrime) crimes.push_back({crime, n});
    if (crimes.empty())
        w.line("No crime recorded on the year's requests.");
    else
        w.table(crimes, true);
    w.gap(6);
    w.line(
        "A request may name several crimes, so these counts may add up to more than the "
        "requests.",
        8);
    w.line(
        "Deadlines missed: answered after the deadline, or pending and past it on the day "
        "generated.",
        8);
    return doc.write();
}

}  // namespace lecert
