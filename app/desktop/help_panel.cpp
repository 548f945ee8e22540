// SPDX-License-Identifier: MIT
#include "desktop/help_panel.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "desktop/field_box.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"
#include "desktop/step_page.h"

namespace lecert::desktop {

namespace {

// A word-wrapped rich-text label that is as tall as its text (unlike a text browser, which
// scrolls inside a fixed height). Text can be selected and copied with the mouse.
QLabel* makeRichLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    return label;
}

}  // namespace

QString HelpPanel::guidanceHtml() {
    // Written for lecert from the facts of the DHS Blue Campaign law-enforcement brochure.
    return QObject::tr(
        "<ul style=\"margin-left:-18px\">"
        "<li><b>Victim specialist first.</b> Put the victim in touch with a victim specialist at "
        "once; "
        "services never depend on whether the case is prosecuted.</li>"
        "<li><b>Explain and listen.</b> Say who you are and what happens next, and take the "
        "victim's "
        "questions and fears seriously.</li>"
        "<li><b>Language.</b> Bring in a qualified interpreter whenever language or culture could "
        "get "
        "in the way.</li>"
        "<li><b>Setting.</b> Interview in a neutral place, and only after urgent needs (safety, "
        "medical care, shelter) have been met. Give the victim time.</li>"
        "<li><b>Continued Presence.</b> For a trafficking victim, ask your local HSI office to "
        "request it as soon as you identify the victim; the investigation need not be finished "
        "(HSI Tip Line 1-866-347-2423).</li>"
        "<li><b>Discretion.</b> Signing is your agency's decision, and the form alone grants no "
        "immigration benefit; only USCIS decides.</li></ul>");
}

HelpPanel::HelpPanel(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("helpPanel"));
    // One scroll area for the whole panel: the item help and the guidance take their natural
    // heights, so neither needs a scrollbar of its own; the panel scrolls only when the window
    // is too short for both.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("helpScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setAccessibleName(tr("Help"));
    scroll->setStyleSheet(
        QStringLiteral("QScrollArea#helpScroll, QWidget#helpContent { background: transparent; }"));
    outer->addWidget(scroll);
    auto* content = new QWidget(scroll);
    content->setObjectName(QStringLiteral("helpContent"));
    scroll->setWidget(content);
    scroll->viewport()->setAutoFillBackground(false);

    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(16, 16, 16, 12);
    layout->setSpacing(8);
    auto* kicker = new QLabel(tr("Help"), content);
    kicker->setProperty("role", QStringLiteral("kicker"));
    layout->addWidget(kicker);
    m_title = new QLabel(content);
    m_title->setWordWrap(true);
    m_title->setProperty("role", QStringLiteral("helptitle"));
    m_title->setObjectName(QStringLiteral("helpTitle"));
    layout->addWidget(m_title);
    m_body = makeRichLabel(content);
    m_body->setObjectName(QStringLiteral("helpBody"));
    m_body->setAccessibleName(tr("Help for the current item"));
    layout->addWidget(m_body);
    layout->addSpacing(8);

    auto* guide = new QFrame(content);
    guide->setObjectName(QStringLiteral("guidanceBox"));
    auto* g = new QVBoxLayout(guide);
    g->setContentsMargins(12, 10, 12, 10);
    auto* gtitle = new QLabel(tr("Working with the victim"), guide);
    gtitle->setProperty("role", QStringLiteral("guidetitle"));
    g->addWidget(gtitle);
    QLabel* text = makeRichLabel(guide);
    text->setObjectName(QStringLiteral("guidanceText"));
    text->setText(guidanceHtml());
    text->setAccessibleName(tr("Victim-centered guidance"));
    g->addWidget(text);
    layout->addWidget(guide);
    layout->addStretch(1);
}

void HelpPanel::showText(const QString& title, const QString& html) {
    m_title->setText(title);
    m_body->setText(html);
}

QString HelpPanel::currentTitle() const {
    return m_title->text();
}

void HelpPanel::showPart(const FormPart& part) {
    showText(StepPage::pageTitle(part),
             QStringLiteral("<p>") + qs(part.help).toHtmlEscaped() + QStringLiteral("</p>"));
}

void HelpPanel::showItem(const FormPart* part, const FormItem& item,
                         const std::vector<Issue>& issues) {
    QString html;
    if (part) {
        html += QStringLiteral("<p style=\"color:#5f6b7a\">%1</p>")
                    .arg(StepPage::pageTitle(*part).toHtmlEscaped());
    }
    html += QStringLiteral("<p>") + qs(item.help).toHtmlEscaped() + QStringLiteral("</p>");
    if (item.required) html += tr("<p><i>This item is required whenever it is shown.</i></p>");
    for (const Issue& i : issues) {
        const bool error = i.severity == Severity::Error;
        html += QStringLiteral("<p style=\"color:%1\"><b>%2</b> %3")
                    .arg((error ? errorColor() : warningColor()).name(),
                         error ? tr("Error:") : tr("Warning:"), qs(i.message).toHtmlEscaped());
        if (!i.citation.empty())
            html += QStringLiteral("<br><span style=\"color:#5f6b7a\">%1</span>")
                        .arg(tr("Rule: %1").arg(qs(i.citation).toHtmlEscaped()));
        html += QStringLiteral("</p>");
    }
    showText(FieldBox::displayLabel(item), html);
}

}  // namespace lecert::desktop
