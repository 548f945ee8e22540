// SPDX-License-Identifier: MIT
#pragma once
// Editors for the item kinds of a form definition (text, multiline, date, yes/no, choice,
// multichoice, group, signature) and the factory that picks one for a FormItem, in the manner
// of Okular's form widget factory. An editor reads and writes one record path through the
// RecordModel and never decides anything about the form itself.

#include <QWidget>

#include <optional>
#include <string>

#include "core/model/form_definition.h"
#include "core/util/date.h"

namespace lecert::desktop {

class RecordModel;

class FieldEditor : public QWidget {
    Q_OBJECT
public:
    FieldEditor(RecordModel* model, FormItem item, std::string path, QWidget* parent);

    const std::string& path() const { return m_path; }
    const FormItem& item() const { return m_item; }
    // Re-reads the value from the model without echoing it back as an edit.
    virtual void refresh() = 0;
    // The widget that takes the focus when the officer jumps to this field (default: the
    // input given to setInput()).
    virtual QWidget* focusTarget() { return m_input; }
    // Screen-reader name and description of the input widget(s) (default: the input, else this).
    virtual void setAccessibleLabel(const QString& name, const QString& description);
    // Red/amber outline while the field has an error/warning showing (0 none, 1 warning, 2 error);
    // default: on the input given to setInput(), nothing without one.
    virtual void setIssueLevel(int level);

protected:
    // The single input widget of a simple editor: the default focus target, accessible label
    // and issue outline apply to it.
    void setInput(QWidget* input) { m_input = input; }
    // Marks the field touched when `input` loses the focus (its messages then show).
    void watchFocus(QWidget* input);
    bool eventFilter(QObject* watched, QEvent* event) override;
    // True when a change at `changed` may alter this editor's value.
    bool concerns(const QString& changed) const;

    RecordModel* m_model;
    FormItem m_item;
    std::string m_path;
    QWidget* m_input = nullptr;
};

// The editor for `item` editing record path `path` (for group rows the full element path).
// A date as officers type it, in US order: M/D/YYYY, MM/DD/YYYY, M-D-YYYY, M.D.YYYY, or the
// record format's YYYY-MM-DD. nullopt when it is none of these or not a real day.
std::optional<Date> parseTypedDate(const QString& text);

FieldEditor* createFieldEditor(RecordModel* model, const FormItem& item, const std::string& path,
                               QWidget* parent);

}  // namespace lecert::desktop
