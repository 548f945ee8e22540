// SPDX-License-Identifier: MIT
#pragma once
// DocumentRenderer: the desktop's one door to PDF output (form + cover summary), so that the
// preview and export do not depend on how core writes PDFs. The rules are lecert fill's: a
// record with errors only ever becomes a watermarked draft.

#include <QByteArray>

#include <memory>
#include <optional>
#include <string>

#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert::desktop {

struct RenderedPdfs {
    QByteArray form;
    QByteArray cover;
    bool draft = false;  // true: every page carries the DRAFT watermark
    QByteArray match;    // official form: how the PDF matched its edition (for messages)
};

// What to render. The password is wiped by the caller once the PDFs are written.
struct RenderRequest {
    bool draft = false;
    // Turns the form fields into page content (for the on-screen preview, whose viewer does
    // not draw form fields).
    bool flatten = false;
    std::optional<Date> today;
    std::string password;      // non-empty: both PDFs AES-256 encrypted (and reopened with it)
    std::string officialPath;  // non-empty: fill this official USCIS PDF instead of the worksheet
};

class DocumentRenderer {
public:
    virtual ~DocumentRenderer() = default;
    // Renders the (normalised) record. A record with errors always comes out as a draft; the
    // official form is refused for it (a draft can only be the worksheet).
    virtual Result<RenderedPdfs> render(const Json& record, const RenderRequest& request) const = 0;
};

// The renderer over core's fill job.
std::unique_ptr<DocumentRenderer> createCoreRenderer();

}  // namespace lecert::desktop
