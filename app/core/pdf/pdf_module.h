// SPDX-License-Identifier: MIT
#pragma once
// lecert's PDF module: the code that reads and updates existing PDFs with qpdf (pdf_io.h,
// official_pdf.h) is built as a module of its own, liblecert_pdfio.so, opened with dlopen the
// first time one of its functions is called. qpdf and the GnuTLS libraries it needs were half
// of what the dynamic loader did at every start, for `lecert --version` or `validate` as much
// as for a fill. lecert_core holds the functions of those two headers as forwarders through
// the table below (pdf_module.cpp); the module (pdf_module_entry.cpp) holds the real ones,
// with its own copy of the rest of lecert_core, all hidden, so the only symbol it exports is
// the table's. Internal to the PDF layer.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pdf/official_pdf.h"
#include "core/pdf/pdf_io.h"

namespace lecert::pdf {

// Raised whenever the table changes; the module and the program must agree on it.
inline constexpr unsigned kPdfModuleAbi = 1;

struct PdfModuleApi {
    unsigned abi = 0;
    unsigned size = 0;  // sizeof(PdfModuleApi) as the module was built
    // pdf_io.h
    Result<std::map<std::string, std::string>> (*readFieldValues)(std::string_view,
                                                                  const std::string&);
    Result<std::vector<FieldWidget>> (*readFieldWidgets)(std::string_view, const std::string&);
    Result<std::string> (*readAttachment)(std::string_view, const std::string&, const std::string&,
                                          std::size_t);
    Result<std::vector<std::string>> (*listAttachments)(std::string_view, const std::string&);
    bool (*isEncrypted)(std::string_view);
    Result<int> (*pageCount)(std::string_view, const std::string&);
    Result<std::string> (*encryptAes256)(std::string_view, const std::string&);
    // official_pdf.h
    std::string_view (*officialFieldKindName)(OfficialFieldKind);
    Result<std::unique_ptr<OfficialPdf>> (*open)(std::string, std::shared_ptr<const FontSet>,
                                                 const std::string&);
    void (*deleteImpl)(OfficialPdf::Impl*);
    const std::string& (*bytes)(const OfficialPdf&);
    const std::string& (*sha256)(const OfficialPdf&);
    int (*officialPageCount)(const OfficialPdf&);
    bool (*encrypted)(const OfficialPdf&);
    bool (*hasXfa)(const OfficialPdf&);
    const std::vector<OfficialField>& (*fields)(const OfficialPdf&);
    const OfficialField* (*find)(const OfficialPdf&, std::string_view);
    bool (*fits)(const OfficialPdf&, const OfficialField&, std::string_view);
    Result<std::string> (*fill)(const OfficialPdf&, const OfficialFillRequest&);
    Result<std::vector<OfficialField>> (*readOfficialFields)(std::string_view, const std::string&);
    Result<std::size_t> (*originalLength)(std::string_view);
};

// The module's table (nullptr and `why` set when it cannot be loaded: missing, unreadable,
// or from another build). Loaded once per process; thread-safe.
const PdfModuleApi* pdfModule(std::string* why = nullptr);

}  // namespace lecert::pdf

// The module's one exported symbol.
extern "C" const lecert::pdf::PdfModuleApi* lecert_pdf_module_api();
