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

#include "desktop/drafts.h"
#include "desktop/help_panel.h"
#include "desktop/icons.h"

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

    auto* left = new QVBoxLayout;
    left->setSpacing(6);
    auto* startLabel = new QLabel(tr("Start"), this);
    startLabel->setProperty("role", QStringLiteral("section"));
    left->addWidget(startLabel);
    auto* u = new QCommandLinkButton(
        tr("New U visa certification"),
        tr("Form I-918, Supplement B: certify that the victim of a qualifying "
           "crime has been, is being, or is likely to be helpful."),
        this);
    u->setObjectName(QStringLiteral("newI918b"));
    auto* t = new QCommandLinkButton(
        tr("New T visa declaration"),
        tr("Form I-914, Supplement B: declare that a victim of severe trafficking "
           "has complied with reasonable requests for assistance."),
        this);
    t->setObjectName(QStringLiteral("newI914b"));
    auto* open = new QCommandLinkButton(
        tr("Open a draft…"), tr("Continue a worksheet saved earlier (a record .json file)."), this);
    open->setObjectName(QStringLiteral("openDraft"));
    for (QCommandLinkButton* b : {u, t, open}) left->addWidget(b);
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
    columns->addLayout(left, 4);

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
    columns->addLayout(right, 7);

    connect(u, &QCommandLinkButton::clicked, this,
            [this] { Q_EMIT newDraftRequested(FormId::I918B); });
    connect(t, &QCommandLinkButton::clicked, this,
            [this] { Q_EMIT newDraftRequested(FormId::I914B); });
    connect(open, &QCommandLinkButton::clicked, this, &StartPage::openRequested);
    connect(m_recent, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (item) Q_EMIT openPathRequested(item->data(0, Qt::UserRole).toString());
    });
    setTabOrder(u, t);
    setTabOrder(t, open);
    setTabOrder(open, m_recent);
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
        item->setText(4, locale.toString(s.modified, QStringLiteral("d MMM yyyy, HH:mm")));
        if (s.daysLeft) {
            const long d = *s.daysLeft;
            // Six months to file (8 CFR 214.14(c)(2)(i)): past it the certification can no longer
            // be filed, but one filed in time has not "expired".
            item->setText(5, d < 0 ? tr("too late to file") : QString::number(d));
            if (d <= 45) item->setForeground(5, d < 0 ? errorColor() : warningColor());
        } else {
            item->setText(
                5, s.form == QStringLiteral("I-918B") ? tr("not signed") : QStringLiteral("—"));
        }
    }
    if (m_recent->topLevelItemCount() > 0) m_recent->setCurrentItem(m_recent->topLevelItem(0));
}

}  // namespace lecert::desktop
