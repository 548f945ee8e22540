// SPDX-License-Identifier: MIT
#pragma once
// The look of lecert-desktop: Fusion with a light palette and a small style sheet (labels,
// step titles, outlines of fields with errors). Used by main() and by the tests alike.

class QApplication;

namespace lecert::desktop {

void applyAppStyle(QApplication& app);

}  // namespace lecert::desktop
