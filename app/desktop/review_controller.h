// SPDX-License-Identifier: MIT
#pragma once
// ReviewController: the desktop side of core/review.h. It knows who is acting (a user setting,
// asked for on first use), runs Submit / Return / Approve and the field comments on the record
// in the RecordModel, records the officer's edits in the history before every save, and saves
// after every review action. Attached to a MainWindow it also owns the review panel (a dock) and
// decorates the worksheet: read-only review mode, comments beside their fields, changed fields
// highlighted. Prompts go through virtual functions / settable callbacks so that tests answer.

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

class QAction;
class QDockWidget;

namespace lecert::desktop {

class MainWindow;
class RecordModel;
class ReviewPanel;

class ReviewController : public QObject {
    Q_OBJECT
public:
    // Without a window: logic only (no panel, no worksheet decoration).
    ReviewController(RecordModel* model, QObject* parent);
    // Attached to `window` (its parent): adds the review panel dock and decorates the worksheet.
    explicit ReviewController(MainWindow* window);
    ~ReviewController() override;

    RecordModel* model() const { return m_model; }
    ReviewPanel* panel() const { return m_panel; }
    QDockWidget* dock() const { return m_dock; }
    // Review ▸ Show Review Panel (checkable). Unless the user chose otherwise in this session,
    // the panel shows with the worksheet only when the record has review activity.
    QAction* showPanelAction() const { return m_showPanel; }
    // Status submitted, returned or approved, or open comments (false without a record).
    bool hasReviewActivity() const;

    // --- Who is acting ---------------------------------------------------------------------------
    // Not a typed name: the register's user when a register is open, else the name the
    // agency's trusted keys file ($LECERT_TRUSTED_KEYS) gives the reviewer's signing key, else
    // the login name (an untrusted key: its approvals print as unverified). "" while the key
    // was never unlocked on this computer (the first submit/return/approval unlocks it).
    QString actorName() const;
    // One line for the panel: where the name comes from and whether the key is trusted.
    QString actorSource() const;
    // The register's user (set by the register view); "" = no register.
    void setRegisterUser(const QString& user);
    // The signing key file: $LECERT_REVIEWER_KEY, else ~/.config/lecert/reviewer-key.pem.
    QString keyPath() const;
    void setKeyPath(const QString& path);  // tests; "" = the default
    // Unlocks (or, the first time, creates) the signing key, asking for its passphrase.
    Result<review::ReviewerKey> unlockKey();
    // Replaces the passphrase dialog (tests): (creating) -> passphrase, nullopt = cancelled.
    void setPassphrasePrompt(std::function<std::optional<std::string>(bool)> prompt) {
        m_passphrasePrompt = std::move(prompt);
    }
    // Review ▸ Your Signing Key…: unlocks the key and shows who it says you are and the line
    // for the agency's trusted keys file.
    void showKeyInfo();
    // Register mode: submit / return / approve go to the register (which appends and anchors
    // the events under its authenticated user) instead of the file's history.
    using RegisterAction = std::function<Status(ReviewAction, const QString& note)>;
    void setRegisterAction(RegisterAction action) { m_registerAction = std::move(action); }
    // Replaces the yes/no question of confirm() (tests): (title, text) -> answer.
    void setConfirmer(std::function<bool(const QString&, const QString&)> confirmer) {
        m_confirmer = std::move(confirmer);
    }
    // How a review action writes the file (normally MainWindow::save); none = not saved.
    void setSaver(std::function<bool()> saver) { m_saver = std::move(saver); }
    // Fixed clock for tests ("YYYY-MM-DDTHH:MM:SSZ"); empty = the system clock.
    void setClock(std::function<std::string()> clock) { m_clock = std::move(clock); }

