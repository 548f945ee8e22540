// SPDX-License-Identifier: MIT
// Appearances of a Document: the appearance streams of fields (generated here, so values look
// the same in every viewer), the watermark and flattening.
#include <algorithm>
#include <cmath>

#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/text_shaping.h"

namespace lecert::pdf {

using namespace detail;

Document::Impl::Canvas& Document::Impl::canvasOf(int page) {
    if (page < 0 || page >= static_cast<int>(pages.size())) {
        static thread_local Canvas sink;  // drawing on a missing page is ignored
        sink = {};
        return sink;
    }
    Page& p = pages[static_cast<std::size_t>(page)];
    return recordDepth > 0 ? p.record : p.canvas;
}

void Document::Impl::appendCirclePath(std::string& o, double cx, double cy, double r) {
    const double k = 0.5523 * r;
    appendNums(o, {cx + r, cy});
    o += " m ";
    appendNums(o, {cx + r, cy + k, cx + k, cy + r, cx, cy + r});
    o += " c ";
    appendNums(o, {cx - k, cy + r, cx - r, cy + k, cx - r, cy});
    o += " c ";
    appendNums(o, {cx - r, cy - k, cx - k, cy - r, cx, cy - r});
    o += " c ";
    appendNums(o, {cx + k, cy - r, cx + r, cy - k, cx + r, cy});
    o += " c\n";
}

Document::Impl::Canvas Document::Impl::textAppearance(const Rect& r, const std::string& value,
                                                      bool multiline, double fontSize,
                                                      double* usedSize) {
    Canvas cv;
    cv.ops = "/Tx BMC\nq 1 1 ";
    appendNums(cv.ops, {std::max(0.0, r.w - 2), std::max(0.0, r.h - 2)});
    cv.ops += " re W n\n";
    const TrueTypeFont* reg = ttf(0);
    if (!multiline && isBaseAscii(value, FontFace::Regular)) {
        // The usual case: a short ASCII value, drawn without conversions.
        TextStyle st;
        double size =
            fontSize > 0 ? fontSize : std::min(10.0, std::max(kMinTextSize, (r.h - 3) / 1.15));
        const double avail = r.w - 5;
        const double w1000 = measureAscii(value, FontFace::Regular);
        if (fontSize <= 0 && w1000 * size / 1000.0 > avail && w1000 > 0)
            size = std::max(kMinTextSize, avail * 1000.0 / w1000);
        st.size = size;
        if (usedSize) *usedSize = size;
        const double asc = reg->ascent() * size / 1000.0, desc = reg->descent() * size / 1000.0;
        const double baseline = (r.h - (asc - desc)) / 2 - desc;
        emitAscii(cv, 2.5, baseline, value, st, Align::Left);
        cv.ops += "Q\nEMC\n";
        return cv;
    }
    const std::u32string s = prepare(value);
    TextStyle st;
    if (!multiline) {
        double size =
            fontSize > 0 ? fontSize : std::min(10.0, std::max(kMinTextSize, (r.h - 3) / 1.15));
        std::u32string line = s;
        std::replace(line.begin(), line.end(), U'\n', U' ');
        const double avail = r.w - 5;
        const double w1000 = measure(line, FontFace::Regular);
        if (fontSize <= 0 && w1000 * size / 1000.0 > avail && w1000 > 0)
            size = std::max(kMinTextSize, avail * 1000.0 / w1000);
        st.size = size;
        const double asc = reg->ascent() * size / 1000.0, desc = reg->descent() * size / 1000.0;
        const double baseline = (r.h - (asc - desc)) / 2 - desc;
        // Right-to-left values (the first strong character decides) align right in their box.
        const bool rtl = startsRightToLeft(line);
        emitLine(cv, rtl ? r.w - 2.5 : 2.5, baseline, line, st, rtl ? Align::Right : Align::Left);
    } else {
        st.size = fontSize > 0 ? fontSize : 9;
        const double asc = reg->ascent() * st.size / 1000.0;
        double y = r.h - 2 - asc;
        for (const auto& line : wrap(s, r.w - 5, st)) {
            if (y < 0) break;
            const bool rtl = startsRightToLeft(line);
            emitLine(cv, rtl ? r.w - 2.5 : 2.5, y, line, st, rtl ? Align::Right : Align::Left);
            y -= Document::lineHeight(st.size);
        }
    }
    if (usedSize) *usedSize = st.size;
    cv.ops += "Q\nEMC\n";
    return cv;
}

Document::Impl::Canvas Document::Impl::checkMarkAppearance(const Rect& r) {
    Canvas on;
    const double s = std::min(r.w, r.h);
    on.ops = "q 0 0 0 RG " + num(s * 0.13) + " w 1 J 1 j " + num(r.w * 0.2) + " " +
             num(r.h * 0.52) + " m " + num(r.w * 0.42) + " " + num(r.h * 0.24) + " l " +
             num(r.w * 0.8) + " " + num(r.h * 0.8) + " l S Q\n";
    return on;
}

Document::Impl::Canvas Document::Impl::radioDotAppearance(const Rect& r) {
    const double rad = std::min(r.w, r.h) / 2;
    Canvas on;
    on.ops = "q 0 g ";
    appendCirclePath(on.ops, r.w / 2, r.h / 2, rad * 0.5);
    on.ops += "f Q\n";
    return on;
}

void Document::Impl::drawWatermarks(const std::string& watermark,
                                    std::vector<Canvas>& pageCanvases) {
    // Drawn after the page's content, translucent, so fields stay readable under it.
    for (std::size_t i = 0; i < pageCanvases.size(); ++i) {
        const Page& p = pages[i];
        TextStyle st;
        st.face = FontFace::Bold;
        st.color = {0.75, 0.1, 0.1};
        const std::u32string s = prepare(watermark);
        const double w1000 = measure(s, st.face);
        const double diag = std::hypot(p.w, p.h);
        st.size = w1000 > 0 ? std::min(60.0, diag * 0.72 * 1000.0 / w1000) : 40;
        const double angle = std::atan2(p.h, p.w);
        const double c = std::cos(angle), sn = std::sin(angle);
        Canvas& cv = pageCanvases[i];
        beginArtifact(cv);  // the watermark is not content a screen reader should read out
        cv.ops += "q /GSwm gs ";
        appendNums(cv.ops, {c, sn, -sn, c, p.w / 2, p.h / 2});
        cv.ops += " cm\n";
        const double capH = ttf(1)->capHeight() * st.size / 1000.0;
        emitLine(cv, 0, -capH / 2, s, st, Align::Center);
        cv.ops += "Q\n";
    }
}

void Document::Impl::flattenFields(std::vector<Canvas>& pageCanvases) {
    for (const Field& f : fields)
        for (const Widget& w : f.widgets) {
            if (w.page < 0 || w.page >= static_cast<int>(pageCanvases.size())) continue;
            const Canvas* ap = nullptr;
            for (const auto& [state, cv] : w.states)
                if (f.kind == Kind::Text || f.kind == Kind::Combo || state == w.state) ap = &cv;
            if (!ap || ap->ops.empty()) continue;
            Canvas& pc = pageCanvases[static_cast<std::size_t>(w.page)];
            markFlattened(w.page, pc, w);
            pc.ops += "q 1 0 0 1 ";
            appendNums(pc.ops, {w.rect.x, w.rect.y});
            pc.ops += " cm\n" + ap->ops + "Q\n";
            pc.fontMask |= ap->fontMask;
            if (w.element >= 0) endText(pc);
        }
}

}  // namespace lecert::pdf
