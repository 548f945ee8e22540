// SPDX-License-Identifier: MIT
#pragma once
// Internal to the cover renderer (not a public API): draws a parsed cover template, its texts
// rendered by a TextRenderer, onto the pages of a PDF document (title band, blocks top to
// bottom, pagination, footer).

#include "core/pdf/document.h"
#include "core/render/cover_template.h"

namespace lecert::cover {

void layoutCover(pdf::Document& doc, const CoverTemplate& tmpl, const TextRenderer& render);

}  // namespace lecert::cover
