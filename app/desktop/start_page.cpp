// SPDX-License-Identifier: MIT
#include "desktop/start_page.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

#include "core/model/form_catalog.h"
#include "desktop/drafts.h"
#include "desktop/help_panel.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

StartPage::StartPage(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("startPage"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(40, 32, 40, 28);
    outer->setSpacing(6);

    auto* title = new QLabel(tr("lecert"), this);
    title->setProperty("role", QStringLiteral("apptitle"));
    outer->addWidget(title);
    auto* subtitle = new QLabel(
        tr("Certify a crime victim's helpfulness (Form I-918, Supplement B) or declare a "
           "trafficking victim's cooperation (Form I-914, Supplement B), step by step."),
        this);
    subtitle->setWordWrap(true);
    subtitle->setProperty("role", QStringLiteral("subtitle"));
    outer->addWidget(subtitle);
    outer->addSpacing(18);

    auto* columns = new QHBoxLayout;
    columns->setSpacing(28);
    outer->addLayout(columns, 1);

    std::vector<QCommandLinkButton*> buttons;
    columns->addLayout(buildStartColumn(buttons), 4);
    columns->addLayout(buildRecentColumn(), 7);
    connect(m_recent, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (item) Q_EMIT openPathRequested(item->data(0, Qt::UserRole).toString());
    });
    for (std::size_t i = 0; i + 1 < buttons.size(); ++i) setTabOrder(buttons[i], buttons[i + 1]);
    setTabOrder(buttons.back(), m_recent);
}

// The left column: a button per form and "Open a draft" (in `buttons`, in tab order), then the
// guidance.
QVBoxLayout* StartPage::buildStartColumn(std::vector<QCommandLinkButton*>& buttons) {
    auto* left = new QVBoxLayout;
    left->setSpacing(6);
    auto* startLabel = new QLabel(tr("Start"), this);
    startLabel->setProperty("role", QStringLiteral("section"));
    left->addWidget(startLabel);
    // One button per form lecert has a definition for, in the definition's words.
    for (const FormInfo& f : availableForms()) {
        auto* b = new QCommandLinkButton(tr("New %1").arg(qs(f.subtitle)),
                                         tr("%1 (%2)").arg(qs(f.title), qs(f.shortName)), this);
        const std::string id(formToString(f.id));
        b->setObjectName(QStringLiteral("new") + qs(id.substr(0, 1)).toUpper() + qs(id.substr(1)));
        const FormId form = f.id;
        connect(b, &QCommandLinkButton::clicked, this,
                [this, form] { Q_EMIT newDraftRequested(form); });
        buttons.push_back(b);
    }
    auto* open = new QCommandLinkButton(
        tr("Open a draft…"), tr("Continue a worksheet saved earlier (a record .json file)."), this);
    open->setObjectName(QStringLiteral("openDraft"));
    buttons.push_back(open);
    for (QCommandLinkButton* b : buttons) left->addWidget(b);
    left->addSpacing(14);
    auto* guideTitle = new QLabel(tr("Before you begin"), this);
    guideTitle->setProperty("role", QStringLiteral("section"));
    left->addWidget(guideTitle);
    auto* guideBox = new QFrame(this);
    guideBox->setObjectName(QStringLiteral("guidanceBox"));
    auto* guideLayout = new QVBoxLayout(guideBox);
    guideLayout->setContentsMargins(8, 6, 12, 6);
    auto* guide = new QLabel(HelpPanel::guidanceHtml(), guideBox);
    guide->setObjectName(QStringLiteral("startGuidance"));
    guide->setTextFormat(Qt::RichText);
    guide->setWordWrap(true);
    guide->setAccessibleName(tr("Victim-centered guidance"));
    guideLayout->addWidget(guide);
    left->addWidget(guideBox);
    left->addStretch(1);
    connect(open, &QCommandLinkButton::clicked, this, &StartPage::openRequested);
    return left;
}

// The right column: the recent drafts.
QVBoxLayout* StartPage::buildRecentColumn() {
    auto* right = new QVBoxLayout;
    right->setSpacing(6);
    auto* recentLabel = new QLabel(tr("Recent drafts"), this);
    recentLabel->setProperty("role", QStringLiteral("section"));
    right->addWidget(recentLabel);
    m_recent = new QTreeWidget(this);
    m_recent->setObjectName(QStringLiteral("recentDrafts"));
    m_recent->setAccessibleName(tr("Recent drafts"));
    m_recent->setRootIsDecorated(false);
    m_recent->setUniformRowHeights(true);
    m_recent->setAlternatingRowColors(true);
    m_recent->setHeaderLabels({tr("Victim"), tr("Case number"), tr("Form"), tr("Status"),
                               tr("Last change"), tr("Days left")});
    m_recent->header()->setStretchLastSection(false);
    m_recent->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 6; ++c)
        m_recent->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    right->addWidget(m_recent, 1);
    auto* hint =
        new QLabel(tr("Double-click a draft, or select it and press Enter, to continue it."), this);
    hint->setProperty("role", QStringLiteral("hint"));
    hint->setWordWrap(true);
    right->addWidget(hint);
    return right;
}

void StartPage::refresh() {
    m_recent->clear();
    const QLocale locale;
    for (const QString& path : recentDrafts()) {
        if (!QFileInfo::exists(path)) continue;
        const DraftSummary s = summarizeDraft(path, m_today);
        auto* item = new QTreeWidgetItem(m_recent);
        item->setData(0, Qt::UserRole, path);
        item->setToolTip(0, path);
        if (!s.error.isEmpty()) {
            item->setText(0, QFileInfo(path).fileName());
            item->setText(3, s.error);
            continue;
        }
        item->setText(0, s.victim.isEmpty() ? tr("(victim not named yet)") : s.victim);
        item->setText(1, s.caseNumber.isEmpty() ? QStringLiteral("—") : s.caseNumber);
        item->setText(2, s.form);
        item->setText(3,
                      s.status.isEmpty() ? s.status : s.status.left(1).toUpper() + s.status.mid(1));
        item->setText(4, locale.toString(s.modified, QLocale::ShortFormat));
        if (s.daysLeft) {
            const long d = *s.daysLeft;
            // Six months to file (8 CFR 214.14(c)(2)(i)): past it the certification can no longer
            // be filed, but one filed in time has not "expired".
            item->setText(5, d < 0 ? tr("too late to file") : QString::number(d));
            if (d <= kFilingWarningDays)
                item->setForeground(5, d < 0 ? errorColor() : warningColor());
        } else {
            item->setText(5, s.hasFilingDeadline ? tr("not signed") : QStringLiteral("—"));
        }
    }
    if (m_recent->topLevelItemCount() > 0) m_recent->setCurrentItem(m_recent->topLevelItem(0));
    // Room for every column and a readable victim name: the page scrolls before a column is
    // cut to "…".
    int wanted = m_recent->fontMetrics().averageCharWidth() * 18 + 2 * m_recent->frameWidth();
    for (int c = 1; c < m_recent->columnCount(); ++c) {
        int column = m_recent->header()->sectionSizeHint(c);
        for (int i = 0; i < m_recent->topLevelItemCount(); ++i)
            column = std::max(
                column,
                m_recent->fontMetrics().horizontalAdvance(m_recent->topLevelItem(i)->text(c)) + 16);
        wanted += column;
    }
    m_recent->setMinimumWidth(wanted);
}

}  // namespace lecert::desktop
