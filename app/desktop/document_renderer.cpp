// SPDX-License-Identifier: MIT
#include "desktop/document_renderer.h"

#include "core/jobs/fill_job.h"
#include "core/model/record.h"
#include "core/rules/validator.h"

namespace lecert::desktop {

namespace {

// Over core's FillRenderer, with lecert fill's rule: a record with errors is only ever
// rendered as a watermarked draft, whatever the caller asked for.
class CoreRenderer : public DocumentRenderer {
public:
    Result<RenderedPdfs> render(const Json& record, bool draft, bool flatten,
                                std::optional<Date> today) const override {
        const Record r(record);
        ValidationOptions vo;
        vo.today = today;
        const bool mustBeDraft = hasErrors(validateRecord(r, vo));
        RenderOptions options;
        options.today = today;
        options.flatten = flatten;
        auto out = m_renderer.render(r, options, draft || mustBeDraft, std::string());
        if (!out) return out.error();
        RenderedPdfs pdfs;
        pdfs.form = QByteArray(out->form.data(), static_cast<qsizetype>(out->form.size()));
        pdfs.cover = QByteArray(out->cover.data(), static_cast<qsizetype>(out->cover.size()));
        pdfs.draft = draft || mustBeDraft;
        return pdfs;
    }

private:
    mutable FillRenderer m_renderer;  // keeps its font cache between previews
};

}  // namespace

std::unique_ptr<DocumentRenderer> createCoreRenderer() {
    return std::make_unique<CoreRenderer>();
}

}  // namespace lecert::desktop
