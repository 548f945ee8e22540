// SPDX-License-Identifier: MIT
#include "desktop/review_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "desktop/app_style.h"
#include "desktop/comment_widgets.h"
#include "desktop/field_box.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_controller.h"

namespace lecert::desktop {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

bool isUnder(const std::string& path, const std::string& base) {
    if (base.empty()) return false;
    if (path == base) return true;
    if (path.size() <= base.size() || path.compare(0, base.size(), base) != 0) return false;
    return path[base.size()] == '.' || path[base.size()] == '[';
}

struct StatusLook {
    QString text;
    const char* tone;  // app_style: QLabel#reviewStatus[tone=...]
};

StatusLook lookOf(ReviewStatus s) {
    switch (s) {
        case ReviewStatus::Submitted:
            return {ReviewPanel::tr("Submitted for review"), "submitted"};
        case ReviewStatus::Returned:
            return {ReviewPanel::tr("Returned to the officer"), "returned"};
        case ReviewStatus::Approved:
            return {ReviewPanel::tr("Approved"), "approved"};
        case ReviewStatus::Draft:
            break;
    }
    return {ReviewPanel::tr("Draft"), "draft"};
}

// `commentOn` names the commented field in the form's words (never the comment's id).
QString actionText(const review::Event& e, const QString& commentOn = {}) {
    const std::string& a = e.action;
    if (a == "created") return ReviewPanel::tr("Created the record");
    if (a == "edited") {
        return e.fields.empty()
                   ? ReviewPanel::tr("Edited the record")
                   : ReviewPanel::tr("Edited %1")
                         .arg(countText(static_cast<long>(e.fields.size()),
                                        ReviewPanel::tr("field"), ReviewPanel::tr("fields")));
    }
    if (a == "submitted") return ReviewPanel::tr("Submitted for review");
    if (a == "returned") return ReviewPanel::tr("Returned to the officer");
    if (a == "approved") return ReviewPanel::tr("Approved");
    if (a == "commented") {
        if (commentOn.isEmpty())
            return e.commentResolved ? ReviewPanel::tr("Resolved a comment")
                                     : ReviewPanel::tr("Commented");
        return e.commentResolved ? ReviewPanel::tr("Resolved the comment on %1").arg(commentOn)
                                 : ReviewPanel::tr("Commented on %1").arg(commentOn);
    }
    return qs(a);
}

QString dotColor(const std::string& action) {
    if (action == "submitted") return QStringLiteral("#1a5fb4");
    if (action == "returned") return QStringLiteral("#b26a00");
    if (action == "approved") return QStringLiteral("#2e7d32");
    if (action == "commented") return QStringLiteral("#6b4fa0");
    return QStringLiteral("#8a94a0");
}

// List rows that wrap to the list's width (QListView's own wrapping measures too early).
class WrapDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QStyleOptionViewItem o(option);
        initStyleOption(&o, index);
        const auto* view = qobject_cast<const QAbstractItemView*>(parent());
        const int width = std::max(80, (view ? view->viewport()->width() : o.rect.width()) - 16);
        const QRect r =
            o.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, o.text);
        return {width, r.height() + 14};
    }
};

// Sizes a list to its rows (at least two lines, at most about twelve) so the history below
// keeps the room.
void fitHeight(QListWidget* list) {
    int rows = 0;
    for (int i = 0; i < list->count(); ++i) rows += list->sizeHintForRow(i);
    const int line = list->fontMetrics().height();
    list->setFixedHeight(std::clamp(rows + 2 * list->frameWidth() + 4, line * 2 + 12, line * 12));
}

QLabel* sectionTitle(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setProperty("role", QStringLiteral("kicker"));
    l->setWordWrap(true);
    return l;
}

}  // namespace

