// SPDX-License-Identifier: MIT
#include "desktop/comment_widgets.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimeZone>
#include <QVBoxLayout>

#include "desktop/qt_text.h"

namespace lecert::desktop {

namespace {

// True when `path` is `base` or lies under it ("crime.dates[2]" under "crime.dates").
bool isUnder(const std::string& path, const std::string& base) {
    if (base.empty()) return false;
    if (path == base) return true;
    if (path.size() <= base.size() || path.compare(0, base.size(), base) != 0) return false;
    const char next = path[base.size()];
    return next == '.' || next == '[';
}

}  // namespace

QString reviewTimeText(const std::string& isoUtc) {
    QDateTime t = QDateTime::fromString(qs(isoUtc), Qt::ISODate);
    if (!t.isValid()) return qs(isoUtc);
    t.setTimeZone(QTimeZone::utc());
    return QLocale().toString(t.toLocalTime(), QStringLiteral("MMM d, yyyy HH:mm"));
}

FieldReviewStrip::FieldReviewStrip(const std::string& fieldPath, QWidget* parent)
    : QFrame(parent), m_path(fieldPath) {
    setObjectName(QStringLiteral("review:") + qs(fieldPath));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->setSpacing(4);

    m_changed = new QLabel(tr("Changed since the last review"), this);
    m_changed->setObjectName(QStringLiteral("changedTag"));
    m_changed->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    m_changed->hide();
    layout->addWidget(m_changed, 0, Qt::AlignLeft);

    m_list = new QWidget(this);
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->setContentsMargins(0, 0, 0, 0);
    m_listLayout->setSpacing(4);
    layout->addWidget(m_list);

    m_add = new QPushButton(tr("Add a comment"), this);
    m_add->setObjectName(QStringLiteral("commentAdd:") + qs(fieldPath));
    m_add->setFlat(true);
    m_add->setCursor(Qt::PointingHandCursor);
    m_add->setProperty("role", QStringLiteral("link"));
    m_add->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    layout->addWidget(m_add, 0, Qt::AlignLeft);

    // The box over its buttons: in a narrow cell of a row (a middle name) a box beside them
    // was squeezed to a few letters a line and pushed the page sideways.
    m_composer = new QWidget(this);
    auto* c = new QVBoxLayout(m_composer);
    c->setContentsMargins(0, 0, 0, 0);
    c->setSpacing(6);
    m_edit = new QPlainTextEdit(m_composer);
    m_edit->setObjectName(QStringLiteral("commentEdit:") + qs(fieldPath));
    m_edit->setPlaceholderText(tr("Comment for the officer on this field"));
    m_edit->setTabChangesFocus(true);
    m_edit->setFixedHeight(m_edit->fontMetrics().height() * 3 + 14);
    m_edit->setAccessibleName(tr("Comment on this field"));
    c->addWidget(m_edit);
    auto* buttons = new QVBoxLayout;
    buttons->setSpacing(4);
    m_post = new QPushButton(tr("Comment"), m_composer);
    m_post->setObjectName(QStringLiteral("commentPost:") + qs(fieldPath));
    m_post->setProperty("role", QStringLiteral("primary"));
    m_post->setEnabled(false);
    auto* cancel = new QPushButton(tr("Cancel"), m_composer);
    // One above the other: the narrowest cell still holds one button's width.
    buttons->addWidget(m_post, 0, Qt::AlignLeft);
    buttons->addWidget(cancel, 0, Qt::AlignLeft);
    c->addLayout(buttons);
    m_composer->hide();
    layout->addWidget(m_composer);

    connect(m_add, &QPushButton::clicked, this, [this] {
        setComposerOpen(true);
        m_edit->setFocus();
    });
    connect(cancel, &QPushButton::clicked, this, [this] {
        m_edit->clear();
        setComposerOpen(false);
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this,
            [this] { m_post->setEnabled(!m_edit->toPlainText().trimmed().isEmpty()); });
    connect(m_post, &QPushButton::clicked, this, [this] {
        const QString text = m_edit->toPlainText().trimmed();
        if (text.isEmpty()) return;
        Q_EMIT commentRequested(qs(m_path), text);
    });
    hide();
}

bool FieldReviewStrip::covers(const std::string& commentField) const {
    return isUnder(commentField, m_path);
}

void FieldReviewStrip::setComposerOpen(bool open) {
    m_composer->setVisible(open && m_canComment);
    m_add->setVisible(!open && m_canComment);
}

bool FieldReviewStrip::changedShown() const {
    return !m_changed->isHidden();
}

QString FieldReviewStrip::commentText() const {
    QStringList out;
    for (QLabel* l : m_list->findChildren<QLabel*>(QStringLiteral("commentText"))) out << l->text();
    return out.join(QLatin1Char('\n'));
}

void FieldReviewStrip::update(const std::vector<review::Comment>& openComments, bool changed,
                              bool canComment) {
    // A posted comment comes back in openComments: clear the box it was typed in.
    for (const review::Comment& cm : openComments) {
        if (!m_edit->toPlainText().trimmed().isEmpty() &&
            qs(cm.text) == m_edit->toPlainText().trimmed()) {
            m_edit->clear();
            m_composer->hide();
        }
    }
    QString signature;
    for (const review::Comment& cm : openComments)
        signature += qs(cm.id) + QLatin1Char('\n') + qs(cm.text) + QLatin1Char('\n');
    const bool same = signature == m_signature;
    m_signature = signature;
    while (!same && m_listLayout->count() > 0) {
        QLayoutItem* item = m_listLayout->takeAt(0);
        if (QWidget* w = item->widget()) {
            // Out of the tree now (a button of it may be emitting), deleted later.
            w->hide();
            w->setParent(nullptr);
            w->deleteLater();
        }
        delete item;
    }
    for (const review::Comment& cm : same ? std::vector<review::Comment>{} : openComments) {
        auto* card = new QFrame(m_list);
        card->setObjectName(QStringLiteral("comment:") + qs(cm.id));
        card->setProperty("role", QStringLiteral("commentCard"));
        auto* v = new QVBoxLayout(card);
        v->setContentsMargins(10, 6, 8, 4);
        v->setSpacing(2);
        auto* who = new QLabel(card);
        who->setTextFormat(Qt::RichText);
        who->setText(
            QStringLiteral("<span style=\"color:#174a7c; font-weight:600\">%1</span>"
                           " <span style=\"color:#5f6b7a\">· %2</span>")
                .arg(qs(cm.author).toHtmlEscaped(), reviewTimeText(cm.at).toHtmlEscaped()));
        who->setProperty("role", QStringLiteral("commentAuthor"));
        who->setWordWrap(true);
        auto* text = new QLabel(qs(cm.text), card);
        text->setObjectName(QStringLiteral("commentText"));
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Under the text, so that the text has the card's whole width even in narrow boxes.
        auto* resolve = new QPushButton(tr("Mark resolved"), card);
        resolve->setObjectName(QStringLiteral("commentResolve:") + qs(cm.id));
        resolve->setToolTip(tr("The comment has been dealt with"));
        resolve->setFlat(true);
        resolve->setCursor(Qt::PointingHandCursor);
        resolve->setProperty("role", QStringLiteral("smalllink"));
        resolve->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
        const QString id = qs(cm.id);
        connect(resolve, &QPushButton::clicked, this, [this, id] { Q_EMIT resolveRequested(id); });
        v->addWidget(who);
        v->addWidget(text);
        v->addWidget(resolve, 0, Qt::AlignLeft);
        m_listLayout->addWidget(card);
    }
    m_shown = static_cast<int>(openComments.size());
    m_list->setVisible(m_shown > 0);
    m_changed->setVisible(changed);
    m_canComment = canComment;
    const bool composing = !m_composer->isHidden();
    setComposerOpen(composing);
    setVisible(changed || m_shown > 0 || canComment);
}

}  // namespace lecert::desktop
