// SPDX-License-Identifier: MIT
#pragma once
// FieldBox: one item on a worksheet step: its label (item number, text, required marker) above
// the editor, and the validator's messages under it. It shows only when the item's show_if
// condition holds, and shows messages only for fields the officer has touched (or all of them
// once the review step was visited or a draft was opened).

#include <QWidget>

#include <string>

#include "core/model/form_definition.h"

class QLabel;

namespace lecert::desktop {

class FieldEditor;
class RecordModel;

class FieldBox : public QWidget {
    Q_OBJECT
public:
    // `compact` is used inside group rows: a smaller label and no item number.
    FieldBox(RecordModel* model, const FormItem& item, const std::string& path, bool compact,
             QWidget* parent);

    const std::string& path() const { return m_path; }
    const FormItem& item() const { return m_item; }
    FieldEditor* editor() const { return m_editor; }
    QLabel* label() const { return m_label; }  // nullptr for unlabelled sub-items
    // Number of error messages currently shown.
    int shownErrors() const { return m_shownErrors; }
    QString messageText() const;

    // Item number and label as shown ("2.a  Victim's Family Name").
    static QString displayLabel(const FormItem& item);

public Q_SLOTS:
    void updateMessages();
    void updateVisibility();

private:
    RecordModel* m_model;
    FormItem m_item;
    std::string m_path;
    QLabel* m_label = nullptr;
    QLabel* m_message = nullptr;
    FieldEditor* m_editor = nullptr;
    int m_shownErrors = 0;
};

}  // namespace lecert::desktop
