// SPDX-License-Identifier: MIT
#pragma once
// Internal to the cover renderer (not a public API): the parsed cover template
// (templates/cover.json, format in templates/README.md) and the mustache renderer of its texts
// over the view model. The layout (cover_layout.h) draws a CoverTemplate with a TextRenderer.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "core/pdf/document.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert::cover {

struct TRow {
    std::string label, value, detail, mark;
    std::string ifPath, unlessPath;
    bool hideEmpty = false;
};

struct TBlock {
    std::string type;
    std::string ifPath, unlessPath;
    std::string heading, legend, text, title, tone, right, caption, items, empty;
    int columns = 2;
    std::vector<TRow> rows;
    std::map<std::string, std::string> details;  // checklist: default detail per mark
    std::vector<TBlock> blocks;                  // row: side-by-side children
};

struct CoverTemplate {
    pdf::Color accent{0.12, 0.23, 0.37};
    double fontSize = 9;
    std::string metaTitle, metaSubject, metaKeywords;
    std::string watermark = "DRAFT – NOT FOR SIGNATURE";
    std::string headerTitle, headerSubtitle, headerRight;
    std::string continued;
    std::string footerLeft, footerRight;
    std::vector<TBlock> blocks;
};

// Reads and checks a template; errors name the file and the JSON location.
Result<CoverTemplate> loadTemplate(const std::string& path);
// Parsed templates by path, reloaded when the file's time stamp or size changes.
Result<std::shared_ptr<const CoverTemplate>> cachedTemplate(const std::string& path);

// Renders template texts against the view model. Text goes into a PDF, not HTML: no escaping.
class TextRenderer {
public:
    explicit TextRenderer(const Json& vm);

    std::string operator()(const std::string& tmpl, const Json* item = nullptr) const;
    // Renders with extra variables (e.g. page numbers) on top of the view model.
    std::string withExtra(const std::string& tmpl, const Json& extra) const {
        return (*this)(tmpl, &extra);
    }
    // True when the view-model value at ifPath is truthy and the one at unlessPath is not
    // (an empty path is no condition).
    bool visible(const std::string& ifPath, const std::string& unlessPath) const;
    const Json& vm() const { return m_vm; }

private:
    static kainjow::mustache::mustache& parsed(const std::string& tmpl);
    std::optional<std::string> renderPlain(const std::string& tmpl, const Json* item) const;

    const Json& m_vm;
    mutable std::optional<kainjow::mustache::data> m_root;  // the view model, built when needed
};

}  // namespace lecert::cover
