// SPDX-License-Identifier: MIT
#pragma once
// HelpPanel: plain-language help for the current item (or the step), the rule behind any
// message showing for it, and the victim-centered guidance below it; the whole panel is one
// scroll area, so both keep their natural heights.

#include <QFrame>

#include <vector>

#include "core/model/form_definition.h"
#include "core/rules/validator.h"

class QLabel;

namespace lecert::desktop {

class HelpPanel : public QFrame {
    Q_OBJECT
public:
    explicit HelpPanel(QWidget* parent);

    void showPart(const FormPart& part);
    void showItem(const FormPart* part, const FormItem& item, const std::vector<Issue>& issues);
    void showText(const QString& title, const QString& html);
    QString currentTitle() const;

    // The victim-centered guidance, as HTML (also used on the start screen).
    static QString guidanceHtml();

private:
    QLabel* m_title;
    QLabel* m_body;
};

}  // namespace lecert::desktop
