// SPDX-License-Identifier: MIT
#include "desktop/main_window.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTime>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include "core/jobs/fill_job.h"
#include "core/model/form_catalog.h"
#include "core/model/form_definition.h"
#include "core/rules/validator.h"
#include "core/util/data_dir.h"
#include "desktop/app_style.h"
#include "desktop/draft_session.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/help_panel.h"
#include "desktop/icons.h"
#include "desktop/password_dialog.h"
#include "desktop/preview_page.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/register_view.h"
#include "desktop/review_controller.h"
#include "desktop/review_page.h"
#include "desktop/start_page.h"
#include "desktop/step_page.h"

namespace lecert::desktop {

namespace {

constexpr int kSubtitleRole = Qt::UserRole + 1;
constexpr int kAutosaveMs = 3000;

// Two lines per step: the step name and its state ("Part 1 · 2 errors").
class StepDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override {
        const QFontMetrics fm(option.font);
        return {option.rect.width(), fm.height() * 2 + fm.height() + 6};
    }

    void paint(QPainter* p, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        p->save();
        const bool selected = option.state & QStyle::State_Selected;
        const QRect r = option.rect;
        if (selected) {
            p->fillRect(r, QColor(0xdc, 0xe8, 0xf7));
            p->fillRect(QRect(r.left(), r.top(), 4, r.height()), accentColor());
        } else if (option.state & QStyle::State_MouseOver) {
            p->fillRect(r, QColor(0xe4, 0xea, 0xf1));
        }
        const QFontMetrics fm(option.font);
        const int iconSize = fm.height() + 4;
        const int left = r.left() + 14;
        const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
        icon.paint(p, QRect(left, r.center().y() - iconSize / 2, iconSize, iconSize));
        const int textLeft = left + iconSize + 10;
        const QRect textRect(textLeft, r.top() + 4, r.right() - textLeft - 8, r.height() - 8);
        QFont bold = option.font;
        bold.setWeight(selected ? QFont::DemiBold : QFont::Medium);
        p->setFont(bold);
        p->setPen(QColor(0x1f, 0x29, 0x33));
        const QString title =
            fm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, textRect.width());
        p->drawText(QRect(textRect.left(), textRect.top() + 2, textRect.width(), fm.height() + 2),
                    Qt::AlignLeft | Qt::AlignVCenter, title);
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.88);
        p->setFont(small);
        p->setPen(index.data(Qt::ForegroundRole).isValid()
                      ? index.data(Qt::ForegroundRole).value<QColor>()
                      : QColor(0x5f, 0x6b, 0x7a));
        p->drawText(QRect(textRect.left(), textRect.top() + fm.height() + 4, textRect.width(),
                          fm.height() + 2),
                    Qt::AlignLeft | Qt::AlignVCenter, index.data(kSubtitleRole).toString());
        if (option.state & QStyle::State_HasFocus) {
            p->setPen(QPen(accentColor(), 1, Qt::DotLine));
            p->drawRect(r.adjusted(1, 1, -2, -2));
        }
        p->restore();
    }
};