    // --- State --------------------------------------------------------------------------------
    ReviewStatus status() const;
    review::Summary summary() const;
    bool isAllowed(ReviewAction a) const;
    std::vector<review::Comment> comments(bool openOnly) const;
    std::vector<review::Event> events() const;
    // Field paths changed since the version the reviewer last acted on (normalised record).
    std::vector<std::string> changesSinceLastReview() const;
    // Field paths changed since the last submission (what a reviewer of a submitted record sees).
    std::vector<std::string> changesSinceLastSubmit() const;
    // Paths to highlight in the worksheet: since the last submit while submitted, else since the
    // last review.
    std::vector<std::string> highlightedChanges() const;
    // The message of the last refused or failed action ("" after a success).
    QString lastMessage() const { return m_lastMessage; }

    // --- Actions (each records pending edits first, then saves through the saver) --------------
    Status submit(const QString& note);
    Status returnToOfficer(const QString& note);
    // Passes the validator's verdict on the current record; refused while it has errors or
    // when the acting user submitted it. Asks for an explicit confirmation first.
    Status approve(const QString& note);
    // Who submitted the version under review ("" when never submitted).
    QString lastSubmitter() const;
    Result<std::string> addComment(const QString& field, const QString& text);
    Status resolveComment(const QString& id);

    // --- Saving hooks (called by MainWindow) --------------------------------------------------
    // Before writing: appends an `edited` event for the fields changed since the last save.
    void beforeSave();
    // After a successful save (and on load): the new "last saved" version for the diff.
    void markSaved();

    // --- Read-only review mode ----------------------------------------------------------------
    bool reviewMode() const { return m_reviewMode; }
    // Leaving review mode on an approved record asks first: an edit returns it to draft.
    void setReviewMode(bool on);

    // Re-applies comments, highlights and read-only state to the worksheet's field boxes
    // (after the worksheet was built or rows were added). No-op without a window.
    void decorateWorksheet();
    // Shows/hides the panel with the worksheet (MainWindow calls it), as the user chose or,
    // without a choice, as the record's review activity asks.
    void setWorksheetVisible(bool visible);
    // Jumps to the field of a comment or change in the worksheet.
    bool jumpToField(const QString& path);

Q_SIGNALS:
    // Status, comments or history changed (also after loading another record).
    void reviewChanged();
    void reviewModeChanged(bool on);
    // An action was refused or failed (title, message); the panel shows it.
    void actionRefused(const QString& title, const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    // The signing key's passphrase (never stored). Default: the prompt callback, else a dialog.
    virtual std::optional<std::string> askPassphrase(bool creating);
    // A yes/no question. Default: the confirmer callback, else a message box (default No).
    virtual bool confirm(const QString& title, const QString& text);

private:
    void init();
    std::string now() const;
    Json currentJson() const;
    // Runs `op` on a normalised copy (after recording pending edits); on success writes the
    // review back into the model and saves. `title` heads the refusal message.
    // With `key`, the action's event is signed with it (submit, return, approve).
    Status run(const QString& title,
               const std::function<Status(Json&, const std::string&, const std::string&)>& op,
               const review::ReviewerKey* key = nullptr);
    // Unlocks the key, then run()s `op` signed; in register mode the register acts instead.
    Status signedRun(
        ReviewAction action, const QString& title, const QString& note,
        const std::function<Status(Json&, const std::string&, const std::string&)>& op);
    void writeReview(const Json& record);
    void refuse(const QString& title, const Error& e);
    void onRecordReset();
    bool panelWanted() const;
    // Shows or hides the dock (and syncs the menu entry) from panelWanted() and the worksheet.
    void updateDock();

    RecordModel* m_model;
    QPointer<MainWindow> m_window;
    ReviewPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
    std::function<std::optional<std::string>(bool)> m_passphrasePrompt;
    RegisterAction m_registerAction;
    QString m_registerUser;
    QString m_keyPath;
    std::function<bool(const QString&, const QString&)> m_confirmer;
    std::function<bool()> m_saver;
    std::function<std::string()> m_clock;
    Json m_saved;  // content of the record as last loaded/saved (normalised, without review)
    bool m_reviewMode = false;
    bool m_worksheetVisible = false;
    bool m_dockSized = false;
    QAction* m_showPanel = nullptr;
    std::optional<bool> m_panelChoice;  // the user's explicit show/hide, kept for the session
    QString m_lastMessage;
};

}  // namespace lecert::desktop
