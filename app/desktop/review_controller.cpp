// SPDX-License-Identifier: MIT
#include "desktop/review_controller.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <algorithm>

#include "core/rules/validator.h"
#include "desktop/app_style.h"
#include "desktop/comment_widgets.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/main_window.h"
#include "desktop/password_dialog.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_panel.h"
#include "desktop/step_page.h"

namespace lecert::desktop {

namespace {

// The id of the signing key last unlocked, and its file: not secret, and it lets the panel
// show who is acting before the passphrase is asked again.
const QString kKeyIdKey = QStringLiteral("review/keyId");
const QString kKeyFileKey = QStringLiteral("review/keyFile");

void wipe(std::string& secret) {
    secret.assign(secret.size(), '\0');
    secret.clear();
}

bool isUnder(const std::string& path, const std::string& base) {
    if (base.empty()) return false;
    if (path == base) return true;
    if (path.size() <= base.size() || path.compare(0, base.size(), base) != 0) return false;
    return path[base.size()] == '.' || path[base.size()] == '[';
}

// True for a box inside another box (a cell of a group row).
bool isNested(const FieldBox* box) {
    for (QWidget* w = box->parentWidget(); w; w = w->parentWidget()) {
        if (qobject_cast<FieldBox*>(w)) return true;
    }
    return false;
}

// Amber left rule and tint on a field box whose value changed since the last review.
void setChangedHighlight(FieldBox* box, bool on) {
    if (box->property("reviewChanged").toBool() == on) return;
    box->setProperty("reviewChanged", on);
    box->setAttribute(Qt::WA_StyledBackground, on);
    repolish(box);  // app_style: FieldBox[reviewChanged="true"]
    if (QLayout* l = box->layout()) {
        QMargins m = l->contentsMargins();
        m.setLeft(on ? 12 : 0);
        m.setRight(on ? 6 : 0);
        l->setContentsMargins(m);
    }
}

// Who acts when a save records edits and nobody entered a name yet (never asks: saves must
// not block on a dialog).
QString systemUserName() {
    for (const char* var : {"USER", "LOGNAME", "USERNAME"}) {
        const QString v = qEnvironmentVariable(var).trimmed();
        if (!v.isEmpty()) return v;
    }
    return QStringLiteral("unknown user");
}

}  // namespace

ReviewController::ReviewController(RecordModel* model, QObject* parent)
    : QObject(parent), m_model(model) {
    init();
}

ReviewController::ReviewController(MainWindow* window)
    : QObject(window), m_model(window->model()), m_window(window) {
    setObjectName(QStringLiteral("reviewController"));
    init();
    m_panel = new ReviewPanel(this, nullptr);
    m_dock = new QDockWidget(tr("Review"), window);
    m_dock->setObjectName(QStringLiteral("reviewDock"));
    m_dock->setWidget(m_panel);
    m_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                        QDockWidget::DockWidgetFloatable);
    window->addDockWidget(Qt::RightDockWidgetArea, m_dock);
    m_dock->hide();
    m_dock->installEventFilter(this);  // its close button counts as the user's choice
    QMenu* menu = window->menuBar()->addMenu(tr("Re&view"));
    m_showPanel = menu->addAction(tr("Show Review &Panel"));
    m_showPanel->setObjectName(QStringLiteral("showReviewPanel"));
    m_showPanel->setCheckable(true);
    connect(m_showPanel, &QAction::toggled, this, [this](bool on) {
        m_panelChoice = on;
        updateDock();
    });
    QAction* mode = menu->addAction(tr("Review &Mode (read-only worksheet)"));
    mode->setCheckable(true);
    connect(mode, &QAction::toggled, this, &ReviewController::setReviewMode);
    connect(this, &ReviewController::reviewModeChanged, mode, [mode](bool on) {
        const QSignalBlocker block(mode);
        mode->setChecked(on);
    });
    menu->addAction(tr("Your &Signing Key…"), this, &ReviewController::showKeyInfo);
    m_saver = [window] { return window->save(); };
    connect(window, &MainWindow::aboutToSave, this, &ReviewController::beforeSave);
    connect(window, &MainWindow::saved, this, &ReviewController::markSaved);
    connect(window, &MainWindow::worksheetBuilt, this, &ReviewController::decorateWorksheet);
    connect(window, &MainWindow::worksheetVisibilityChanged, this,
            &ReviewController::setWorksheetVisible);
    connect(this, &ReviewController::reviewChanged, this, &ReviewController::decorateWorksheet);
    connect(this, &ReviewController::reviewModeChanged, this, &ReviewController::decorateWorksheet);
    connect(this, &ReviewController::reviewChanged, this, &ReviewController::updateDock);
    // The window restores its saved dock layout after this; the dock's visibility is ours.
    QTimer::singleShot(0, this, &ReviewController::updateDock);
}