// The FieldBox that holds `w` (the innermost one), or nullptr.
FieldBox* boxOf(QWidget* w) {
    for (; w; w = w->parentWidget()) {
        if (auto* b = qobject_cast<FieldBox*>(w)) return b;
    }
    return nullptr;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_model(new RecordModel(this)),
      m_session(std::make_unique<DraftSession>(m_model)) {
    setObjectName(QStringLiteral("mainWindow"));
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(kAutosaveMs);
    connect(&m_autosave, &QTimer::timeout, this, &MainWindow::autosaveNow);

    m_pages = new QStackedWidget(this);
    setCentralWidget(m_pages);
    // The start screen scrolls rather than squeeze its buttons and guidance at large scaling.
    m_startScroll = new QScrollArea(m_pages);
    m_startScroll->setObjectName(QStringLiteral("startScroll"));
    m_startScroll->setWidgetResizable(true);
    m_startScroll->setFrameShape(QFrame::NoFrame);
    m_start = new StartPage(m_startScroll);
    m_startScroll->setWidget(m_start);
    m_startTabs = new QTabWidget(m_pages);
    m_startTabs->setObjectName(QStringLiteral("startTabs"));
    m_startTabs->setDocumentMode(true);
    m_startTabs->addTab(m_startScroll, tr("&Files"));
    m_pages->addWidget(m_startTabs);

    buildWorksheetFrame();
    m_review = new ReviewPage(m_model, m_steps);
    m_preview = new PreviewPage(m_steps);

    m_saveLabel = new QLabel(this);
    m_saveLabel->setObjectName(QStringLiteral("saveState"));
    m_issueLabel = new QLabel(this);
    m_issueLabel->setObjectName(QStringLiteral("issueCount"));
    statusBar()->addWidget(m_saveLabel, 1);
    statusBar()->addPermanentWidget(m_issueLabel);

    createActions();
    new ReviewController(this);  // supervisor review: panel dock, comments, history (own signals)
    new RegisterView(this);      // the agency register beside the start screen (a tab)
    connectSignals();

    readSettings();
    m_start->refresh();
    m_pages->setCurrentWidget(m_startTabs);
    updateTitle();
    updateStatus();
}

void MainWindow::addStartTab(QWidget* page, const QString& title) {
    m_startTabs->addTab(page, title);
}

bool MainWindow::openExternal(ExternalRecord external) {
    if (!maybeSave()) return false;
    const Status st = m_session->openRecord(std::move(external.record));
    if (!st) {
        showErrorMessage(tr("Cannot open the record"), qs(st.error().toString()));
        return false;
    }
    external.record = Json();
    m_external = std::move(external);
    showWorksheet();
    return true;
}

void MainWindow::buildWorksheetFrame() {
    // Worksheet: steps | page + navigation | help.
    m_splitter = new QSplitter(Qt::Horizontal, m_pages);
    m_splitter->setObjectName(QStringLiteral("worksheetSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_stepList = new QListWidget(m_splitter);
    m_stepList->setObjectName(QStringLiteral("stepList"));
    m_stepList->setAccessibleName(tr("Steps of the worksheet"));
    m_stepList->setItemDelegate(new StepDelegate(m_stepList));
    m_stepList->setMouseTracking(true);
    // Minimum widths in characters (steps 32, fields 56, help 30), scaled down together only
    // when the three would not fit the screen (800 px wide, or 150 % of a small one), so the
    // window never opens larger than the screen and keeps its usual proportions when it fits.
    const int cw = m_stepList->fontMetrics().averageCharWidth();
    const int screenWidth = screen() ? screen()->availableGeometry().width() : 1280;
    const double fit = std::min(1.0, (screenWidth - 48.0) / (118.0 * cw));
    const auto minWidth = [cw, fit](int chars) { return static_cast<int>(chars * cw * fit); };
    m_stepList->setMinimumWidth(minWidth(32));
    auto* center = new QWidget(m_splitter);
    center->setObjectName(QStringLiteral("worksheetCenter"));
    // The fields keep a readable width whatever the panels beside them (help, review) take.
    center->setMinimumWidth(minWidth(56));
    auto* centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->setSpacing(0);
    m_steps = new QStackedWidget(center);
    centerLayout->addWidget(m_steps, 1);
    auto* nav = new QWidget(center);
    nav->setObjectName(QStringLiteral("navBar"));
    auto* navLayout = new QHBoxLayout(nav);
    navLayout->setContentsMargins(20, 8, 20, 8);
    m_back = new QPushButton(nav);
    m_back->setObjectName(QStringLiteral("backButton"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_next = new QPushButton(nav);
    m_next->setObjectName(QStringLiteral("nextButton"));
    m_next->setProperty("role", QStringLiteral("primary"));
    navLayout->addWidget(m_back);
    navLayout->addStretch(1);
    navLayout->addWidget(m_next);
    centerLayout->addWidget(nav);
    m_help = new HelpPanel(m_splitter);
    m_help->setMinimumWidth(minWidth(30));
    m_splitter->addWidget(m_stepList);
    m_splitter->addWidget(center);
    m_splitter->addWidget(m_help);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    const int wcw = fontMetrics().averageCharWidth();
    m_splitter->setSizes({wcw * 34, wcw * 100, wcw * 52});
    m_pages->addWidget(m_splitter);
}

void MainWindow::connectSignals() {
    connect(m_start, &StartPage::newDraftRequested, this, [this](FormId f) { newDraft(f); });
    connect(m_start, &StartPage::openRequested, this, [this] {
        const QString path = askOpenPath();
        if (!path.isEmpty()) openFile(path);
    });
    connect(m_start, &StartPage::openPathRequested, this,
            [this](const QString& p) { openFile(p); });
    connect(m_stepList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && m_steps->currentIndex() != row) goToStep(row);
    });
    connect(m_back, &QPushButton::clicked, this, [this] {
        if (m_steps->currentWidget() == m_preview) {
            goToStep(stepCount() - 1);
        } else {
            goToStep(currentStep() - 1);
        }
    });
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (m_steps->currentWidget() == m_preview) {
            Q_EMIT m_preview->saveRequested();
        } else if (currentStep() == stepCount() - 1) {
            showPreview();
        } else {
            goToStep(currentStep() + 1);
            focusFirstField();
        }
    });
    connect(m_review, &ReviewPage::jumpRequested, this,
            [this](const QString& p) { jumpToField(p); });
    connect(m_review, &ReviewPage::previewRequested, this, [this] { showPreview(); });
    connect(m_preview, &PreviewPage::backRequested, this, [this] { goToStep(stepCount() - 1); });
    connect(m_preview, &PreviewPage::printRequested, this, &MainWindow::printPreview);
    connect(m_preview, &PreviewPage::saveRequested, this, [this] {
        QString base =
            m_model->filePath().isEmpty()
                ? QStringLiteral("%1.pdf").arg(qs(formToString(m_model->formId())))
                : QFileInfo(m_model->filePath()).completeBaseName() + QStringLiteral(".pdf");
        const QString dir =
            m_model->filePath().isEmpty()
                ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                : QFileInfo(m_model->filePath()).absolutePath();
        const QString path = askExportPath(dir + QLatin1Char('/') + base);
        if (path.isEmpty()) return;
        if (auto password = askExportPassword()) exportPdfs(path, std::move(*password));
    });

    connect(m_model, &RecordModel::valueChanged, this, [this] {
        m_autosave.start();
        updateTitle();
    });
    connect(m_model, &RecordModel::issuesChanged, this, [this] {
        updateStepStates();
        updateStatus();
        if (m_steps->currentWidget() == m_review) m_review->refresh();
        updateHelpForFocus();
    });
    connect(m_model, &RecordModel::modifiedChanged, this, [this] {
        updateTitle();
        updateStatus();
    });
    connect(qApp, &QApplication::focusChanged, this, [this] { updateHelpForFocus(); });
    // Enter presses the focused button (Qt does so only inside dialogs).
    qApp->installEventFilter(this);
}

MainWindow::~MainWindow() {
    // The base destructors delete the children, which emits signals (focus changes, current
    // rows); none of them may reach this half-destroyed window.
    QObject::disconnect(qApp, nullptr, this, nullptr);
    for (QObject* child : findChildren<QObject*>())
        QObject::disconnect(child, nullptr, this, nullptr);
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    for (const FormInfo& f : availableForms()) {
        const FormId form = f.id;
        QAction* a = file->addAction(tr("New %1 (%2)").arg(qs(f.subtitle), qs(f.shortName)), this,
                                     [this, form] { newDraft(form); });
        if (file->actions().size() == 1) a->setShortcut(QKeySequence::New);
    }
    QAction* open = file->addAction(tr("&Open Draft…"), this, [this] {
        const QString path = askOpenPath();
        if (!path.isEmpty()) openFile(path);
    });
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    QAction* saveA = file->addAction(tr("&Save"), this, [this] { save(); });
    saveA->setShortcut(QKeySequence::Save);
    QAction* saveAsA = file->addAction(tr("Save &As…"), this, [this] { saveAs(); });
    saveAsA->setShortcut(QKeySequence::SaveAs);
    file->addAction(tr("Export &Official Form…"), this, [this] { exportOfficial(); });
    QAction* exportA =
        file->addAction(tr("&Preview and Export PDF…"), this, [this] { showPreview(); });
    exportA->setShortcut(QKeySequence(tr("Ctrl+E")));
    QAction* printA = file->addAction(tr("&Print…"), this, [this] {
        if (m_steps->currentWidget() != m_preview && !showPreview()) return;
        printPreview();
    });
    printA->setShortcut(QKeySequence::Print);
    file->addSeparator();
    QAction* closeA = file->addAction(tr("&Close Draft"), this, [this] { closeDraft(); });
    closeA->setShortcut(QKeySequence::Close);
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_model->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction* redo = m_model->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    QAction* next = go->addAction(tr("&Next Step"), this, [this] {
        goToStep(currentStep() + 1);
        focusFirstField();
    });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction* prev =
        go->addAction(tr("&Previous Step"), this, [this] { goToStep(currentStep() - 1); });
    prev->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    QAction* review = go->addAction(tr("&Review"), this, [this] { goToStep(stepCount() - 1); });
    review->setShortcut(QKeySequence(tr("Ctrl+R")));
    QAction* steps = go->addAction(tr("&Step List"), this, [this] { m_stepList->setFocus(); });
    steps->setShortcut(QKeySequence(Qt::Key_F6));
    QAction* item = go->addAction(tr("Go to &Item…"), this, [this] {
        bool ok = false;
        const QString q = QInputDialog::getText(
            this, tr("Go to item"),
            tr("Item number as printed on the form (\"2.4.a\" = Part 2, Item 4.a), or words "
               "of its label:"),
            QLineEdit::Normal, QString(), &ok);
        if (ok && !q.trimmed().isEmpty() && !goToItem(q))
            statusBar()->showMessage(tr("No item matches \"%1\".").arg(q.trimmed()), 6000);
    });
    item->setShortcut(QKeySequence(tr("Ctrl+G")));

    createHelpMenu();

    m_documentActions = {saveA, saveAsA, exportA, printA, closeA, next, prev, review, steps, item};
    for (QAction* a : m_documentActions) a->setEnabled(false);
    addActions({undo, redo});
}

void MainWindow::createHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&User Guide"), this, &MainWindow::showUserGuide);
    guide->setShortcut(QKeySequence::HelpContents);
    for (const FormInfo& f : availableForms()) {
        const QUrl url(qs(f.instructionsUrl));
        help->addAction(tr("USCIS Instructions for %1").arg(qs(f.title)), this,
                        [url] { QDesktopServices::openUrl(url); });
    }
    help->addSeparator();
    help->addAction(tr("&About lecert"), this, [this] {
        QMessageBox::about(
            this, tr("About lecert"),
            tr("<p><b>lecert</b> helps law enforcement complete Form I-918 Supplement B and "
               "Form I-914 Supplement B, and summarise the assistance given to the victim.</p>"
               "<p>The forms are signed by hand. Only USCIS decides a petition.</p>"));
    });
}

