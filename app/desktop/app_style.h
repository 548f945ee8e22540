// SPDX-License-Identifier: MIT
#pragma once
// The look of lecert-desktop: Fusion with a light palette and one style sheet (labels, step
// titles, outlines of fields with errors, badges, banners, review cards). Used by main() and by
// the tests alike. Widgets never carry style sheets of their own: they set an object name or a
// `role` / `tone` property and the rules here match it.

class QApplication;
class QWidget;

namespace lecert::desktop {

void applyAppStyle(QApplication& app);

// Re-applies the style sheet after a property it matches on changed.
void repolish(QWidget* widget);
// Sets the `tone` property ("error", "ok", "draft", "submitted", ...) and repolishes.
void setStyleTone(QWidget* widget, const char* tone);

}  // namespace lecert::desktop