QString ReviewPanel::fieldLabel(const RecordModel* model, const std::string& path) {
    if (!model || !model->isLoaded()) return qs(path);
    for (const FormPart& part : model->form().parts) {
        for (const FormItem& item : part.items) {
            if (!isUnder(path, item.path)) continue;
            QString label = FieldBox::displayLabel(item);
            if (path == item.path) return label;
            // A row of a group ("crime.dates[1]", "family.members[0].relationship").
            const std::string rest = path.substr(item.path.size());
            if (rest.size() > 2 && rest[0] == '[') {
                const auto close = rest.find(']');
                bool ok = false;
                const int row = qs(rest.substr(1, close - 1)).toInt(&ok);
                if (ok) label += tr(", row %1").arg(row + 1);
            }
            if (const FormItem* sub = model->form().itemForPath(path);
                sub && sub != &item && !sub->label.empty()) {
                label += QStringLiteral(": ") + qs(sub->label);
            }
            return label;
        }
    }
    return qs(path);
}

namespace {

// The last submission, return or approval, or why there is none to trust.
QString statusDetail(const std::vector<review::Event>& events, bool staleApproval) {
    if (staleApproval)
        return ReviewPanel::tr("The approval no longer matches the record; submit it again.");
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (it->action == "submitted" || it->action == "returned" || it->action == "approved") {
            return ReviewPanel::tr("%1 by %2 on %3")
                .arg(actionText(*it), qs(it->actor), reviewTimeText(it->at));
        }
    }
    return ReviewPanel::tr("Not submitted for review yet.");
}

// The timeline, newest first.
QString historyHtml(const RecordModel* model, const std::vector<review::Event>& events) {
    if (events.empty())
        return ReviewPanel::tr(
            "<p style=\"color:#5f6b7a\">No history yet: it starts when the record is first "
            "saved.</p>");
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=3 width=\"100%\">");
    std::map<std::string, std::string> commentFields;  // comment id -> field path
    for (const review::Event& e : events) {
        if (!e.commentField.empty()) commentFields[e.commentId] = e.commentField;
    }
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        QString on;
        if (const auto f = commentFields.find(it->commentId);
            !it->commentId.empty() && f != commentFields.end())
            on = ReviewPanel::fieldLabel(model, f->second);
        QString line = QStringLiteral("<b>%1</b>").arg(actionText(*it, on).toHtmlEscaped());
        QString sub = qs(it->actor).toHtmlEscaped() + QStringLiteral(" · ") +
                      reviewTimeText(it->at).toHtmlEscaped();
        QString extra;
        if (!it->note.empty())
            extra = QStringLiteral("“") + qs(it->note).toHtmlEscaped() + QStringLiteral("”");
        if (it->action == "edited" && !it->fields.empty()) {
            QStringList names;
            for (const std::string& f : it->fields)
                names << ReviewPanel::fieldLabel(model, f).toHtmlEscaped();
            if (names.size() > 4) names = names.mid(0, 4) << ReviewPanel::tr("…");
            extra = names.join(QStringLiteral("; "));
        }
        if (it->action == "commented" && !it->commentResolved && !it->commentField.empty()) {
            extra = ReviewPanel::tr("on %1").arg(
                ReviewPanel::fieldLabel(model, it->commentField).toHtmlEscaped());
        }
        html +=
            QStringLiteral(
                "<tr><td width=14 valign=top><span style=\"color:%1; "
                "font-size:13pt\">&#9679;</span></td>"
                "<td>%2<br><span style=\"color:#5f6b7a; font-size:8.5pt\">%3</span>%4</td></tr>")
                .arg(
                    dotColor(it->action), line, sub,
                    extra.isEmpty()
                        ? QString()
                        : QStringLiteral("<br><span style=\"color:#27313b\">%1</span>").arg(extra));
    }
    html += QStringLiteral("</table>");
    return html;
}

// The hash-chain check's verdict under the history (hidden while there is no history).
void showChain(QLabel* label, bool loaded, const review::VerifyResult& chain) {
    if (!loaded || chain.eventCount == 0) {
        label->setText(QString());
        label->hide();
    } else if (chain.ok) {
        label->setText(
            ReviewPanel::tr("<span style=\"color:#2e7d32\">&#10004; History intact: %1, hash "
                            "chain verified.</span>")
                .arg(countText(static_cast<long>(chain.eventCount), ReviewPanel::tr("event"),
                               ReviewPanel::tr("events"))));
        label->show();
    } else {
        QString where;
        if (chain.firstBrokenIndex >= 0)
            where = ReviewPanel::tr(" (event %1)").arg(chain.firstBrokenIndex + 1);
        label->setText(ReviewPanel::tr("<span style=\"color:#c62828\"><b>&#10006; History does "
                                       "not verify%1.</b> %2</span>")
                           .arg(where, qs(chain.message).toHtmlEscaped()));
        label->show();
    }
}

}  // namespace

