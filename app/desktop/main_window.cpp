// SPDX-License-Identifier: MIT
#include "desktop/main_window.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTime>
#include <QUndoStack>
#include <QVBoxLayout>

#include "core/jobs/fill_job.h"
#include "core/model/form_definition.h"
#include "core/rules/validator.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/help_panel.h"
#include "desktop/icons.h"
#include "desktop/preview_page.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
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
    : QMainWindow(parent), m_model(new RecordModel(this)), m_renderer(createCoreRenderer()) {
    setObjectName(QStringLiteral("mainWindow"));
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(kAutosaveMs);
    connect(&m_autosave, &QTimer::timeout, this, &MainWindow::autosaveNow);

    m_pages = new QStackedWidget(this);
    setCentralWidget(m_pages);
    m_start = new StartPage(m_pages);
    m_pages->addWidget(m_start);

    // Worksheet: steps | page + navigation | help.
    m_splitter = new QSplitter(Qt::Horizontal, m_pages);
    m_splitter->setObjectName(QStringLiteral("worksheetSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_stepList = new QListWidget(m_splitter);
    m_stepList->setObjectName(QStringLiteral("stepList"));
    m_stepList->setAccessibleName(tr("Steps of the worksheet"));
    m_stepList->setItemDelegate(new StepDelegate(m_stepList));
    m_stepList->setMouseTracking(true);
    m_stepList->setMinimumWidth(m_stepList->fontMetrics().averageCharWidth() * 32);
    auto* center = new QWidget(m_splitter);
    auto* centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->setSpacing(0);
    m_steps = new QStackedWidget(center);
    centerLayout->addWidget(m_steps, 1);
    auto* nav = new QWidget(center);
    nav->setObjectName(QStringLiteral("navBar"));
    nav->setStyleSheet(
        QStringLiteral("#navBar { background: white; border-top: 1px solid #dde3ea; }"));
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
    m_help->setMinimumWidth(m_help->fontMetrics().averageCharWidth() * 30);
    m_splitter->addWidget(m_stepList);
    m_splitter->addWidget(center);
    m_splitter->addWidget(m_help);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    const int cw = fontMetrics().averageCharWidth();
    m_splitter->setSizes({cw * 34, cw * 100, cw * 52});
    m_pages->addWidget(m_splitter);

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
        }
    });
    connect(m_review, &ReviewPage::jumpRequested, this,
            [this](const QString& p) { jumpToField(p); });
    connect(m_review, &ReviewPage::previewRequested, this, [this] { showPreview(); });
    connect(m_preview, &PreviewPage::backRequested, this, [this] { goToStep(stepCount() - 1); });
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
        if (!path.isEmpty()) exportPdfs(path);
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

    readSettings();
    m_start->refresh();
    m_pages->setCurrentWidget(m_start);
    updateTitle();
    updateStatus();
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
    QAction* newU =
        file->addAction(tr("New I-918B &Certification"), this, [this] { newDraft(FormId::I918B); });
    newU->setShortcut(QKeySequence::New);
    file->addAction(tr("New I-914B &Declaration"), this, [this] { newDraft(FormId::I914B); });
    QAction* open = file->addAction(tr("&Open Draft…"), this, [this] {
        const QString path = askOpenPath();
        if (!path.isEmpty()) openFile(path);
    });
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* saveA = file->addAction(tr("&Save"), this, [this] { save(); });
    saveA->setShortcut(QKeySequence::Save);
    QAction* saveAsA = file->addAction(tr("Save &As…"), this, [this] { saveAs(); });
    saveAsA->setShortcut(QKeySequence::SaveAs);
    file->addAction(tr("Export &Official Form…"), this, [this] { exportOfficial(); });
    QAction* exportA =
        file->addAction(tr("&Preview and Export PDF…"), this, [this] { showPreview(); });
    exportA->setShortcut(QKeySequence(tr("Ctrl+E")));
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
    QAction* next = go->addAction(tr("&Next Step"), this, [this] { goToStep(currentStep() + 1); });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction* prev =
        go->addAction(tr("&Previous Step"), this, [this] { goToStep(currentStep() - 1); });
    prev->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    QAction* review = go->addAction(tr("&Review"), this, [this] { goToStep(stepCount() - 1); });
    review->setShortcut(QKeySequence(tr("Ctrl+R")));
    QAction* steps = go->addAction(tr("&Step List"), this, [this] { m_stepList->setFocus(); });
    steps->setShortcut(QKeySequence(Qt::Key_F6));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About lecert"), this, [this] {
        QMessageBox::about(
            this, tr("About lecert"),
            tr("<p><b>lecert</b> helps law enforcement complete Form I-918 Supplement B and "
               "Form I-914 Supplement B, and summarise the assistance given to the victim.</p>"
               "<p>The forms are signed by hand. Only USCIS decides a petition.</p>"));
    });

    m_documentActions = {saveA, saveAsA, exportA, closeA, next, prev, review, steps};
    for (QAction* a : m_documentActions) a->setEnabled(false);
    addActions({undo, redo});
}