bool ReviewController::hasReviewActivity() const {
    if (!m_model->isLoaded()) return false;
    const review::Summary s = summary();
    return s.status != ReviewStatus::Draft || s.openComments > 0;
}

bool ReviewController::panelWanted() const {
    return m_panelChoice.value_or(hasReviewActivity());
}

void ReviewController::updateDock() {
    if (!m_dock) return;
    const bool wanted = panelWanted();
    if (m_showPanel && m_showPanel->isChecked() != wanted) {
        const QSignalBlocker block(m_showPanel);
        m_showPanel->setChecked(wanted);
    }
    const bool visible = m_worksheetVisible && wanted;
    if (m_dock->isHidden() != visible) return;
    m_dock->setVisible(visible);
    if (visible && !m_dockSized && m_window) {
        // A first width that leaves the worksheet room; the user may drag it afterwards.
        m_window->resizeDocks({m_dock}, {m_panel->fontMetrics().averageCharWidth() * 48},
                              Qt::Horizontal);
        m_dockSized = true;
    }
    if (visible) m_panel->refresh();
}

bool ReviewController::eventFilter(QObject* watched, QEvent* event) {
    // Closing the dock with its own button: remembered like unchecking the menu entry.
    if (watched == m_dock && event->type() == QEvent::Close && m_showPanel) {
        m_panelChoice = false;
        const QSignalBlocker block(m_showPanel);
        m_showPanel->setChecked(false);
    }
    return QObject::eventFilter(watched, event);
}

ReviewController::~ReviewController() = default;

void ReviewController::init() {
    connect(m_model, &RecordModel::recordReset, this, &ReviewController::onRecordReset);
    // Unsaved edits count as changes for the highlight; refresh once typing pauses.
    auto* refresh = new QTimer(this);
    refresh->setSingleShot(true);
    refresh->setInterval(400);
    connect(refresh, &QTimer::timeout, this, [this] {
        if (m_model->isLoaded()) Q_EMIT reviewChanged();
    });
    connect(m_model, &RecordModel::valueChanged, this, [refresh](const QString& path) {
        if (path != QStringLiteral("review")) refresh->start();
    });
}

void ReviewController::onRecordReset() {
    m_saved = review::content(currentJson());
    m_lastMessage.clear();
    // A submitted record opens for reading: the reviewer should not change it by accident; an
    // approved one too, since an edit undoes the approval.
    const ReviewStatus st = m_model->isLoaded() ? status() : ReviewStatus::Draft;
    const bool mode = st == ReviewStatus::Submitted || st == ReviewStatus::Approved;
    if (mode != m_reviewMode) {
        m_reviewMode = mode;
        Q_EMIT reviewModeChanged(mode);
    }
    if (m_panel) m_panel->showMessage(QString());
    Q_EMIT reviewChanged();
}

// --- Actor -----------------------------------------------------------------------------------

QString ReviewController::keyPath() const {
    return m_keyPath.isEmpty() ? qs(review::ReviewerKey::defaultPath()) : m_keyPath;
}