void MainWindow::fillRecentMenu() {
    m_recentMenu->clear();
    for (const QString& path : recentDrafts()) {
        if (!QFileInfo::exists(path)) continue;
        const DraftSummary d = summarizeDraft(path, m_today);
        // The case number and form say which draft it is; the file name says where.
        const QString label =
            d.caseNumber.isEmpty()
                ? QFileInfo(path).fileName()
                : tr("%1 %2 — %3").arg(d.form, d.caseNumber, QFileInfo(path).fileName());
        QAction* a = m_recentMenu->addAction(label, this, [this, path] { openFile(path); });
        a->setToolTip(path);
    }
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

void MainWindow::showUserGuide() {
    auto text = readFile(dataPath("docs/user-guide.md"), 1u << 20);
    QDialog dialog(this);
    dialog.setWindowTitle(tr("lecert User Guide"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* view = new QTextBrowser(&dialog);
    view->setOpenExternalLinks(true);
    if (text) {
        view->setMarkdown(qs(*text));
    } else {
        view->setPlainText(
            tr("The user guide could not be read: %1").arg(qs(text.error().toString())));
    }
    layout->addWidget(view);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1024, 768);
    dialog.resize(std::min(avail.width() - 40, fontMetrics().averageCharWidth() * 90),
                  std::min(avail.height() - 60, fontMetrics().height() * 40));
    dialog.exec();
}

bool MainWindow::goToItem(const QString& query) {
    if (!m_model->isLoaded()) return false;
    const QString q = query.trimmed();
    const FormDefinition& form = m_model->form();
    // "2.4.a", "Part 2 4.a", "2, 4.a": a Part number, then the item number within it.
    static const QRegularExpression partItem(
        QStringLiteral("^(?:part\\s*)?(\\d+)\\s*[.,:\\s]\\s*(?:item\\s*)?(\\S+)$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = partItem.match(q);
    auto visiblePath = [this](const FormItem& item) {
        return m_model->applies(item) ? item.path : std::string();
    };
    if (m.hasMatch()) {
        for (const FormPart& part : form.parts) {
            if (qs(part.number) != m.captured(1)) continue;
            for (const FormItem& item : part.items) {
                if (qs(item.number).compare(m.captured(2), Qt::CaseInsensitive) == 0 &&
                    !visiblePath(item).empty())
                    return jumpToField(qs(item.path));
            }
        }
    }
    // An item number alone, then words of a label; only items that apply can be shown.
    for (const FormPart& part : form.parts) {
        for (const FormItem& item : part.items) {
            if (!item.number.empty() && qs(item.number).compare(q, Qt::CaseInsensitive) == 0 &&
                !visiblePath(item).empty())
                return jumpToField(qs(item.path));
        }
    }
    for (const FormPart& part : form.parts) {
        for (const FormItem& item : part.items) {
            if (qs(item.label).contains(q, Qt::CaseInsensitive) && !visiblePath(item).empty())
                return jumpToField(qs(item.path));
        }
    }
    return false;
}

void MainWindow::printPreview() {
    QPrinter printer(QPrinter::HighResolution);
    QPrintDialog dialog(&printer, this);
    dialog.setWindowTitle(tr("Print"));
    if (dialog.exec() != QDialog::Accepted) return;
    if (!m_preview->printShown(printer))
        showErrorMessage(tr("Cannot print"), tr("The document could not be sent to the printer."));
}

RecoveryFile* MainWindow::recoveryFile() const {
    return m_session->recoveryFile();
}

void MainWindow::setRenderer(std::unique_ptr<DocumentRenderer> renderer) {
    m_session->setRenderer(std::move(renderer));
}

void MainWindow::setToday(std::optional<Date> today) {
    m_today = today;
    m_session->setToday(today);
    m_model->setToday(today);
    m_start->setToday(today);
    m_start->refresh();
}

bool MainWindow::worksheetShown() const {
    return m_pages->currentWidget() == m_splitter;
}

int MainWindow::stepCount() const {
    return static_cast<int>(m_stepPages.size()) + 1;
}

int MainWindow::currentStep() const {
    QWidget* w = m_steps->currentWidget();
    if (w == m_review || w == m_preview) return stepCount() - 1;
    return static_cast<int>(m_stepPages.indexOf(qobject_cast<StepPage*>(w)));
}

StepPage* MainWindow::stepPage(int index) const {
    return index >= 0 && index < m_stepPages.size() ? m_stepPages[index] : nullptr;
}

void MainWindow::clearWorksheet() {
    for (StepPage* p : m_stepPages) {
        m_steps->removeWidget(p);
        p->deleteLater();
    }
    m_stepPages.clear();
    m_steps->removeWidget(m_review);
    m_steps->removeWidget(m_preview);
    m_stepList->clear();
}

void MainWindow::buildWorksheet() {
    clearWorksheet();
    for (const FormPart& part : m_model->form().parts) {
        auto* page = new StepPage(m_model, part, m_steps);
        m_steps->addWidget(page);
        m_stepPages.push_back(page);
        auto* item = new QListWidgetItem(qs(part.stepTitle), m_stepList);
        item->setToolTip(StepPage::pageTitle(part));
    }
    m_steps->addWidget(m_review);
    m_steps->addWidget(m_preview);
    auto* review = new QListWidgetItem(tr("Review and export"), m_stepList);
    review->setIcon(stepStateIcon(StepState::Review));
    review->setData(kSubtitleRole, tr("All issues, preview, PDF"));
    updateStepStates();
    Q_EMIT worksheetBuilt();
}

QList<QWidget*> MainWindow::tabChain() const {
    // Steps, then the fields of the current page, then Back/Next, then the help. Pages are built
    // after the navigation bar and the help panel, so Qt's creation-order chain would put them
    // last; this is the order an officer expects.
    QList<QWidget*> chain;
    auto take = [&chain, this](QWidget* w) {
        if (!(w->focusPolicy() & Qt::TabFocus) || w->window() != this || !w->isVisible() ||
            !w->isEnabled())
            return;
        // A group of radio buttons is one stop: its checked button, or its first one.
        if (auto* radio = qobject_cast<QAbstractButton*>(w);
            radio && radio->group() && radio->group()->exclusive()) {
            QAbstractButton* checked = radio->group()->checkedButton();
            if (checked ? checked != radio : radio->group()->buttons().value(0) != radio) return;
        }
        chain << w;
    };
    take(m_stepList);
    if (QWidget* page = m_steps->currentWidget()) {
        for (QWidget* w : page->findChildren<QWidget*>()) take(w);
    }
    take(m_back);
    take(m_next);
    for (QWidget* w : m_help->findChildren<QWidget*>()) take(w);
    return chain;
}

bool MainWindow::focusNextPrevChild(bool next) {
    if (!worksheetShown()) return QMainWindow::focusNextPrevChild(next);
    const QList<QWidget*> chain = tabChain();
    const qsizetype i = chain.indexOf(QApplication::focusWidget());
    const qsizetype j = i + (next ? 1 : -1);
    // Outside the worksheet's chain (menus, docks) or at its ends: Qt's own order.
    if (i < 0 || j < 0 || j >= chain.size()) return QMainWindow::focusNextPrevChild(next);
    chain[j]->setFocus(next ? Qt::TabFocusReason : Qt::BacktabFocusReason);
    return true;
}

void MainWindow::showWorksheet() {
    buildWorksheet();
    m_pages->setCurrentWidget(m_splitter);
    for (QAction* a : m_documentActions) a->setEnabled(true);
    goToStep(0);
    updateTitle();
    updateStatus();
    Q_EMIT worksheetVisibilityChanged(true);
}

void MainWindow::updateStepStates() {
    if (!m_model->isLoaded()) return;
    const auto& parts = m_model->form().parts;
    for (int i = 0; i < static_cast<int>(parts.size()) && i < m_stepList->count(); ++i) {
        const FormPart& part = parts[static_cast<std::size_t>(i)];
        QListWidgetItem* item = m_stepList->item(i);
        const int errors = m_model->countForPart(part.id, Severity::Error);
        const int warnings = m_model->countForPart(part.id, Severity::Warning);
        const QString where =
            part.number.empty() ? tr("Cover") : tr("Part %1").arg(qs(part.number));
        StepState state;
        QString sub;
        if (m_model->partIsEmpty(part.id)) {
            state = StepState::NotStarted;
            sub = where + QStringLiteral(" · ") + tr("Not started");
            item->setData(Qt::ForegroundRole, QVariant());
        } else if (errors > 0) {
            state = StepState::HasErrors;
            sub = where + QStringLiteral(" · ") + errorsText(errors);
            item->setData(Qt::ForegroundRole, errorColor());
        } else {
            state = warnings > 0 ? StepState::HasWarnings : StepState::Complete;
            sub = where + QStringLiteral(" · ") +
                  (warnings > 0 ? warningsText(warnings) : tr("Complete"));
            item->setData(Qt::ForegroundRole, warnings > 0 ? warningColor() : okColor());
        }
        item->setIcon(stepStateIcon(state));
        item->setData(kSubtitleRole, sub);
        item->setData(Qt::AccessibleTextRole, QString(item->text() + QStringLiteral(", ") + sub));
        item->setData(Qt::UserRole, static_cast<int>(state));
    }
}

void MainWindow::goToStep(int index) {
    if (!worksheetShown() || index < 0 || index >= stepCount()) return;
    if (index == stepCount() - 1) {
        // From here on every message shows, also for fields not touched yet.
        m_model->setShowAllIssues(true);
        m_review->refresh();
        m_steps->setCurrentWidget(m_review);
        m_help->showText(
            tr("Review and export"),
            tr("<p>Every error and warning of the worksheet, step by step. Click one to go to "
               "its field.</p><p>When there are no errors left, preview the filled form and the "
               "cover summary and save them as PDF. With errors you can still save a draft: "
               "every page then says \"DRAFT – NOT FOR SIGNATURE\".</p>"));
    } else {
        StepPage* page = m_stepPages[index];
        m_steps->setCurrentWidget(page);
        m_help->showPart(page->part());
        page->verticalScrollBar()->setValue(0);
    }
    {
        const QSignalBlocker block(m_stepList);
        m_stepList->setCurrentRow(index, QItemSelectionModel::ClearAndSelect);
    }
    updateNavigation();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        auto* button = qobject_cast<QPushButton*>(watched);
        if (button && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers() == Qt::NoModifier && button->window() == this && button->hasFocus() &&
            button->isEnabled()) {
            button->animateClick();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::focusFirstField() {
    const int i = currentStep();
    if (i < 0 || i >= stepCount() - 1) {
        if (m_steps->currentWidget() == m_review) m_review->setFocus(Qt::TabFocusReason);
        return;
    }
    StepPage* page = m_stepPages[i];
    for (FieldBox* b : page->fieldBoxes()) {
        QWidget* target = b->editor()->focusTarget();
        if (b->isVisibleTo(page) && target && target->isEnabled()) {
            // The first field is at the top: keep the step's title in view too.
            target->setFocus(Qt::TabFocusReason);
            page->verticalScrollBar()->setValue(0);
            return;
        }
    }
}

void MainWindow::updateNavigation() {
    const int i = currentStep();
    const bool preview = m_steps->currentWidget() == m_preview;
    m_back->setVisible(i > 0 || preview);
    if (i > 0 && !preview) {
        m_back->setText(tr("Back: %1").arg(m_stepList->item(i - 1)->text()));
    } else if (preview) {
        m_back->setText(tr("Back to review"));
    }
    m_next->setVisible(!preview || !m_preview->saveText().isEmpty());
    m_next->setIcon(preview ? style()->standardIcon(QStyle::SP_DialogSaveButton) : QIcon());
    if (preview) {
        m_next->setText(m_preview->saveText());
    } else if (i >= 0 && i < stepCount() - 1) {
        m_next->setText(tr("Next: %1").arg(m_stepList->item(i + 1)->text()));
    } else {
        m_next->setText(tr("Preview the PDF"));
    }
}

bool MainWindow::jumpToField(const QString& qpath) {
    const std::string path = ss(qpath);
    const std::string partId = m_model->partIdFor(path);
    for (int i = 0; i < m_stepPages.size(); ++i) {
        if (m_stepPages[i]->part().id != partId) continue;
        FieldBox* box = m_stepPages[i]->boxForPath(path);
        if (!box) return false;
        goToStep(i);
        if (box->isHidden()) return false;
        m_stepPages[i]->focusBox(box);
        updateHelpForFocus();
        return true;
    }
    return false;
}

void MainWindow::updateHelpForFocus() {
    if (!worksheetShown()) return;
    FieldBox* box = boxOf(QApplication::focusWidget());
    if (!box) return;
    // Help for the item the officer thinks of: the group, not one cell of a row.
    FieldBox* outer = box;
    for (QWidget* w = box->parentWidget(); w; w = w->parentWidget()) {
        if (auto* b = qobject_cast<FieldBox*>(w)) outer = b;
    }
    const auto* page = qobject_cast<const StepPage*>(m_steps->currentWidget());
    const FormPart* part = page ? &page->part() : nullptr;
    std::vector<Issue> issues = m_model->issuesAt(box->path());
    if (outer != box) {
        for (const Issue& i : m_model->issuesAt(outer->path())) issues.push_back(i);
    }
    m_help->showItem(part, outer->item(), issues);
}

void MainWindow::updateStatus() {
    if (!worksheetShown() || !m_model->isLoaded()) {
        m_saveLabel->setText(tr("Ready"));
        m_issueLabel->clear();
        return;
    }
    QString state;
    if (!m_model->isModified()) {
        state = m_model->filePath().isEmpty()
                    ? tr("Nothing entered yet")
                    : tr("All changes saved to %1").arg(QFileInfo(m_model->filePath()).fileName());
    } else if (!m_session->autosavedAt().isEmpty()) {
        state = tr("Unsaved changes (recovery copy kept at %1)").arg(m_session->autosavedAt());
    } else {
        state = tr("Unsaved changes");
    }
    m_saveLabel->setText(state);
    const auto& issues = m_model->issues();
    const auto errors = static_cast<int>(countIssues(issues, Severity::Error));
    const auto warnings = static_cast<int>(countIssues(issues, Severity::Warning));
    m_issueLabel->setText(errorsText(errors) + QStringLiteral(" · ") + warningsText(warnings));
    setStyleTone(m_issueLabel, errors ? "error" : "ok");
}

QString MainWindow::saveStateText() const {
    return m_saveLabel->text();
}
QString MainWindow::issueCountText() const {
    return m_issueLabel->text();
}

void MainWindow::updateTitle() {
    QString title = tr("lecert");
    if (worksheetShown() && m_model->isLoaded()) {
        const QString name = m_external.save ? m_external.title
                             : m_model->filePath().isEmpty()
                                 ? tr("Untitled")
                                 : QFileInfo(m_model->filePath()).fileName();
        title = name + QStringLiteral("[*] — ") + qs(m_model->form().title) +
                QStringLiteral(" — lecert");
    }
    setWindowTitle(title);
    setWindowModified(worksheetShown() && m_model->isModified());
}

bool MainWindow::newDraft(FormId form) {
    if (!maybeSave()) return false;
    m_external = {};
    const Status st = m_session->startNew(form);
    if (!st) {
        showErrorMessage(tr("Cannot start a worksheet"), qs(st.error().toString()));
        return false;
    }
    showWorksheet();
    if (StepPage* first = stepPage(0)) {
        const QList<FieldBox*> boxes = first->fieldBoxes();
        if (!boxes.isEmpty() && boxes.first()->editor()->focusTarget())
            boxes.first()->editor()->focusTarget()->setFocus();
    }
    return true;
}

bool MainWindow::openFile(const QString& path) {
    if (!maybeSave()) return false;
    m_external = {};
    const Status st = m_session->open(path);
    if (!st) {
        showErrorMessage(tr("Cannot open the draft"), qs(st.error().toString()));
        return false;
    }
    showWorksheet();
    return true;
}

bool MainWindow::save() {
    if (!m_model->isLoaded()) return false;
    if (m_external.save) {
        Q_EMIT aboutToSave();
        const Status st = m_external.save(m_model->savedJson());
        if (!st) {
            // The worksheet keeps the officer's version (still unsaved): nothing is lost.
            showErrorMessage(tr("Cannot save to the register"), qs(st.error().toString()));
            return false;
        }
        m_session->discardRecovery();
        m_model->setClean();
        m_autosave.stop();
        updateTitle();
        updateStatus();
        statusBar()->showMessage(tr("Saved in the register"), 3000);
        Q_EMIT saved(QString());
        return true;
    }
    if (m_model->filePath().isEmpty()) return saveAs();
    return saveToPath(m_model->filePath());
}

bool MainWindow::saveAs() {
    if (!m_model->isLoaded()) return false;
    QString suggestion = m_model->filePath();
    if (suggestion.isEmpty()) {
        suggestion = uniqueDraftPath(
            QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
            qs(formToString(m_model->formId())), qs(m_model->record().string("agency.case_number")),
            qs(m_model->record().string("id")));
    }
    const QString path = askSavePath(suggestion);
    if (path.isEmpty()) return false;
    return saveToPath(path);
}

bool MainWindow::saveToPath(const QString& path) {
    Q_EMIT aboutToSave();
    const Status st = m_session->saveTo(path);
    if (!st) {
        showErrorMessage(tr("Cannot save the draft"), qs(st.error().toString()));
        return false;
    }
    m_external = {};  // Save As of a register record: from now on it is this file
    m_autosave.stop();
    updateTitle();
    updateStatus();
    statusBar()->showMessage(tr("Saved"), 3000);
    Q_EMIT saved(m_model->filePath());
    return true;
}

bool MainWindow::closeDraft() {
    if (!worksheetShown()) return true;
    if (!maybeSave()) return false;
    m_session->discardRecovery();
    m_autosave.stop();
    m_model->setClean();
    clearWorksheet();
    m_external = {};
    m_pages->setCurrentWidget(m_startTabs);
    for (QAction* a : m_documentActions) a->setEnabled(false);
    m_start->refresh();
    updateTitle();
    updateStatus();
    Q_EMIT worksheetVisibilityChanged(false);
    return true;
}

void MainWindow::autosaveNow() {
    const Status st = m_session->writeRecovery();
    if (!st) {
        statusBar()->showMessage(
            tr("The recovery copy could not be written: %1").arg(qs(st.error().message)), 8000);
    }
    updateStatus();
}

bool MainWindow::offerRecovery() {
    const auto orphans = RecoveryFile::orphans();
    for (const RecoveryFile::Orphan& o : orphans) {
        const RecoveryChoice choice = askToRecover(o);
        if (choice == RecoveryChoice::Later) continue;
        if (choice == RecoveryChoice::Discard) {
            RecoveryFile::removeOrphan(o.recoveryPath);
            continue;
        }
        if (!maybeSave()) return false;
        m_external = {};
        const Status st = m_session->recover(o);
        if (!st) {
            showErrorMessage(tr("Cannot recover the draft"), qs(st.error().toString()));
            continue;
        }
        showWorksheet();
        autosaveNow();
        statusBar()->showMessage(tr("Recovered the unsaved work. Save it to keep it."), 8000);
        return true;
    }
    return false;
}

bool MainWindow::showPreview() {
    if (!worksheetShown()) return false;
    m_stepList->setCurrentRow(stepCount() - 1);
    m_model->setShowAllIssues(true);
    const int errors = static_cast<int>(countIssues(m_model->issues(), Severity::Error));
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto pdfs = m_session->render(true);
    QApplication::restoreOverrideCursor();
    m_steps->setCurrentWidget(m_preview);
    if (!pdfs) {
        m_preview->showError(qs(pdfs.error().message));
        updateNavigation();
        return false;
    }
    m_preview->setDocuments(*pdfs, errors);
    updateNavigation();
    m_help->showText(
        tr("Preview"),
        tr("<p>This is what will be saved: the filled form and the cover summary of the "
           "assistance given to the victim.</p><p>Print the form and sign it by hand, in ink. "
           "Give the original to the victim or the victim's representative for filing.</p>"));
    return true;
}

bool MainWindow::exportPdfs(const QString& formPath, std::string password) {
    return runExport(formPath, QString(), std::move(password));
}

bool MainWindow::runExport(const QString& formPath, const QString& officialPath,
                           std::string password) {
    if (!m_model->isLoaded()) {
        password.assign(password.size(), '\0');
        return false;
    }
    DraftSession::ExportRequest rq;
    rq.formPath = formPath;
    rq.officialPath = officialPath;
    rq.password = password;
    password.assign(password.size(), '\0');
    const bool encrypted = !rq.password.empty();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto pdfs = m_session->exportPdfs(rq);  // wipes rq.password
    QApplication::restoreOverrideCursor();
    const bool official = !officialPath.isEmpty();
    if (!pdfs) {
        showErrorMessage(official ? tr("Cannot fill the official form") : tr("Cannot save the PDF"),
                         qs(pdfs.error().toString()));
        return false;
    }
    const QString formName = QFileInfo(formPath).fileName();
    const QString coverName = QFileInfo(DraftSession::coverPathFor(formPath)).fileName();
    QString text =
        pdfs->draft ? tr("Saved the draft PDFs (watermarked): %1 and %2") : tr("Saved %1 and %2");
    text = text.arg(formName, coverName);
    if (official) text += tr(" (official form, %1)").arg(QString::fromUtf8(pdfs->match));
    if (encrypted) text += tr(", encrypted: they open only with the password");
    statusBar()->showMessage(text, 8000);
    return true;
}

void MainWindow::exportOfficial() {
    if (!m_model->isLoaded()) return;
    QSettings settings;
    QString dir = settings.value(QStringLiteral("official/dir")).toString();
    if (dir.isEmpty()) dir = qEnvironmentVariable("LECERT_OFFICIAL_DIR");
    const QString official = QFileDialog::getOpenFileName(
        this, tr("The official USCIS PDF of this form edition"), dir, tr("PDF files (*.pdf)"));
    if (official.isEmpty()) return;
    settings.setValue(QStringLiteral("official/dir"), QFileInfo(official).absolutePath());
    const QString out = QFileDialog::getSaveFileName(
        this, tr("Save the filled official form (the cover summary is saved beside it)"), QString(),
        tr("PDF files (*.pdf)"));
    if (out.isEmpty()) return;
    if (auto password = askExportPassword()) exportOfficialPdf(official, out, std::move(*password));
}

bool MainWindow::exportOfficialPdf(const QString& officialPath, const QString& outPath,
                                   std::string password) {
    if (m_model->isLoaded() && countIssues(m_model->issues(), Severity::Error) > 0) {
        password.assign(password.size(), '\0');
        showErrorMessage(tr("Cannot fill the official form"),
                         tr("The worksheet has errors. Fix them first; a draft can only be "
                            "exported as the worksheet."));
        return false;
    }
    return runExport(outPath, officialPath, std::move(password));
}

std::optional<std::string> MainWindow::askExportPassword() {
    PasswordDialog dialog(
        PasswordDialog::Mode::Export,
        tr("The form and the cover summary hold the victim's personal data. Protect them with "
           "a password when they leave this computer (e-mail, USB stick); give the password "
           "by another way, e.g. by telephone. lecert keeps no copy of it: a lost password "
           "cannot be recovered."),
        this);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.take();
}

bool MainWindow::maybeSave() {
    if (!worksheetShown() || !m_model->isLoaded() || !m_model->isModified()) return true;
    switch (askToSaveChanges()) {
        case QMessageBox::Save:
            return save();
        case QMessageBox::Discard:
            m_session->discardRecovery();
            m_model->setClean();
            return true;
        default:
            return false;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_session->discardRecovery();
    writeSettings();
    event->accept();
}

QMessageBox::StandardButton MainWindow::askToSaveChanges() {
    return QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("The worksheet has changes that are not saved. Save them before closing?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
}

QString MainWindow::recoveryQuestion(const RecoveryFile::Orphan& orphan) {
    // Name the case, so that an officer with several open cases knows which one this is.
    const Record r(orphan.record);
    const auto form = r.form();
    const auto info = form ? formInfo(*form) : std::nullopt;
    const QString caseNumber = qs(r.string("agency.case_number")).trimmed();
    QString what = info ? qs(info->shortName) : tr("worksheet");
    what = caseNumber.isEmpty() ? tr("an %1 without a case number yet").arg(what)
                                : tr("%1 for case %2").arg(what, caseNumber);
    if (!orphan.originalPath.isEmpty())
        what += tr(" (draft %1)").arg(QFileInfo(orphan.originalPath).fileName());
    return tr("A recovery copy of %1, from %2, is available. Recover it now?")
        .arg(what, QLocale().toString(orphan.savedAt, QLocale::ShortFormat));
}

MainWindow::RecoveryChoice MainWindow::askToRecover(const RecoveryFile::Orphan& orphan) {
    QMessageBox box(this);
    box.setIcon(QMessageBox::Question);
    box.setWindowTitle(tr("Recover unsaved work?"));
    box.setText(tr("lecert was closed unexpectedly while a worksheet had unsaved changes."));
    box.setInformativeText(recoveryQuestion(orphan));
    QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Later"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();
    if (box.clickedButton() == recover) return RecoveryChoice::Recover;
    if (box.clickedButton() == discard) return RecoveryChoice::Discard;
    return RecoveryChoice::Later;
}

QString MainWindow::askSavePath(const QString& suggestion) {
    return QFileDialog::getSaveFileName(this, tr("Save Draft"), suggestion,
                                        tr("lecert records (*.json)"));
}

QString MainWindow::askOpenPath() {
    return QFileDialog::getOpenFileName(
        this, tr("Open Draft"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("lecert records (*.json);;All files (*)"));
}

QString MainWindow::askExportPath(const QString& suggestion) {
    return QFileDialog::getSaveFileName(this, tr("Save PDF (the cover summary is saved beside it)"),
                                        suggestion, tr("PDF (*.pdf)"));
}

void MainWindow::showErrorMessage(const QString& title, const QString& text) {
    QMessageBox::critical(this, title, text);
}

void MainWindow::readSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        const int cw = fontMetrics().averageCharWidth();
        resize(std::max(cw * 180, 1280), std::max(fontMetrics().height() * 50, 820));
    }
    // Never larger than the screen (150 % scaling, a smaller monitor than last time): Next and
    // the status bar must stay reachable.
    if (const QScreen* sc = screen()) {
        const QRect avail = sc->availableGeometry();
        // The frame is known only once shown; until then allow for a usual title bar and border.
        QSize frame = frameGeometry().size() - geometry().size();
        if (frame.isEmpty()) frame = QSize(8, 40);
        const QSize most = avail.size() - frame;
        if (width() > most.width() || height() > most.height()) {
            resize(std::min(width(), most.width()), std::min(height(), most.height()));
            move(avail.topLeft());
        }
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray());
}

void MainWindow::writeSettings() {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
}

}  // namespace lecert::desktop