void MainWindow::setToday(std::optional<Date> today) {
    m_today = today;
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
    } else if (!m_autosavedAt.isEmpty()) {
        state = tr("Unsaved changes (recovery copy kept at %1)").arg(m_autosavedAt);
    } else {
        state = tr("Unsaved changes");
    }
    m_saveLabel->setText(state);
    const auto& issues = m_model->issues();
    const auto errors = static_cast<int>(countIssues(issues, Severity::Error));
    const auto warnings = static_cast<int>(countIssues(issues, Severity::Warning));
    m_issueLabel->setText(errorsText(errors) + QStringLiteral(" · ") + warningsText(warnings));
    m_issueLabel->setStyleSheet(
        errors ? QStringLiteral("color:%1; font-weight:600;").arg(errorColor().name())
               : QStringLiteral("color:%1;").arg(okColor().name()));
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
        const QString name = m_model->filePath().isEmpty()
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
    const Status st = m_model->reset(RecordModel::newRecordJson(form), QString());
    if (!st) {
        showErrorMessage(tr("Cannot start a worksheet"), qs(st.error().toString()));
        return false;
    }
    m_recovery = std::make_unique<RecoveryFile>();
    m_autosavedAt.clear();
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
    auto text = readFile(ss(path), 64u * 1024u * 1024u);
    if (!text) {
        showErrorMessage(tr("Cannot open the draft"), qs(text.error().toString()));
        return false;
    }
    auto json = parseJson(*text, ss(QFileInfo(path).fileName()));
    if (!json) {
        showErrorMessage(tr("Cannot open the draft"), qs(json.error().toString()));
        return false;
    }
    const Status st = m_model->reset(std::move(*json), QFileInfo(path).absoluteFilePath());
    if (!st) {
        showErrorMessage(tr("Cannot open the draft"),
                         tr("%1: %2").arg(QFileInfo(path).fileName(), qs(st.error().toString())));
        return false;
    }
    m_model->setShowAllIssues(true);
    m_recovery = std::make_unique<RecoveryFile>();
    m_autosavedAt.clear();
    addRecentDraft(path);
    showWorksheet();
    return true;
}

bool MainWindow::save() {
    if (!m_model->isLoaded()) return false;
    if (m_model->filePath().isEmpty()) return saveAs();
    return saveToPath(m_model->filePath());
}

bool MainWindow::saveAs() {
    if (!m_model->isLoaded()) return false;
    QString suggestion = m_model->filePath();
    if (suggestion.isEmpty()) {
        QString caseNumber = qs(m_model->record().string("agency.case_number")).trimmed();
        caseNumber.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")),
                           QStringLiteral("_"));
        suggestion =
            QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QLatin1Char('/') +
            qs(formToString(m_model->formId())) +
            (caseNumber.isEmpty() ? QStringLiteral("-draft") : QLatin1Char('-') + caseNumber) +
            QStringLiteral(".json");
    }
    const QString path = askSavePath(suggestion);
    if (path.isEmpty()) return false;
    return saveToPath(path);
}

bool MainWindow::saveToPath(const QString& path) {
    Q_EMIT aboutToSave();
    const Status st = m_model->saveTo(QFileInfo(path).absoluteFilePath());
    if (!st) {
        showErrorMessage(tr("Cannot save the draft"), qs(st.error().toString()));
        return false;
    }
    if (m_recovery) m_recovery->discard();
    m_autosavedAt.clear();
    m_autosave.stop();
    addRecentDraft(path);
    updateTitle();
    updateStatus();
    statusBar()->showMessage(tr("Saved"), 3000);
    Q_EMIT saved(m_model->filePath());
    return true;
}

bool MainWindow::closeDraft() {
    if (!worksheetShown()) return true;
    if (!maybeSave()) return false;
    if (m_recovery) m_recovery->discard();
    m_autosave.stop();
    m_model->setClean();
    clearWorksheet();
    m_pages->setCurrentWidget(m_start);
    for (QAction* a : m_documentActions) a->setEnabled(false);
    m_start->refresh();
    updateTitle();
    updateStatus();
    Q_EMIT worksheetVisibilityChanged(false);
    return true;
}

