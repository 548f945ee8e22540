// SPDX-License-Identifier: MIT
#include "desktop/register_view.h"

#include <QButtonGroup>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/model/form_catalog.h"
#include "core/review/review.h"
#include "desktop/app_style.h"
#include "desktop/main_window.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_controller.h"

namespace lecert::desktop {

namespace {

const QString kLocationKey = QStringLiteral("register/location");
const QString kUserKey = QStringLiteral("register/user");

struct QueueEntry {
    RegisterQueue queue;
    const char* label;
};
// The queues in the order an officer's day runs.
const QueueEntry kQueues[] = {
    {RegisterQueue::MyDrafts, QT_TRANSLATE_NOOP("RegisterView", "My drafts")},
    {RegisterQueue::ReturnedToMe, QT_TRANSLATE_NOOP("RegisterView", "Returned to me")},
    {RegisterQueue::WaitingForMyReview, QT_TRANSLATE_NOOP("RegisterView", "Waiting for my review")},
    {RegisterQueue::Approved, QT_TRANSLATE_NOOP("RegisterView", "Approved")},
    {RegisterQueue::Expiring, QT_TRANSLATE_NOOP("RegisterView", "Deadline soon")},
    {RegisterQueue::Overdue, QT_TRANSLATE_NOOP("RegisterView", "Overdue requests")},
    {RegisterQueue::All, QT_TRANSLATE_NOOP("RegisterView", "All requests")},
};

bool isServer(const QString& location) {
    return location.startsWith(QStringLiteral("postgresql://")) ||
           location.startsWith(QStringLiteral("postgres://"));
}

// "12 days left", "due today", "3 days overdue", or the outcome once answered.
QString daysLeftText(const RequestSummary& r) {
    if (r.outcome != "pending" && !r.outcome.empty()) {
        QString t = qs(r.outcome);
        if (r.outcomeDate) t += QLatin1Char(' ') + qs(r.outcomeDate->us());
        return t;
    }
    if (r.daysLeft == 0) return RegisterView::tr("due today");
    if (r.daysLeft > 0)
        return countText(r.daysLeft, RegisterView::tr("day left"), RegisterView::tr("days left"));
    return countText(-r.daysLeft, RegisterView::tr("day overdue"),
                     RegisterView::tr("days overdue"));
}

}  // namespace

RegisterView::RegisterView(MainWindow* window) : QWidget(window), m_window(window) {
    setObjectName(QStringLiteral("registerView"));
    m_review = window->findChild<ReviewController*>();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildSettings());
    m_pages->addWidget(buildQueues());
    layout->addWidget(m_pages);
    // In a scroll area, like the start screen: the tab must never make the window wider than
    // a small screen.
    auto* scroll = new QScrollArea(window);
    scroll->setObjectName(QStringLiteral("registerScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(this);
    window->addStartTab(scroll, tr("&Register"));

    // Another record replacing the register's one: its review goes back to the file rules.
    auto forget = [this] {
        m_openId = 0;
        m_openVersion = 0;
        if (m_review) {
            m_review->setRegisterAction({});
            m_review->setRegisterUser(QString());  // a file's actions are signed by the key
        }
    };
    connect(window->model(), &RecordModel::recordReset, this, forget);
    connect(window, &MainWindow::worksheetVisibilityChanged, this, [this, forget](bool visible) {
        if (visible) return;
        forget();
        if (m_register) refresh();  // back at the queues: what changed shows
    });

    const QSettings s;
    const QString location = s.value(kLocationKey).toString();
    m_location->setText(location);
    m_user->setText(s.value(kUserKey).toString());
    m_server->setChecked(isServer(location));
    if (!location.isEmpty()) {
        const Status st = connectTo(location, m_user->text());
        if (!st) setMessage(qs(st.error().toString()), true);
    }
}

RegisterView::~RegisterView() = default;

QWidget* RegisterView::buildSettings() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* title = new QLabel(tr("Certification register"), page);
    title->setProperty("role", QStringLiteral("section"));
    layout->addWidget(title);
    auto* intro = new QLabel(
        tr("An agency register keeps every request, its deadline, each version of its record "
           "and the review queue. Without one, lecert works with record files as before (the "
           "Files tab). Ask your administrator which register to use."),
        page);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_sqlite = new QRadioButton(tr("A register &file on this computer or a shared drive "
                                   "(SQLite)"),
                                page);
    m_server = new QRadioButton(tr("The agency's register &server (PostgreSQL)"), page);
    m_sqlite->setChecked(true);
    auto* kinds = new QButtonGroup(page);
    kinds->addButton(m_sqlite);
    kinds->addButton(m_server);
    layout->addWidget(m_sqlite);
    layout->addWidget(m_server);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto* where = new QHBoxLayout;
    m_location = new QLineEdit(page);
    m_location->setObjectName(QStringLiteral("registerLocation"));
    m_location->setPlaceholderText(tr("/srv/lecert/register.db or postgresql://host/lecert"));
    auto* browse = new QPushButton(tr("&Browse…"), page);
    where->addWidget(m_location, 1);
    where->addWidget(browse);
    form->addRow(tr("&Location:"), where);
    m_user = new QLineEdit(page);
    m_user->setObjectName(QStringLiteral("registerUser"));
    m_user->setPlaceholderText(tr("your user name in the register (file registers only)"));
    form->addRow(tr("&User:"), m_user);
    layout->addLayout(form);
    m_connect = new QPushButton(tr("&Connect"), page);
    m_connect->setObjectName(QStringLiteral("registerConnect"));
    m_connect->setDefault(true);
    layout->addWidget(m_connect, 0, Qt::AlignLeft);
    m_settingsMessage = new QLabel(page);
    m_settingsMessage->setObjectName(QStringLiteral("registerSettingsMessage"));
    m_settingsMessage->setWordWrap(true);
    layout->addWidget(m_settingsMessage);
    layout->addStretch(1);
    connect(m_server, &QRadioButton::toggled, m_user, [this](bool server) {
        // A server knows who connects (the database login); the name is for file registers.
        m_user->setEnabled(!server);
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(
            this, tr("Register file"), m_location->text(), tr("Register (*.db *.sqlite);;All (*)"));
        if (!f.isEmpty()) {
            m_location->setText(f);
            m_sqlite->setChecked(true);
        }
    });
    connect(m_connect, &QPushButton::clicked, this, [this] {
        const Status st = connectTo(m_location->text().trimmed(), m_user->text().trimmed());
        if (!st) setMessage(qs(st.error().toString()), true);
    });
    return page;
}

QWidget* RegisterView::buildQueues() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_connection = new QLabel(page);
    m_connection->setObjectName(QStringLiteral("registerConnection"));
    m_connection->setWordWrap(true);
    auto* settings = new QPushButton(tr("Register &Settings…"), page);
    settings->setObjectName(QStringLiteral("registerSettings"));
    top->addWidget(m_connection, 1);
    top->addWidget(settings);
    layout->addLayout(top);
    m_search = new QLineEdit(page);
    m_search->setObjectName(QStringLiteral("registerSearch"));
    m_search->setPlaceholderText(tr("Search: victim's name, case number or requester — Enter"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    auto* split = new QSplitter(Qt::Horizontal, page);
    m_queues = new QListWidget(split);
    m_queues->setObjectName(QStringLiteral("registerQueues"));
    for (const QueueEntry& q : kQueues) {
        auto* item = new QListWidgetItem(tr(q.label), m_queues);
        item->setData(Qt::UserRole, static_cast<int>(q.queue));
    }
    m_queues->setMinimumWidth(fontMetrics().averageCharWidth() * 28);
    m_list = new QTreeWidget(split);
    m_list->setObjectName(QStringLiteral("registerRequests"));
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("Request"), tr("Case number"), tr("Form"), tr("Requester"),
                             tr("Status"), tr("Officer"), tr("Received"), tr("Deadline"),
                             tr("Days left")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(m_queues);
    split->addWidget(m_list);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    auto* bottom = new QHBoxLayout;
    m_message = new QLabel(page);
    m_message->setObjectName(QStringLiteral("registerMessage"));
    m_message->setWordWrap(true);
    auto* open = new QPushButton(tr("&Open Request"), page);
    open->setObjectName(QStringLiteral("registerOpen"));
    bottom->addWidget(m_message, 1);
    bottom->addWidget(open);
    layout->addLayout(bottom);

    connect(settings, &QPushButton::clicked, this, [this] { m_pages->setCurrentIndex(0); });
    connect(m_queues, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            showQueue(static_cast<RegisterQueue>(m_queues->item(row)->data(Qt::UserRole).toInt()));
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { search(m_search->text()); });
    auto openCurrent = [this] {
        if (QTreeWidgetItem* it = m_list->currentItem())
            openRequest(it->data(0, Qt::UserRole).toLongLong());
    };
    connect(open, &QPushButton::clicked, this, openCurrent);
    connect(m_list, &QTreeWidget::itemActivated, this, openCurrent);
    return page;
}

Date RegisterView::today() const {
    return m_today.value_or(Date::today());
}

void RegisterView::setMessage(const QString& text, bool error) {
    QLabel* label = m_pages->currentIndex() == 0 ? m_settingsMessage : m_message;
    label->setText(text);
    setStyleTone(label, error ? "error" : "ok");
}

QString RegisterView::lastMessage() const {
    return m_pages->currentIndex() == 0 ? m_settingsMessage->text() : m_message->text();
}

Status RegisterView::connectTo(const QString& location, const QString& user) {
    if (location.isEmpty()) return Error{"enter the register's file or server address", {}};
    auto opened = Register::open(ss(location), RegisterOptions{ss(user)});
    if (!opened) return opened.error();
    // A wrong user name or an old schema shows now, not at the first queue.
    if (auto users = (*opened)->users(); !users) return users.error();
    m_register = std::move(*opened);
    QSettings s;
    s.setValue(kLocationKey, location);
    s.setValue(kUserKey, user);
    m_connection->setText(tr("Register <b>%1</b> (%2) — signed in as <b>%3</b>")
                              .arg(location.toHtmlEscaped(), qs(m_register->backend()),
                                   qs(m_register->user()).toHtmlEscaped()));
    m_settingsMessage->clear();
    m_pages->setCurrentIndex(1);
    m_queues->setCurrentRow(0);
    refresh();
    return Ok{};
}

void RegisterView::disconnectRegister() {
    m_register.reset();
    m_pages->setCurrentIndex(0);
}

void RegisterView::refresh() {
    if (!m_register) return;
    updateQueueCounts();
    if (!m_search->text().trimmed().isEmpty() && m_queues->currentRow() < 0) {
        search(m_search->text());
    } else {
        showQueue(m_queue);
    }
}

void RegisterView::updateQueueCounts() {
    for (int i = 0; i < m_queues->count(); ++i) {
        QListWidgetItem* item = m_queues->item(i);
        const auto q = static_cast<RegisterQueue>(item->data(Qt::UserRole).toInt());
        auto rows = m_register->queue(q, today());
        QString text = tr(kQueues[i].label);
        if (rows) text += QStringLiteral("  (%1)").arg(rows->size());
        item->setText(text);
    }
}

void RegisterView::showQueue(RegisterQueue queue) {
    if (!m_register) return;
    m_queue = queue;
    showRows(m_register->queue(queue, today()));
}

void RegisterView::search(const QString& text) {
    if (!m_register) return;
    if (text.trimmed().isEmpty()) {
        showQueue(m_queue);
        return;
    }
    {
        const QSignalBlocker block(m_queues);
        m_queues->setCurrentRow(-1);
    }
    showRows(m_register->search(ss(text.trimmed()), today()));
}

void RegisterView::showRows(const Result<std::vector<RequestSummary>>& rows) {
    m_list->clear();
    if (!rows) {
        setMessage(qs(rows.error().toString()), true);
        return;
    }
    for (const RequestSummary& r : *rows) {
        auto* item = new QTreeWidgetItem(m_list);
        const auto form = formFromString(r.form);
        const auto info = form ? formInfo(*form) : std::nullopt;
        item->setText(0, QStringLiteral("#%1").arg(r.id));
        item->setData(0, Qt::UserRole, static_cast<qlonglong>(r.id));
        item->setText(1, qs(r.caseNumber));
        item->setText(2, info ? qs(info->shortName) : qs(r.form));
        item->setText(3, qs(r.requesterKind));
        item->setText(4, r.version == 0 ? tr("no record yet") : qs(r.status));
        item->setText(5, qs(r.owner));
        item->setText(6, qs(r.received.us()));
        item->setText(7,
                      qs(r.deadline.us()) + (r.removalProceedings ? tr(" (removal)") : QString()));
        item->setText(8, daysLeftText(r));
        if (r.daysLeft < 0 && (r.outcome.empty() || r.outcome == "pending"))
            item->setForeground(8, QColor(0xc6, 0x28, 0x28));
    }
    setMessage(rows->empty()
                   ? tr("No requests here.")
                   : countText(static_cast<long>(rows->size()), tr("request"), tr("requests")),
               false);
}

bool RegisterView::openRequest(std::int64_t id) {
    if (!m_register || !m_window) return false;
    auto summary = m_register->request(id, today());
    if (!summary) {
        setMessage(qs(summary.error().toString()), true);
        return false;
    }
    MainWindow::ExternalRecord ext;
    int version = 0;
    if (summary->version > 0) {
        auto stored = m_register->record(id);
        if (!stored) {
            setMessage(qs(stored.error().toString()), true);
            return false;
        }
        ext.record = std::move(stored->record);
        version = stored->version;
    } else {
        // A request without a record yet: a new worksheet of its form, its case number filled.
        const auto form = formFromString(summary->form);
        if (!form) {
            setMessage(tr("Request #%1 names no form lecert knows.").arg(id), true);
            return false;
        }
        ext.record = RecordModel::newRecordJson(*form);
        if (!summary->caseNumber.empty()) ext.record["agency"]["case_number"] = summary->caseNumber;
    }
    ext.title = tr("Request #%1").arg(id);
    ext.save = [this](const Json& record) { return saveOpen(record); };
    if (!m_window->openExternal(std::move(ext))) return false;
    // After openExternal: its model reset cleared the previous request's state.
    m_openId = id;
    m_openVersion = version;
    if (m_review) {
        // A register record: the register's user acts, and the register records the events.
        m_review->setRegisterUser(qs(m_register->user()));
        m_review->setRegisterAction(
            [this](ReviewAction a, const QString& note) { return act(a, note); });
    }
    return true;
}

Status RegisterView::saveOpen(const Json& record) {
    if (!m_register || m_openId == 0) return Error{"the register is not connected", {}};
    auto version = m_register->saveRecord(m_openId, record, m_openVersion);
    if (!version) {
        if (isVersionConflict(version.error()))
            return Error{tr("Someone else saved request #%1 while you were editing it (you "
                            "started from version %2). Nothing is lost: the register keeps "
                            "both versions, yours as a conflict copy beside theirs, and your "
                            "version stays here in the worksheet. Ask a supervisor to compare "
                            "them, or reopen the request to continue from theirs.")
                             .arg(m_openId)
                             .arg(m_openVersion)
                             .toStdString(),
                         {}};
        return version.error();
    }
    auto stored = m_register->record(m_openId);
    if (!stored) return stored.error();
    adoptStored(*stored);
    return Ok{};
}

void RegisterView::adoptStored(const StoredRecord& stored) {
    m_openVersion = stored.version;
    // The register keeps the review history (its events, its user, its time): show that one.
    if (const Json* rv = jsonAt(stored.record, "review"))
        m_window->model()->applyValue("review", *rv);
    if (m_review) m_review->markSaved();
}

Status RegisterView::act(ReviewAction action, const QString& note) {
    if (!m_register || m_openId == 0) return Error{"the register is not connected", {}};
    // The action applies to what is on screen: save pending edits first.
    if (m_window->model()->isModified() && !m_window->save())
        return Error{"the record could not be saved first; nothing was recorded", {}};
    const std::string n = ss(note.trimmed());
    Status st = Ok{};
    switch (action) {
        case ReviewAction::Submit:
            st = m_register->submit(m_openId, n);
            break;
        case ReviewAction::Return:
            st = m_register->returnToOfficer(m_openId, n, {});
            break;
        case ReviewAction::Approve:
            st = m_register->approve(m_openId, n);
            break;
        case ReviewAction::Edit:
            return Error{"not a register action", {}};
    }
    if (!st) return st;
    auto stored = m_register->record(m_openId);
    if (!stored) return stored.error();
    adoptStored(*stored);
    m_window->model()->setClean();
    return Ok{};
}

}  // namespace lecert::desktop
