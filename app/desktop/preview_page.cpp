// SPDX-License-Identifier: MIT
#include "desktop/preview_page.h"

#include <QHBoxLayout>
#include <QImage>
#include <QKeySequence>
#include <QLabel>
#include <QPainter>
#include <QPdfDocument>
#include <QPdfView>
#include <QPrinter>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "desktop/app_style.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

namespace {

QPdfView* makeView(QPdfDocument* doc, QWidget* parent, const QString& name) {
    auto* view = new QPdfView(parent);
    view->setDocument(doc);
    view->setPageMode(QPdfView::PageMode::MultiPage);
    view->setZoomMode(QPdfView::ZoomMode::FitToWidth);
    view->setPageSpacing(12);
    view->setAccessibleName(name);
    view->setObjectName(name);
    return view;
}

}  // namespace

PreviewPage::PreviewPage(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("previewPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 14, 20, 14);
    layout->setSpacing(8);
    auto* title = new QLabel(tr("Preview"), this);
    title->setProperty("role", QStringLiteral("title"));
    title->setObjectName(QStringLiteral("stepTitle"));
    layout->addWidget(title);
    m_banner = new QLabel(this);
    m_banner->setWordWrap(true);
    m_banner->setObjectName(QStringLiteral("previewBanner"));
    layout->addWidget(m_banner);

    m_formDoc = new QPdfDocument(this);
    m_coverDoc = new QPdfDocument(this);
    m_tabs = new QTabWidget(this);
    m_formView = makeView(m_formDoc, m_tabs, QStringLiteral("formPreview"));
    m_coverView = makeView(m_coverDoc, m_tabs, QStringLiteral("coverPreview"));
    m_tabs->addTab(m_formView, tr("Filled form"));
    m_tabs->addTab(m_coverView, tr("Cover summary"));
    layout->addWidget(m_tabs, 1);

    // What Acrobat users reach for: zoom and print.
    auto* tools = new QHBoxLayout;
    tools->setSpacing(6);
    auto* zoomOutB = new QPushButton(tr("Zoom out"), this);
    zoomOutB->setObjectName(QStringLiteral("zoomOut"));
    zoomOutB->setShortcut(QKeySequence::ZoomOut);
    auto* fitB = new QPushButton(tr("Fit width"), this);
    fitB->setObjectName(QStringLiteral("fitWidth"));
    auto* zoomInB = new QPushButton(tr("Zoom in"), this);
    zoomInB->setObjectName(QStringLiteral("zoomIn"));
    zoomInB->setShortcut(QKeySequence::ZoomIn);
    m_print = new QPushButton(tr("Print…"), this);
    m_print->setObjectName(QStringLiteral("printButton"));
    m_print->setShortcut(QKeySequence::Print);
    m_print->setEnabled(false);
    for (QPushButton* b : {zoomOutB, fitB, zoomInB}) tools->addWidget(b);
    tools->addStretch(1);
    tools->addWidget(m_print);
    layout->addLayout(tools);
    connect(zoomOutB, &QPushButton::clicked, this, &PreviewPage::zoomOut);
    connect(zoomInB, &QPushButton::clicked, this, &PreviewPage::zoomIn);
    connect(fitB, &QPushButton::clicked, this, &PreviewPage::fitWidth);
    connect(m_print, &QPushButton::clicked, this, &PreviewPage::printRequested);

    // The window's navigation bar shows this action; the page keeps its state.
    m_save = new QPushButton(tr("Save PDFs…"), this);
    m_save->setObjectName(QStringLiteral("savePdfButton"));
    m_save->hide();
    connect(m_save, &QPushButton::clicked, this, &PreviewPage::saveRequested);
}

void PreviewPage::setDocuments(const RenderedPdfs& pdfs, int errors) {
    m_pdfs = pdfs;
    m_formDoc->close();
    m_coverDoc->close();
    m_formBuffer.close();
    m_coverBuffer.close();
    m_formBuffer.setData(m_pdfs.form);
    m_coverBuffer.setData(m_pdfs.cover);
    m_formBuffer.open(QIODevice::ReadOnly);
    m_coverBuffer.open(QIODevice::ReadOnly);
    m_formDoc->load(&m_formBuffer);
    m_coverDoc->load(&m_coverBuffer);
    m_save->setEnabled(true);
    m_print->setEnabled(true);
    m_save->setText(pdfs.draft ? tr("Save draft PDFs…") : tr("Save PDFs…"));
    if (pdfs.draft) {
        setStyleTone(m_banner, "error");
        m_banner->setText(
            tr("This record still has %1: every page is marked \"DRAFT – NOT FOR SIGNATURE\". Fix "
               "the errors in the review step to get the final form.")
                .arg(errorsText(errors)));
    } else {
        setStyleTone(m_banner, "ok");
        m_banner->setText(
            tr("Ready to print. Sign the form by hand, in ink; lecert never types a signature."));
    }
}

void PreviewPage::showError(const QString& message) {
    m_pdfs = {};
    m_formDoc->close();
    m_coverDoc->close();
    m_save->setEnabled(false);
    m_print->setEnabled(false);
    setStyleTone(m_banner, "error");
    m_banner->setText(tr("The PDF could not be made: %1").arg(message));
}

QString PreviewPage::saveText() const {
    return m_save->isEnabled() ? m_save->text() : QString();
}

void PreviewPage::zoomIn() {
    for (QPdfView* v : {m_formView, m_coverView}) {
        const qreal from = v->zoomMode() == QPdfView::ZoomMode::Custom ? v->zoomFactor() : 1.0;
        v->setZoomMode(QPdfView::ZoomMode::Custom);
        v->setZoomFactor(std::min(from * 1.25, 4.0));
    }
}

void PreviewPage::zoomOut() {
    for (QPdfView* v : {m_formView, m_coverView}) {
        const qreal from = v->zoomMode() == QPdfView::ZoomMode::Custom ? v->zoomFactor() : 1.0;
        v->setZoomMode(QPdfView::ZoomMode::Custom);
        v->setZoomFactor(std::max(from / 1.25, 0.25));
    }
}

void PreviewPage::fitWidth() {
    for (QPdfView* v : {m_formView, m_coverView}) v->setZoomMode(QPdfView::ZoomMode::FitToWidth);
}

qreal PreviewPage::zoomFactor() const {
    return m_formView->zoomMode() == QPdfView::ZoomMode::Custom ? m_formView->zoomFactor() : 0.0;
}

bool PreviewPage::printShown(QPrinter& printer) const {
    QPdfDocument* doc = m_tabs->currentWidget() == m_coverView ? m_coverDoc : m_formDoc;
    if (doc->status() != QPdfDocument::Status::Ready || doc->pageCount() == 0) return false;
    QPainter painter;
    if (!painter.begin(&printer)) return false;
    for (int p = 0; p < doc->pageCount(); ++p) {
        if (p > 0 && !printer.newPage()) return false;
        const QRect target = painter.viewport();
        const QSizeF pts = doc->pagePointSize(p);
        // Render at the printer's resolution, scaled to fit the printable area.
        const qreal scale = std::min(target.width() / pts.width(), target.height() / pts.height());
        const QSize px(static_cast<int>(pts.width() * scale),
                       static_cast<int>(pts.height() * scale));
        const QImage image = doc->render(p, px);
        if (image.isNull()) return false;
        painter.drawImage(QPoint(0, 0), image);
    }
    return painter.end();
}

int PreviewPage::formPageCount() const {
    return m_formDoc->pageCount();
}
int PreviewPage::coverPageCount() const {
    return m_coverDoc->pageCount();
}

}  // namespace lecert::desktop
