// SPDX-License-Identifier: MIT
// libFuzzer: the official-form reader (`fill --official`, `forms inspect`, `verify-official`):
// opening a hostile fillable PDF, its field inventory, one fill of every kind of field it
// reports, and finding the original's length in the result.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/pdf/font_set.h"
#include "core/pdf/official_pdf.h"

namespace {

// A fill that touches each kind of field once: text, check box / radio, choice.
lecert::pdf::OfficialFillRequest requestFor(const lecert::pdf::OfficialPdf& form, bool flatten) {
    lecert::pdf::OfficialFillRequest request;
    request.flatten = flatten;
    for (const auto& f : form.fields()) {
        using K = lecert::pdf::OfficialFieldKind;
        if ((f.kind == K::Text || f.kind == K::Multiline) && request.text.size() < 4)
            request.text[f.name] = "Doe (x) \\ \xc3\xa9";
        else if ((f.kind == K::CheckBox || f.kind == K::Radio) && !f.onStates.empty() &&
                 request.checks.size() < 4)
            request.checks[f.name] = f.onStates.front();
        else if ((f.kind == K::Dropdown || f.kind == K::ListBox) && !f.options.empty())
            request.text.emplace(f.name, f.options.front());
    }
    return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string pdf(reinterpret_cast<const char*>(data), size);
    (void)lecert::pdf::readOfficialFields(pdf);
    (void)lecert::pdf::originalLength(pdf);
    auto form = lecert::pdf::OfficialPdf::open(pdf, lecert::pdf::FontSet::shared());
    if (!form) return 0;
    const auto& f = **form;
    if (!f.fields().empty()) (void)f.fits(f.fields().front(), "A longer value to wrap, maybe");
    for (bool flatten : {false, true}) {
        auto filled = f.fill(requestFor(f, flatten));
        if (filled) (void)lecert::pdf::originalLength(*filled);
    }
    return 0;
}