void ReviewController::setKeyPath(const QString& path) {
    m_keyPath = path;
    if (m_panel) m_panel->refresh();
}

void ReviewController::setRegisterUser(const QString& user) {
    m_registerUser = user;
    if (m_panel) m_panel->refresh();
}

namespace {

// The id of the key at `path` when it was unlocked before on this computer, else "".
QString knownKeyId(const QString& path) {
    const QSettings s;
    return s.value(kKeyFileKey).toString() == path ? s.value(kKeyIdKey).toString() : QString();
}

}  // namespace

QString ReviewController::actorName() const {
    if (!m_registerUser.isEmpty()) return m_registerUser;
    const QString id = knownKeyId(keyPath());
    if (id.isEmpty()) return {};
    const review::TrustStore trust = review::TrustStore::fromEnvironment();
    if (const review::TrustedKey* k = trust.find(ss(id))) return qs(k->name);
    return systemUserName();
}

QString ReviewController::actorSource() const {
    if (!m_registerUser.isEmpty()) return tr("the register's user");
    const QString id = knownKeyId(keyPath());
    if (id.isEmpty())
        return tr(
            "your signing key, unlocked with its passphrase at your first submit, return "
            "or approval");
    const review::TrustStore trust = review::TrustStore::fromEnvironment();
    if (trust.find(ss(id))) return tr("your signing key, trusted by the agency");
    return tr("your login: your signing key (%1…) is not in the agency's trusted keys, so "
              "your approvals print as unverified")
        .arg(id.left(12));
}

std::optional<std::string> ReviewController::askPassphrase(bool creating) {
    if (m_passphrasePrompt) return m_passphrasePrompt(creating);
    QWidget* parent = m_window ? static_cast<QWidget*>(m_window.data()) : nullptr;
    PasswordDialog dialog(
        creating ? PasswordDialog::Mode::NewPassphrase : PasswordDialog::Mode::Passphrase,
        creating ? tr("Submissions, returns and approvals are signed with your own signing key. "
                      "lecert creates it now, in %1, protected by a passphrase of your choice. "
                      "Nobody can recover a forgotten passphrase.")
                       .arg(keyPath())
                 : tr("The passphrase of your signing key (%1). It signs this action and is "
                      "not kept.")
                       .arg(keyPath()),
        parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.take();
}

Result<review::ReviewerKey> ReviewController::unlockKey() {
    const QString path = keyPath();
    if (path.isEmpty()) return Error{"no folder for the signing key (set LECERT_REVIEWER_KEY)", {}};
    auto pass = askPassphrase(!QFileInfo::exists(path));
    if (!pass) return Error{"your signing key's passphrase is needed; nothing was recorded", {}};
    auto key = review::ReviewerKey::loadOrCreate(ss(path), *pass);
    wipe(*pass);
    if (!key) return Error{"cannot unlock your signing key: " + key.error().toString(), {}};
    QSettings s;
    s.setValue(kKeyFileKey, path);
    s.setValue(kKeyIdKey, qs(key->keyId()));
    if (m_panel) m_panel->refresh();
    return key;
}

void ReviewController::showKeyInfo() {
    auto key = unlockKey();
    QWidget* parent = m_window ? static_cast<QWidget*>(m_window.data()) : nullptr;
    if (!key) {
        QMessageBox::warning(parent, tr("Your signing key"), qs(key.error().toString()));
        return;
    }
    const QString name = actorName();
    QMessageBox box(QMessageBox::Information, tr("Your signing key"),
                    tr("You act as <b>%1</b> (from %2).").arg(name.toHtmlEscaped(), actorSource()),
                    QMessageBox::Ok, parent);
    box.setInformativeText(
        tr("Key file: %1\n\nTo be trusted, give your administrator this line for the "
           "agency's trusted keys file (replace the name if needed):\n\n%2")
            .arg(keyPath(), qs(review::trustedKeyLine(*key, ss(name)))));
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
    Q_EMIT reviewChanged();
}

bool ReviewController::confirm(const QString& title, const QString& text) {
    if (m_confirmer) return m_confirmer(title, text);
    QWidget* parent = m_window ? static_cast<QWidget*>(m_window.data()) : nullptr;
    return QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::No) == QMessageBox::Yes;
}

