// SPDX-License-Identifier: MIT
#pragma once
// MainWindow: start screen, then the worksheet: the list of steps (one per Part of the form
// definition, then Review), the current step's page, and the help panel. It owns the
// RecordModel and asks, shows and navigates; its DraftSession does the file work (drafts, the
// crash-recovery copy, the PDFs).
// Prompts are virtual so that tests can answer them.

#include <QMainWindow>
#include <QMessageBox>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/model/record.h"
#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"
#include "desktop/document_renderer.h"
#include "desktop/drafts.h"

class QLabel;
class QMenu;
class QListWidget;
class QPushButton;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace lecert::desktop {

class DraftSession;
class HelpPanel;
class PreviewPage;
class RecordModel;
class ReviewPage;
class StartPage;
class StepPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts a new, empty worksheet (asking about unsaved work first). False when cancelled.
    bool newDraft(FormId form);
    // Opens a record file; shows what is wrong when it cannot. False on failure or cancel.
    bool openFile(const QString& path);
    // A record kept elsewhere than in a file (the register): shown as `title`, written by
    // `save` (given the normalised record; its error is shown, e.g. a version conflict).
    struct ExternalRecord {
        Json record;
        QString title;
        std::function<Status(const Json& normalised)> save;
    };
    bool openExternal(ExternalRecord external);
    // True while the worksheet shows an external record.
    bool showsExternal() const { return static_cast<bool>(m_external.save); }
    // Adds a page beside the start screen (the register view) as a tab.
    void addStartTab(QWidget* page, const QString& title);
    QTabWidget* startTabs() const { return m_startTabs; }
    bool save();
    bool saveAs();
    bool saveToPath(const QString& path);
    // Back to the start screen (asking about unsaved work first).
    bool closeDraft();
    // Offers the work of a session that crashed; true when a draft was recovered.
    bool offerRecovery();

    int stepCount() const;  // parts + review
    int currentStep() const;
    void goToStep(int index);
    // Goes to an item by its printed number ("2.4.a" = Part 2, Item 4.a; "4.a") or words of its
    // label, when it applies; false when none matches.
    bool goToItem(const QString& query);
    // The recovery dialog's question: which case (form, case number, draft file) and when.
    static QString recoveryQuestion(const RecoveryFile::Orphan& orphan);
    // Puts the cursor in the first field of the current step that can take it (after Next and
    // Ctrl+PgDn, so that the officer types on without reaching for the mouse).
    void focusFirstField();
    // Shows the step holding `path` and puts the cursor in its field. False when no field shows it.
    bool jumpToField(const QString& path);
    // Asks for the official PDF (starting in the folder last used, else LECERT_OFFICIAL_DIR),
    // the output file and whether to encrypt, then exports through DraftSession::exportPdfs.
    void exportOfficial();
    // Renders the PDFs and shows them (draft watermark when the record has errors).
    bool showPreview();
    // Writes the form PDF to `formPath` and the cover to "<stem>-cover.pdf" beside it; with a
    // password both are encrypted (the password is wiped afterwards, whatever the outcome).
    bool exportPdfs(const QString& formPath, std::string password = {});
    // Fills the official USCIS PDF at `officialPath` (the record's edition) into `outPath`
    // (and the cover beside it) through core's OfficialRenderer, as `lecert fill --official`
    // does. The worksheet must have no errors.
    bool exportOfficialPdf(const QString& officialPath, const QString& outPath,
                           std::string password = {});

    RecordModel* model() const { return m_model; }
    StartPage* startPage() const { return m_start; }
    StepPage* stepPage(int index) const;
    ReviewPage* reviewPage() const { return m_review; }
    PreviewPage* previewPage() const { return m_preview; }
    HelpPanel* helpPanel() const { return m_help; }
    QListWidget* stepList() const { return m_stepList; }
    bool worksheetShown() const;
    QString saveStateText() const;
    QString issueCountText() const;

    void setAutosaveDelay(int ms) { m_autosave.setInterval(ms); }
    RecoveryFile* recoveryFile() const;
    void setRenderer(std::unique_ptr<DocumentRenderer> renderer);
    void setToday(std::optional<Date> today);

Q_SIGNALS:
    // Hooks for add-ons such as the review controller (they never need to edit this class).
    // Emitted just before the record is written (a last chance to change it) and after.
    void aboutToSave();
    void saved(const QString& path);
    // The step pages were (re)built from the form definition, e.g. to decorate field boxes.
    void worksheetBuilt();
    // The worksheet was shown (true) or the start screen came back (false).
    void worksheetVisibilityChanged(bool visible);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

    void closeEvent(QCloseEvent* event) override;
    bool focusNextPrevChild(bool next) override;

    // Prompts; tests override them.
    virtual QMessageBox::StandardButton askToSaveChanges();
    enum class RecoveryChoice { Recover, Discard, Later };
    virtual RecoveryChoice askToRecover(const RecoveryFile::Orphan& orphan);
    virtual QString askSavePath(const QString& suggestion);
    virtual QString askOpenPath();
    virtual QString askExportPath(const QString& suggestion);
    // Whether to encrypt the exported PDFs: nullopt = cancelled, "" = no password, else the
    // password (UTF-8, checked by PasswordDialog's rules).
    virtual std::optional<std::string> askExportPassword();
    virtual void showErrorMessage(const QString& title, const QString& text);

private:
    // The worksheet's frame: step list | step pages + navigation bar | help panel.
    void buildWorksheetFrame();
    void connectSignals();
    void createActions();
    void createHelpMenu();
    void fillRecentMenu();
    void showUserGuide();
    void printPreview();
    void buildWorksheet();
    void clearWorksheet();
    void showWorksheet();
    void updateStepStates();
    void updateStatus();
    void updateTitle();
    void updateNavigation();
    QList<QWidget*> tabChain() const;
    void updateHelpForFocus();
    bool runExport(const QString& formPath, const QString& officialPath, std::string password);
    void autosaveNow();
    bool maybeSave();
    void readSettings();
    void writeSettings();

    RecordModel* m_model;
    std::unique_ptr<DraftSession> m_session;  // files, recovery copy, PDFs
    std::optional<Date> m_today;
    QTimer m_autosave;

    QStackedWidget* m_pages = nullptr;  // start screen / worksheet
    QTabWidget* m_startTabs = nullptr;  // the start screen's "Files" tab, then e.g. "Register"
    QScrollArea* m_startScroll = nullptr;
    ExternalRecord m_external;
    StartPage* m_start = nullptr;
    QSplitter* m_splitter = nullptr;
    QListWidget* m_stepList = nullptr;
    QStackedWidget* m_steps = nullptr;  // step pages, review, preview
    QList<StepPage*> m_stepPages;
    ReviewPage* m_review = nullptr;
    PreviewPage* m_preview = nullptr;
    HelpPanel* m_help = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
    QLabel* m_saveLabel = nullptr;
    QLabel* m_issueLabel = nullptr;
    QList<QAction*> m_documentActions;
    QMenu* m_recentMenu = nullptr;
};

}  // namespace lecert::desktop