ReviewPanel::ReviewPanel(ReviewController* controller, QWidget* parent)
    : QWidget(parent), m_ctl(controller) {
    setObjectName(QStringLiteral("reviewPanel"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);
    auto* body = new QWidget(scroll);
    body->setObjectName(QStringLiteral("reviewPanelBody"));
    scroll->setWidget(body);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(14, 14, 14, 12);
    layout->setSpacing(8);

    buildStatus(body, layout);
    buildActions(body, layout);
    buildLists(body, layout);
    buildHistory(body, layout);
    setMinimumWidth(fontMetrics().averageCharWidth() * 36);
    connectController();
    refresh();
}

void ReviewPanel::buildStatus(QWidget* body, QVBoxLayout* layout) {
    layout->addWidget(sectionTitle(tr("Supervisor review"), body));
    m_status = new QLabel(body);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    layout->addWidget(m_status, 0, Qt::AlignLeft);
    m_statusDetail = new QLabel(body);
    m_statusDetail->setObjectName(QStringLiteral("reviewStatusDetail"));
    m_statusDetail->setWordWrap(true);
    m_statusDetail->setProperty("role", QStringLiteral("hint"));
    layout->addWidget(m_statusDetail);

    auto* actorRow = new QHBoxLayout;
    m_actor = new QLabel(body);
    m_actor->setObjectName(QStringLiteral("reviewActor"));
    m_actor->setWordWrap(true);
    auto* change = new QPushButton(tr("Key…"), body);
    change->setObjectName(QStringLiteral("reviewChangeActor"));
    change->setToolTip(
        tr("Your signing key: who it says you are, and the line for the agency's "
           "trusted keys file"));
    change->setFlat(true);
    change->setProperty("role", QStringLiteral("link"));
    actorRow->addWidget(m_actor, 1);
    actorRow->addWidget(change);
    layout->addLayout(actorRow);
    connect(change, &QPushButton::clicked, this, [this] {
        m_ctl->showKeyInfo();
        refresh();
    });
}

void ReviewPanel::buildActions(QWidget* body, QVBoxLayout* layout) {
    m_mode = new QCheckBox(tr("Review mode (read-only)"), body);
    m_mode->setObjectName(QStringLiteral("reviewMode"));
    m_mode->setToolTip(
        tr("Read the worksheet without changing it; the comment boxes stay available."));
    layout->addWidget(m_mode);
    connect(m_mode, &QCheckBox::toggled, m_ctl, &ReviewController::setReviewMode);

    m_note = new QPlainTextEdit(body);
    m_note->setObjectName(QStringLiteral("reviewNote"));
    m_note->setPlaceholderText(tr("Note (required to return)"));
    m_note->setTabChangesFocus(true);
    m_note->setFixedHeight(m_note->fontMetrics().height() * 3 + 14);
    m_note->setAccessibleName(tr("Review note"));
    layout->addWidget(m_note);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_submit = new QPushButton(tr("Submit"), body);
    m_submit->setObjectName(QStringLiteral("reviewSubmit"));
    m_submit->setToolTip(tr("Send the record to the supervisor for review"));
    m_return = new QPushButton(tr("Return"), body);
    m_return->setObjectName(QStringLiteral("reviewReturn"));
    m_return->setToolTip(tr("Send the record back to the officer with the note and the comments"));
    m_approve = new QPushButton(tr("Approve"), body);
    m_approve->setObjectName(QStringLiteral("reviewApprove"));
    m_approve->setToolTip(tr("Approve the record (refused while it has errors)"));
    for (QPushButton* b : {m_submit, m_return, m_approve}) {
        b->setProperty("role", QStringLiteral("primary"));
        buttons->addWidget(b);
    }
    layout->addLayout(buttons);
    connect(m_submit, &QPushButton::clicked, this,
            [this] { act(static_cast<int>(ReviewAction::Submit)); });
    connect(m_return, &QPushButton::clicked, this,
            [this] { act(static_cast<int>(ReviewAction::Return)); });
    connect(m_approve, &QPushButton::clicked, this,
            [this] { act(static_cast<int>(ReviewAction::Approve)); });

    m_message = new QLabel(body);
    m_message->setObjectName(QStringLiteral("reviewMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);
}

void ReviewPanel::buildLists(QWidget* body, QVBoxLayout* layout) {
    layout->addSpacing(4);
    m_commentsTitle = sectionTitle(tr("Open comments"), body);
    layout->addWidget(m_commentsTitle);
    m_comments = new QListWidget(body);
    m_comments->setObjectName(QStringLiteral("reviewComments"));
    m_comments->setAccessibleName(tr("Open comments; activate one to go to its field"));
    for (QListWidget* list : {m_comments}) {
        list->setWordWrap(true);
        list->setResizeMode(QListView::Adjust);
        list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    }
    layout->addWidget(m_comments);

    m_changesTitle = sectionTitle(tr("Changed since the last review"), body);
    layout->addWidget(m_changesTitle);
    m_changes = new QListWidget(body);
    m_changes->setObjectName(QStringLiteral("reviewChanges"));
    m_changes->setAccessibleName(
        tr("Fields changed since the last review; activate one to go to it"));
    m_changes->setWordWrap(true);
    m_changes->setResizeMode(QListView::Adjust);
    m_changes->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_changes);

    for (QListWidget* list : {m_comments, m_changes}) {
        list->setItemDelegate(new WrapDelegate(list));
        auto jump = [this](QListWidgetItem* item) {
            if (item) m_ctl->jumpToField(item->data(kPathRole).toString());
        };
        connect(list, &QListWidget::itemActivated, this, jump);
        connect(list, &QListWidget::itemClicked, this, jump);
    }
}

void ReviewPanel::buildHistory(QWidget* body, QVBoxLayout* layout) {
    layout->addWidget(sectionTitle(tr("History"), body));
    m_chain = new QLabel(body);
    m_chain->setObjectName(QStringLiteral("reviewChain"));
    m_chain->setWordWrap(true);
    m_chain->setTextFormat(Qt::RichText);
    layout->addWidget(m_chain);
    m_history = new QTextBrowser(body);
    m_history->setObjectName(QStringLiteral("reviewHistory"));
    m_history->setAccessibleName(tr("Review history, newest first"));
    m_history->setMinimumHeight(m_history->fontMetrics().height() * 14);
    layout->addWidget(m_history, 1);
}

void ReviewPanel::connectController() {
    connect(m_ctl, &ReviewController::reviewChanged, this, &ReviewPanel::refresh);
    // The first edit of an approved record changes the badge at once, not at the next save.
    connect(m_ctl->model(), &RecordModel::valueChanged, this, [this] {
        if (m_ctl->status() == ReviewStatus::Approved) refresh();
    });
    connect(m_ctl, &ReviewController::reviewModeChanged, this, [this](bool on) {
        const QSignalBlocker block(m_mode);
        m_mode->setChecked(on);
    });
    connect(m_ctl, &ReviewController::actionRefused, this,
            [this](const QString& title, const QString& text) {
                showMessage(title + QStringLiteral(": ") + text);
            });
}

void ReviewPanel::showMessage(const QString& text) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ReviewPanel::act(int action) {
    showMessage(QString());
    const QString note = m_note->toPlainText().trimmed();
    Status st = Ok{};
    switch (static_cast<ReviewAction>(action)) {
        case ReviewAction::Submit:
            st = m_ctl->submit(note);
            break;
        case ReviewAction::Return:
            st = m_ctl->returnToOfficer(note);
            break;
        case ReviewAction::Approve:
            st = m_ctl->approve(note);
            break;
        case ReviewAction::Edit:
            break;
    }
    if (st) m_note->clear();
}

void ReviewPanel::refresh() {
    const RecordModel* model = m_ctl->model();
    const bool loaded = model && model->isLoaded();
    const review::Summary sum = loaded ? m_ctl->summary() : review::Summary{};
    // A record changed after its approval is a draft again in all but name: never say
    // "Approved" for it.
    const bool staleApproval = sum.status == ReviewStatus::Approved && !sum.approvalCurrent;
    StatusLook look = lookOf(staleApproval ? ReviewStatus::Draft : sum.status);
    if (staleApproval) look.text = tr("Draft (changed after approval)");
    m_status->setText(look.text);
    setStyleTone(m_status, look.tone);
    const std::vector<review::Event> events =
        loaded ? m_ctl->events() : std::vector<review::Event>{};
    m_statusDetail->setText(statusDetail(events, staleApproval));

    const QString actor = m_ctl->actorName();
    // Read-only: the name comes from the signing key (or the register), never typed here.
    m_actor->setText(actor.isEmpty()
                         ? tr("Acting as: <i>%1</i>").arg(m_ctl->actorSource().toHtmlEscaped())
                         : tr("Acting as: <b>%1</b> <span style='color:#555'>(%2)</span>")
                               .arg(actor.toHtmlEscaped(), m_ctl->actorSource().toHtmlEscaped()));

    m_submit->setEnabled(loaded && m_ctl->isAllowed(ReviewAction::Submit));
    m_return->setEnabled(loaded && m_ctl->isAllowed(ReviewAction::Return));
    m_approve->setEnabled(loaded && m_ctl->isAllowed(ReviewAction::Approve));
    m_submit->setText(sum.status == ReviewStatus::Returned ? tr("Resubmit") : tr("Submit"));
    {
        const QSignalBlocker block(m_mode);
        m_mode->setChecked(m_ctl->reviewMode());
    }
    m_mode->setEnabled(loaded);

    refreshLists(model, loaded);
    m_history->setHtml(historyHtml(model, events));
    showChain(m_chain, loaded, sum.chain);
}

// The open comments and the changed fields, each item leading to its field.
void ReviewPanel::refreshLists(const RecordModel* model, bool loaded) {
    m_comments->clear();
    const std::vector<review::Comment> open =
        loaded ? m_ctl->comments(true) : std::vector<review::Comment>{};
    for (const review::Comment& c : open) {
        auto* item = new QListWidgetItem(fieldLabel(model, c.field) + QLatin1Char('\n') +
                                             qs(c.text) + QStringLiteral("\n— ") + qs(c.author) +
                                             QStringLiteral(", ") + reviewTimeText(c.at),
                                         m_comments);
        item->setData(kPathRole, qs(c.field));
        item->setToolTip(tr("Go to %1").arg(qs(c.field)));
    }
    m_commentsTitle->setText(tr("Open comments (%1)").arg(open.size()));
    if (open.empty()) {
        auto* none = new QListWidgetItem(tr("No open comments"), m_comments);
        none->setFlags(Qt::NoItemFlags);
    }

    m_changes->clear();
    const std::vector<std::string> changed =
        loaded ? m_ctl->highlightedChanges() : std::vector<std::string>{};
    for (const std::string& p : changed) {
        auto* item = new QListWidgetItem(fieldLabel(model, p), m_changes);
        item->setData(kPathRole, qs(p));
        item->setToolTip(qs(p));
    }
    m_changesTitle->setText(tr("Changed since last review (%1)").arg(changed.size()));
    if (changed.empty()) {
        auto* none = new QListWidgetItem(tr("No changes to show"), m_changes);
        none->setFlags(Qt::NoItemFlags);
    }

    fitHeight(m_comments);
    fitHeight(m_changes);
    // Row heights follow the width, which is final only once the panel is laid out.
    QTimer::singleShot(0, this, [this] {
        fitHeight(m_comments);
        fitHeight(m_changes);
    });
}

}  // namespace lecert::desktop
