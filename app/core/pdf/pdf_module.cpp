// SPDX-License-Identifier: MIT
// Loads lecert's PDF module (pdf_module.h) on first use and forwards the functions of
// pdf_io.h and official_pdf.h to it.
#include "core/pdf/pdf_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace lecert::pdf {

namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "liblecert_pdfio.so";

// Where the module may be: $LECERT_PDF_MODULE when set (and then only there); else, in order,
// <libdir>/lecert/ beside the bin/ folder of the running program (an installed or relocated
// tree; <libdir> as configured: lib/ or lib/<multiarch>/), the build tree that made this
// program, the configured install folder. The first that loads and is of this build wins.
std::vector<std::string> candidates() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("LECERT_PDF_MODULE"); env && *env) return {env};
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        out.push_back(
            (exe.parent_path().parent_path() / LECERT_PDF_MODULE_LIBDIR / kModuleName).string());
    out.emplace_back(LECERT_PDF_MODULE_BUILD_PATH);
    out.emplace_back(LECERT_PDF_MODULE_INSTALL_DIR "/" + std::string(kModuleName));
    return out;
}

struct Loaded {
    const PdfModuleApi* api = nullptr;
    std::string why;
};

Loaded load() {
    Loaded r;
    std::string tried;
    for (const auto& path : candidates()) {
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            tried += "; " + path + ": no such file";
            continue;
        }
        // RTLD_LOCAL: the module's symbols (its own copy of lecert_core, all hidden anyway)
        // never resolve anyone else's.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* err = ::dlerror();
            tried += "; " + path + ": " + (err ? err : "cannot be opened");
            continue;
        }
        using Entry = const PdfModuleApi* (*)();
        auto entry = reinterpret_cast<Entry>(::dlsym(handle, "lecert_pdf_module_api"));
        const PdfModuleApi* api = entry ? entry() : nullptr;
        if (!api || api->abi != kPdfModuleAbi || api->size != sizeof(PdfModuleApi)) {
            tried += "; " + path + ": from another build of lecert";
            ::dlclose(handle);
            continue;
        }
        r.api = api;  // never closed: its code runs until exit
        return r;
    }
    r.why = std::string("lecert's PDF module ") + kModuleName + " cannot be loaded (" +
            tried.substr(2) + "); reinstall lecert or set LECERT_PDF_MODULE to its path";
    return r;
}

const Loaded& loaded() {
    static const Loaded l = load();
    return l;
}

// For the functions that cannot report an error: the module is part of lecert's installation,
// as the libraries it was linked with are, and the program stops as it would without them.
const PdfModuleApi& required() {
    const Loaded& l = loaded();
    if (!l.api) {
        std::fprintf(stderr, "lecert: %s\n", l.why.c_str());
        std::_Exit(127);
    }
    return *l.api;
}

Error missing() {
    return Error{loaded().why, {}};
}

}  // namespace

const PdfModuleApi* pdfModule(std::string* why) {
    const Loaded& l = loaded();
    if (!l.api && why) *why = l.why;
    return l.api;
}

// pdf_io.h

Result<std::map<std::string, std::string>> readFieldValues(std::string_view pdf,
                                                           const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->readFieldValues(pdf, password) : missing();
}

Result<std::vector<FieldWidget>> readFieldWidgets(std::string_view pdf,
                                                  const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->readFieldWidgets(pdf, password) : missing();
}

Result<std::string> readAttachment(std::string_view pdf, const std::string& name,
                                   const std::string& password, std::size_t maxBytes) {
    const auto* m = loaded().api;
    return m ? m->readAttachment(pdf, name, password, maxBytes) : missing();
}

Result<std::vector<std::string>> listAttachments(std::string_view pdf,
                                                 const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->listAttachments(pdf, password) : missing();
}

bool isEncrypted(std::string_view pdf) {
    return required().isEncrypted(pdf);
}

Result<int> pageCount(std::string_view pdf, const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->pageCount(pdf, password) : missing();
}

Result<std::string> encryptAes256(std::string_view pdf, const std::string& userPassword) {
    const auto* m = loaded().api;
    return m ? m->encryptAes256(pdf, userPassword) : missing();
}

// official_pdf.h. An OfficialPdf exists only when open() loaded the module.

std::string_view officialFieldKindName(OfficialFieldKind k) {
    return required().officialFieldKindName(k);
}

Result<std::unique_ptr<OfficialPdf>> OfficialPdf::open(std::string bytes,
                                                       std::shared_ptr<const FontSet> fonts,
                                                       const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->open(std::move(bytes), std::move(fonts), password) : missing();
}

OfficialPdf::~OfficialPdf() = default;

void OfficialPdf::ImplDeleter::operator()(Impl* impl) const {
    required().deleteImpl(impl);
}

const std::string& OfficialPdf::bytes() const {
    return required().bytes(*this);
}

const std::string& OfficialPdf::sha256() const {
    return required().sha256(*this);
}

int OfficialPdf::pageCount() const {
    return required().officialPageCount(*this);
}

bool OfficialPdf::encrypted() const {
    return required().encrypted(*this);
}

bool OfficialPdf::hasXfa() const {
    return required().hasXfa(*this);
}

const std::vector<OfficialField>& OfficialPdf::fields() const {
    return required().fields(*this);
}

const OfficialField* OfficialPdf::find(std::string_view name) const {
    return required().find(*this, name);
}

bool OfficialPdf::fits(const OfficialField& field, std::string_view text) const {
    return required().fits(*this, field, text);
}

Result<std::string> OfficialPdf::fill(const OfficialFillRequest& request) const {
    return required().fill(*this, request);
}

Result<std::vector<OfficialField>> readOfficialFields(std::string_view pdf,
                                                      const std::string& password) {
    const auto* m = loaded().api;
    return m ? m->readOfficialFields(pdf, password) : missing();
}

Result<std::size_t> originalLength(std::string_view pdf) {
    const auto* m = loaded().api;
    return m ? m->originalLength(pdf) : missing();
}

}  // namespace lecert::pdf
