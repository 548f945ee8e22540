// SPDX-License-Identifier: MIT
#include "desktop/help_panel.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/util/data_dir.h"
#include "core/util/json_io.h"
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
    // Data, not code (forms/guidance.html): an agency edits the wording without rebuilding.
    static const QString html = [] {
        auto text = readFile(dataPath("forms/guidance.html"), 256u * 1024u);
        if (!text)
            return QObject::tr("<p><i>The guidance text could not be read (%1).</i></p>")
                .arg(qs(text.error().toString()).toHtmlEscaped());
        QString h = qs(*text);
        // The file's leading comment is for whoever edits it.
        if (h.startsWith(QStringLiteral("<!--"))) {
            const qsizetype end = h.indexOf(QStringLiteral("-->"));
            if (end >= 0) h = h.mid(end + 3).trimmed();
        }
        return h;
    }();
    return html;
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