// --- State -----------------------------------------------------------------------------------

std::string ReviewController::now() const {
    return m_clock ? m_clock() : review::nowUtcIso();
}

Json ReviewController::currentJson() const {
    return m_model->isLoaded() ? m_model->savedJson() : Json::object();
}

ReviewStatus ReviewController::status() const {
    return review::status(m_model->record().json());
}

review::Summary ReviewController::summary() const {
    return review::summarize(currentJson());
}

bool ReviewController::isAllowed(ReviewAction a) const {
    return review::isAllowed(status(), a);
}

std::vector<review::Comment> ReviewController::comments(bool openOnly) const {
    return review::comments(m_model->record().json(), openOnly);
}

std::vector<review::Event> ReviewController::events() const {
    return review::events(m_model->record().json());
}

std::vector<std::string> ReviewController::changesSinceLastReview() const {
    if (!m_model->isLoaded()) return {};
    return review::changesSinceLastReview(currentJson());
}

std::vector<std::string> ReviewController::changesSinceLastSubmit() const {
    if (!m_model->isLoaded()) return {};
    const Json current = currentJson();
    const auto snap = review::lastSubmittedSnapshot(current);
    if (!snap) return {};
    return review::changedFields(*snap, review::content(current));
}

std::vector<std::string> ReviewController::highlightedChanges() const {
    // While submitted, the reviewer compares with the version they last acted on (what the
    // officer changed in answer to the comments); changes made after this submission are added.
    std::vector<std::string> out = changesSinceLastReview();
    if (status() == ReviewStatus::Submitted) {
        for (const std::string& p : changesSinceLastSubmit()) {
            if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
        }
    }
    return out;
}

// --- Actions ---------------------------------------------------------------------------------

void ReviewController::refuse(const QString& title, const Error& e) {
    const QString text = qs(e.toString());
    m_lastMessage = title + QStringLiteral(": ") + text;
    Q_EMIT actionRefused(title, text);
}

void ReviewController::writeReview(const Json& record) {
    const Json* rv = jsonAt(record, "review");
    if (!rv) return;
    m_model->applyValue("review", *rv);
    m_model->markModified();
}

Status ReviewController::run(
    const QString& title,
    const std::function<Status(Json&, const std::string&, const std::string&)>& op,
    const review::ReviewerKey* key) {
    m_lastMessage.clear();
    if (m_panel) m_panel->showMessage(QString());
    if (!m_model->isLoaded()) {
        Error e{"No record is open.", {}};
        refuse(title, e);
        return e;
    }
    QString actor = actorName();
    if (actor.isEmpty()) actor = systemUserName();  // unsigned events before any key exists
    Json j = currentJson();
    const std::string who = ss(actor);
    const std::string at = now();
    // Edits not yet in the history go in first, so the action applies to what is on screen.
    auto edited = review::recordEdited(j, who, at, review::changedFields(m_saved, j));
    if (!edited) {
        refuse(title, edited.error());
        return edited.error();
    }
    Status st = op(j, who, at);
    if (st && key) st = review::signLastEvent(j, *key);
    if (!st) {
        refuse(title, st.error());
        return st;
    }
    writeReview(j);
    m_saved = review::content(j);
    if (m_saver && !m_saver()) {
        m_lastMessage = tr("%1: recorded, but the record is not saved yet.").arg(title);
    }
    Q_EMIT reviewChanged();
    return Ok{};
}

