// SPDX-License-Identifier: MIT
#include "desktop/document_renderer.h"

#include "core/jobs/fill_job.h"
#include "core/model/record.h"
#include "core/rules/validator.h"

namespace lecert::desktop {

namespace {

QByteArray bytesOf(const std::string& s) {
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

// Over core's FillRenderer and OfficialRenderer, with lecert fill's rules: a record with
// errors is only ever rendered as a watermarked worksheet draft, whatever the caller asked
// for; encryption goes through core's checked path (length, NUL, reopened with the password).
class CoreRenderer : public DocumentRenderer {
public:
    Result<RenderedPdfs> render(const Json& record, const RenderRequest& request) const override {
        const Record r(record);
        ValidationOptions vo;
        vo.today = request.today;
        const std::vector<Issue> issues = validateRecord(r, vo);
        const bool mustBeDraft = hasErrors(issues);
        RenderOptions options;
        options.today = request.today;
        options.flatten = request.flatten;
        options.password = request.password;
        RenderedPdfs pdfs;
        Result<RenderedRecord> out = Error{"not rendered", {}};
        if (!request.officialPath.empty()) {
            if (mustBeDraft || request.draft)
                return Error{
                    "the worksheet has errors; fix them first (a draft can only be "
                    "exported as the worksheet)",
                    {}};
            OfficialRenderer official({});
            out = official.renderWith(r, options, request.officialPath, &issues);
            pdfs.match = bytesOf(official.lastMatch());
        } else {
            out =
                m_renderer.render(r, options, request.draft || mustBeDraft, std::string(), &issues);
        }
        // The options held the password too: wipe that copy as soon as it is used.
        options.password.assign(options.password.size(), '\0');
        if (!out) return out.error();
        pdfs.form = bytesOf(out->form);
        pdfs.cover = bytesOf(out->cover);
        pdfs.draft = request.draft || mustBeDraft;
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
