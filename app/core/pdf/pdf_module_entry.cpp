// SPDX-License-Identifier: MIT
// The table liblecert_pdfio.so exports (pdf_module.h): its own pdf_io.h and official_pdf.h
// functions, which are hidden, so these calls stay inside the module.
#include "core/pdf/pdf_module.h"

namespace lecert::pdf {
namespace {

const PdfModuleApi kApi = {
    kPdfModuleAbi,
    sizeof(PdfModuleApi),
    [](std::string_view pdf, const std::string& pw) { return readFieldValues(pdf, pw); },
    [](std::string_view pdf, const std::string& pw) { return readFieldWidgets(pdf, pw); },
    [](std::string_view pdf, const std::string& name, const std::string& pw, std::size_t max) {
        return readAttachment(pdf, name, pw, max);
    },
    [](std::string_view pdf, const std::string& pw) { return listAttachments(pdf, pw); },
    [](std::string_view pdf) { return isEncrypted(pdf); },
    [](std::string_view pdf, const std::string& pw) { return pageCount(pdf, pw); },
    [](std::string_view pdf, const std::string& pw) { return encryptAes256(pdf, pw); },
    [](OfficialFieldKind k) { return officialFieldKindName(k); },
    [](std::string bytes, std::shared_ptr<const FontSet> fonts, const std::string& pw) {
        return OfficialPdf::open(std::move(bytes), std::move(fonts), pw);
    },
    [](OfficialPdf::Impl* impl) { OfficialPdf::ImplDeleter{}(impl); },
    [](const OfficialPdf& p) -> const std::string& { return p.bytes(); },
    [](const OfficialPdf& p) -> const std::string& { return p.sha256(); },
    [](const OfficialPdf& p) { return p.pageCount(); },
    [](const OfficialPdf& p) { return p.encrypted(); },
    [](const OfficialPdf& p) { return p.hasXfa(); },
    [](const OfficialPdf& p) -> const std::vector<OfficialField>& { return p.fields(); },
    [](const OfficialPdf& p, std::string_view name) { return p.find(name); },
    [](const OfficialPdf& p, const OfficialField& f, std::string_view text) {
        return p.fits(f, text);
    },
    [](const OfficialPdf& p, const OfficialFillRequest& r) { return p.fill(r); },
    [](std::string_view pdf, const std::string& pw) { return readOfficialFields(pdf, pw); },
    [](std::string_view pdf) { return originalLength(pdf); },
};

}  // namespace
}  // namespace lecert::pdf

extern "C" __attribute__((visibility("default"))) const lecert::pdf::PdfModuleApi*
lecert_pdf_module_api() {
    return &lecert::pdf::kApi;
}
