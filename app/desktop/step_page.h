// SPDX-License-Identifier: MIT
#pragma once
// StepPage: one worksheet step (one Part of forms/<form>.json): the Part title and its items,
// laid out in the definition's order and rows. Built entirely from the definition.

#include <QScrollArea>

#include <string>
#include <vector>

#include "core/model/form_definition.h"

namespace lecert::desktop {

class FieldBox;
class RecordModel;

class StepPage : public QScrollArea {
    Q_OBJECT
public:
    StepPage(RecordModel* model, const FormPart& part, QWidget* parent);

    const FormPart& part() const { return m_part; }
    // Every field box on the page, group rows included.
    QList<FieldBox*> fieldBoxes() const;
    // The box that shows `path`, or the nearest enclosing one (group, then item); nullptr if none.
    FieldBox* boxForPath(const std::string& path) const;
    // Scrolls to the box and puts the keyboard focus in its editor.
    void focusBox(FieldBox* box);

    // Title as shown: "Part 1. Victim Information" or the section title.
    static QString pageTitle(const FormPart& part);

private:
    RecordModel* m_model;
    FormPart m_part;
};

}  // namespace lecert::desktop
