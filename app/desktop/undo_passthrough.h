// SPDX-License-Identifier: MIT
#pragma once
// Text widgets keep their own undo history, which would bypass the worksheet's. This hands
// Undo/Redo key presses on to the window's actions, so there is one history for everything.

class QWidget;

namespace lecert::desktop {

void useWindowUndo(QWidget* textWidget);

}  // namespace lecert::desktop
