// SPDX-License-Identifier: MIT
#include "core/render/cover.h"

#include "core/model/applicability.h"
#include "core/pdf/icc_profile.h"
#include "core/render/cover_layout.h"
#include "core/render/cover_template.h"
#include "core/util/data_dir.h"

// The renderer in three parts: the view model (cover_model.cpp), the template and its texts
// (cover_template.*), the drawing (cover_layout.*). This file ties them together.

namespace lecert {

using cover::cachedTemplate;
using cover::CoverTemplate;
using cover::loadTemplate;
using cover::TextRenderer;

// ================================================================================= public

Status checkCoverTemplate(const std::string& path) {
    auto t = loadTemplate(path);
    if (!t) return t.error();
    return Ok{};
}

Result<std::string> renderCoverPdf(const Record& input, const CoverOptions& options) {
    // Answers to items hidden by their show_if are kept in drafts, never printed.
    const Record record = prunedRecord(input);
    try {
        const Date today = options.today.value_or(Date::today());
        const std::string path =
            options.templatePath.empty() ? dataPath("templates/cover.json") : options.templatePath;
        auto cached = cachedTemplate(path);
        if (!cached) return cached.error();
        const std::shared_ptr<const CoverTemplate> tmpl = *cached;

        std::shared_ptr<const pdf::FontSet> fonts = options.fonts;
        if (!fonts) fonts = pdf::FontSet::shared();
        if (!fonts)
            return Error{
                "cannot render the cover summary: the fonts are missing (install "
                "fonts-dejavu-core)",
                {}};

        std::vector<Issue> issues;
        if (options.issues) {
            issues = *options.issues;
        } else {
            ValidationOptions vo;
            vo.today = today;
            issues = validateRecord(record, vo);
        }
        const Json vm = coverViewModel(record, issues, today);
        const TextRenderer render(vm);

        pdf::Document doc(fonts);
        cover::layoutCover(doc, *tmpl, render);

        // /Info is shown by file managers, search indexers and document systems without
        // opening the file, so it carries the record id only, never the victim's name.
        pdf::DocumentInfo info;
        info.title = render(tmpl->metaTitle);
        info.subject = render(tmpl->metaSubject);
        info.keywords = render(tmpl->metaKeywords);
        info.date = today.iso();
        doc.setInfo(info);
        doc.attachFile(
            "record.json",
            options.attachmentJson.empty() ? dumpPretty(record.json()) : options.attachmentJson,
            "application/json", "lecert record (contains victim information)");

        pdf::WriteOptions wo;
        if (options.pdfa) {
            auto icc = pdf::srgbIccProfile();
            if (!icc) return icc.error();
            wo.pdfaIccProfile = std::move(*icc);
        }
        wo.flatten = options.flatten;
        if (options.draft) {
            wo.watermark = render(tmpl->watermark);
            if (wo.watermark.empty()) wo.watermark = "DRAFT – NOT FOR SIGNATURE";
        }
        return doc.write(wo);
    } catch (const std::exception& e) {
        return Error{std::string("cannot render the cover summary: ") + e.what(), {}};
    } catch (...) {
        return Error{"cannot render the cover summary: unexpected failure", {}};
    }
}
}  // namespace lecert
