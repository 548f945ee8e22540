// SPDX-License-Identifier: MIT
#include "desktop/undo_passthrough.h"

#include <QEvent>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QWidget>

namespace lecert::desktop {

namespace {

class UndoPassthrough : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::ShortcutOverride) {
            auto* key = static_cast<QKeyEvent*>(event);
            if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
                // Not accepted: the key goes to the shortcut system (the window's Undo/Redo).
                event->ignore();
                return true;
            }
        }
        if (event->type() == QEvent::KeyPress) {
            auto* key = static_cast<QKeyEvent*>(event);
            if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) return true;
        }
        return QObject::eventFilter(watched, event);
    }
};

}  // namespace

void useWindowUndo(QWidget* textWidget) {
    if (auto* plain = qobject_cast<QPlainTextEdit*>(textWidget)) plain->setUndoRedoEnabled(false);
    textWidget->installEventFilter(new UndoPassthrough(textWidget));
}

}  // namespace lecert::desktop