Status ReviewController::signedRun(
    ReviewAction action, const QString& title, const QString& note,
    const std::function<Status(Json&, const std::string&, const std::string&)>& op) {
    m_lastMessage.clear();
    if (m_registerAction && m_model->isLoaded()) {
        // The register appends the event under its own authenticated user and server time.
        const Status st = m_registerAction(action, note);
        if (!st) refuse(title, st.error());
        Q_EMIT reviewChanged();
        return st;
    }
    // A refusal needs no passphrase: try the action on a copy first (a missing note, a wrong
    // state), and only then ask for the key.
    if (m_model->isLoaded()) {
        Json probe = currentJson();
        const QString who = actorName().isEmpty() ? systemUserName() : actorName();
        if (const Status st = op(probe, ss(who), now()); !st) {
            refuse(title, st.error());
            return st;
        }
    }
    auto key = unlockKey();
    if (!key) {
        refuse(title, key.error());
        return key.error();
    }
    return run(title, op, &*key);
}

Status ReviewController::submit(const QString& note) {
    const std::string n = ss(note.trimmed());
    return signedRun(ReviewAction::Submit, tr("Cannot submit"), note,
                     [&n](Json& j, const std::string& who, const std::string& at) {
                         return review::submit(j, who, n, at);
                     });
}

Status ReviewController::returnToOfficer(const QString& note) {
    const std::string n = ss(note.trimmed());
    return signedRun(ReviewAction::Return, tr("Cannot return the record"), note,
                     [&n](Json& j, const std::string& who, const std::string& at) {
                         return review::returnToOfficer(j, who, n, at);
                     });
}

QString ReviewController::lastSubmitter() const {
    const std::vector<review::Event> all = events();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->action == "submitted") return qs(it->actor);
    }
    return {};
}

Status ReviewController::approve(const QString& note) {
    const std::string n = ss(note.trimmed());
    const bool errors = hasErrors(m_model->issues());
    const QString title = tr("Cannot approve");
    m_lastMessage.clear();
    std::optional<review::ReviewerKey> key;
    if (!m_registerAction && m_model->isLoaded() && !errors && isAllowed(ReviewAction::Approve)) {
        // The key says who approves: unlock it before asking, so the question names the
        // right person (and an approval by the submitter is refused without a question).
        auto k = unlockKey();
        if (!k) {
            refuse(title, k.error());
            return k.error();
        }
        key = std::move(*k);
    }
    const QString actor = actorName();
    const QString submitter = lastSubmitter();
    if (m_model->isLoaded() && !actor.isEmpty() && !errors &&
        actor.compare(submitter, Qt::CaseInsensitive) != 0 && isAllowed(ReviewAction::Approve) &&
        !confirm(tr("Approve the record"),
                 tr("Approve this record as %1?\n\nIt was submitted by %2. Your name goes into "
                    "the review history and onto the cover summary as the approving "
                    "supervisor, signed with your key.")
                     .arg(actor, submitter.isEmpty() ? tr("nobody") : submitter))) {
        m_lastMessage = tr("Not approved.");
        return Error{"approval cancelled", {}};
    }
    auto op = [&n, errors](Json& j, const std::string& who, const std::string& at) {
        return review::approve(j, who, n, at, errors);
    };
    Status st = Ok{};
    if (m_registerAction && m_model->isLoaded()) {
        st = signedRun(ReviewAction::Approve, title, note, op);
    } else {
        st = run(title, op, key ? &*key : nullptr);
    }
    if (st && !m_reviewMode) {
        m_reviewMode = true;  // an approved record stays read-only until someone asks to edit
        Q_EMIT reviewModeChanged(true);
    }
    return st;
}

Result<std::string> ReviewController::addComment(const QString& field, const QString& text) {
    if (m_registerAction) {
        // The register keeps the history of its records and takes field comments only with a
        // return; a comment written into this copy would be replaced by the register's on save.
        Error e{"comments on a register record go in the note of Return", {}};
        refuse(tr("Cannot add the comment"), e);
        return e;
    }
    const std::string f = ss(field);
    const std::string t = ss(text.trimmed());
    std::string id;
    const Status st = run(tr("Cannot add the comment"),
                          [&](Json& j, const std::string& who, const std::string& at) -> Status {
                              auto r = review::addComment(j, f, who, t, at);
                              if (!r) return r.error();
                              id = *r;
                              return Ok{};
                          });
    if (!st) return st.error();
    return id;
}