void MainWindow::autosaveNow() {
    if (!m_recovery || !m_model->isLoaded() || !m_model->isModified()) return;
    // The record exactly as typed, so recovery gives back what was on screen.
    const Status st = m_recovery->write(m_model->record().json(), m_model->filePath());
    if (st) {
        m_autosavedAt = QTime::currentTime().toString(QStringLiteral("HH:mm"));
    } else {
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
        const Status st = m_model->reset(o.record, o.originalPath, true);
        if (!st) {
            showErrorMessage(tr("Cannot recover the draft"), qs(st.error().toString()));
            continue;
        }
        m_model->setShowAllIssues(true);
        m_recovery = std::make_unique<RecoveryFile>();
        RecoveryFile::removeOrphan(o.recoveryPath);
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
    auto pdfs = m_renderer->render(m_model->savedJson(), errors > 0, true, m_today);
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

bool MainWindow::exportPdfs(const QString& formPath) {
    if (!m_model->isLoaded()) return false;
    const int errors = static_cast<int>(countIssues(m_model->issues(), Severity::Error));
    auto pdfs = m_renderer->render(m_model->savedJson(), errors > 0, false, m_today);
    if (!pdfs) {
        showErrorMessage(tr("Cannot make the PDF"), qs(pdfs.error().message));
        return false;
    }
    const QFileInfo info(formPath);
    const QString coverPath = info.absolutePath() + QLatin1Char('/') + info.completeBaseName() +
                              QStringLiteral("-cover.pdf");
    const std::string formBytes = pdfs->form.toStdString();
    const std::string coverBytes = pdfs->cover.toStdString();
    for (const auto& [path, bytes] :
         {std::pair{info.absoluteFilePath(), &formBytes}, std::pair{coverPath, &coverBytes}}) {
        const Status st = writeFileAtomic(ss(path), *bytes, 0600);
        if (!st) {
            showErrorMessage(tr("Cannot save the PDF"), qs(st.error().toString()));
            return false;
        }
    }
    statusBar()->showMessage(
        pdfs->draft ? tr("Saved the draft PDFs (watermarked): %1 and %2")
                          .arg(info.fileName(), QFileInfo(coverPath).fileName())
                    : tr("Saved %1 and %2").arg(info.fileName(), QFileInfo(coverPath).fileName()),
        8000);
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
    const QString out = QFileDialog::getSaveFileName(this, tr("Save the filled official form"),
                                                     QString(), tr("PDF files (*.pdf)"));
    if (!out.isEmpty()) exportOfficialPdf(official, out);
}

bool MainWindow::exportOfficialPdf(const QString& officialPath, const QString& outPath) {
    if (!m_model->isLoaded()) return false;
    if (countIssues(m_model->issues(), Severity::Error) > 0) {
        showErrorMessage(tr("Cannot fill the official form"),
                         tr("The worksheet has errors. Fix them first; a draft can only be "
                            "exported as the worksheet."));
        return false;
    }
    OfficialRenderer renderer({});
    RenderOptions options;
    options.noCover = true;
    options.today = m_today;
    auto filled = renderer.renderWith(Record(m_model->savedJson()), options, ss(officialPath));
    if (!filled) {
        showErrorMessage(tr("Cannot fill the official form"), qs(filled.error().toString()));
        return false;
    }
    if (const Status st = writeFileAtomic(ss(outPath), filled->form, 0600); !st) {
        showErrorMessage(tr("Cannot save the PDF"), qs(st.error().toString()));
        return false;
    }
    statusBar()->showMessage(tr("Saved the official form %1 (%2)")
                                 .arg(QFileInfo(outPath).fileName(), qs(renderer.lastMatch())),
                             8000);
    return true;
}

bool MainWindow::maybeSave() {
    if (!worksheetShown() || !m_model->isLoaded() || !m_model->isModified()) return true;
    switch (askToSaveChanges()) {
        case QMessageBox::Save:
            return save();
        case QMessageBox::Discard:
            if (m_recovery) m_recovery->discard();
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
    if (m_recovery) m_recovery->discard();
    writeSettings();
    event->accept();
}

QMessageBox::StandardButton MainWindow::askToSaveChanges() {
    return QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("The worksheet has changes that are not saved. Save them before closing?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
}

MainWindow::RecoveryChoice MainWindow::askToRecover(const RecoveryFile::Orphan& orphan) {
    QMessageBox box(this);
    box.setIcon(QMessageBox::Question);
    box.setWindowTitle(tr("Recover unsaved work?"));
    box.setText(tr("lecert was closed unexpectedly while a worksheet had unsaved changes."));
    box.setInformativeText(
        tr("A recovery copy from %1 is available%2. Recover it now?")
            .arg(QLocale().toString(orphan.savedAt, QLocale::ShortFormat),
                 orphan.originalPath.isEmpty()
                     ? QString()
                     : tr(" (draft %1)").arg(QFileInfo(orphan.originalPath).fileName())));
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
