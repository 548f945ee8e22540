// SPDX-License-Identifier: MIT
#pragma once
// DocumentRenderer: the desktop's one door to PDF output (form + cover summary), so that the
// preview and export do not depend on how core writes PDFs. The rules are lecert fill's: a
// record with errors only ever becomes a watermarked draft.

#include <QByteArray>

#include <memory>
#include <optional>

#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert::desktop {

struct RenderedPdfs {
    QByteArray form;
    QByteArray cover;
    bool draft = false;  // true: every page carries the DRAFT watermark
};

class DocumentRenderer {
public:
    virtual ~DocumentRenderer() = default;
    // Renders the (normalised) record. A record with errors always comes out as a draft.
    // `flatten` turns the form fields into page content (for the on-screen preview, whose
    // viewer does not draw form fields).
    virtual Result<RenderedPdfs> render(const Json& record, bool draft, bool flatten,
                                        std::optional<Date> today) const = 0;
};

// The renderer over core's fill job.
std::unique_ptr<DocumentRenderer> createCoreRenderer();

}  // namespace lecert::desktop