Status ReviewController::resolveComment(const QString& id) {
    const std::string i = ss(id);
    return run(tr("Cannot resolve the comment"),
               [&i](Json& j, const std::string& who, const std::string& at) {
                   return review::resolveComment(j, i, who, at);
               });
}

// --- Saving ----------------------------------------------------------------------------------

void ReviewController::beforeSave() {
    if (!m_model->isLoaded()) return;
    Json j = currentJson();
    QString actor = actorName();
    if (actor.isEmpty()) actor = systemUserName();
    auto added = review::recordEdited(j, ss(actor), now(), review::changedFields(m_saved, j));
    if (!added) {
        // The history cannot take the event (e.g. its shape is broken): save the content anyway;
        // verifyChain() shows the problem in the panel.
        m_lastMessage = qs(added.error().toString());
        return;
    }
    if (*added || !jsonAt(m_model->record().json(), "review")) writeReview(j);
    m_saved = review::content(j);
    if (*added) Q_EMIT reviewChanged();
}

void ReviewController::markSaved() {
    m_saved = review::content(currentJson());
}

// --- Worksheet -------------------------------------------------------------------------------

void ReviewController::setReviewMode(bool on) {
    if (m_reviewMode == on) return;
    if (!on && m_model->isLoaded() && status() == ReviewStatus::Approved &&
        !confirm(tr("Edit an approved record"),
                 tr("This record is approved. Editing it returns it to draft: it must be "
                    "submitted and approved again before it is signed.\n\nEdit it?"))) {
        Q_EMIT reviewModeChanged(true);  // puts the check boxes back
        return;
    }
    m_reviewMode = on;
    Q_EMIT reviewModeChanged(on);
}

void ReviewController::setWorksheetVisible(bool visible) {
    m_worksheetVisible = visible;
    updateDock();
    if (visible) decorateWorksheet();
}

bool ReviewController::jumpToField(const QString& path) {
    if (!m_window) return false;
    return m_window->jumpToField(path);
}

void ReviewController::decorateWorksheet() {
    if (!m_window || !m_model->isLoaded()) return;
    const std::vector<review::Comment> open = comments(true);
    const std::vector<std::string> changed = highlightedChanges();
    for (int i = 0; i + 1 < m_window->stepCount(); ++i) {
        StepPage* page = m_window->stepPage(i);
        if (!page) continue;
        for (FieldBox* box : page->fieldBoxes()) {
            if (box->path().empty() || isNested(box)) continue;
            auto* strip = box->findChild<FieldReviewStrip*>(QString(), Qt::FindDirectChildrenOnly);
            if (!strip) {
                if (!box->layout()) continue;
                strip = new FieldReviewStrip(box->path(), box);
                box->layout()->addWidget(strip);
                connect(
                    strip, &FieldReviewStrip::commentRequested, this,
                    [this](const QString& field, const QString& text) { addComment(field, text); });
                connect(strip, &FieldReviewStrip::resolveRequested, this,
                        [this](const QString& id) { resolveComment(id); });
            }
            std::vector<review::Comment> mine;
            for (const review::Comment& c : open) {
                if (strip->covers(c.field)) mine.push_back(c);
            }
            const bool isChanged =
                std::any_of(changed.begin(), changed.end(),
                            [&](const std::string& p) { return isUnder(p, box->path()); });
            strip->update(mine, isChanged, m_reviewMode);
            setChangedHighlight(box, isChanged);
            if (box->editor()) box->editor()->setEnabled(!m_reviewMode);
        }
    }
}

}  // namespace lecert::desktop
