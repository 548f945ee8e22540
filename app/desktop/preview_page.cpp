// SPDX-License-Identifier: MIT
#include "desktop/preview_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPdfDocument>
#include <QPdfView>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

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
    m_save->setText(pdfs.draft ? tr("Save draft PDFs…") : tr("Save PDFs…"));
    if (pdfs.draft) {
        m_banner->setStyleSheet(
            QStringLiteral("background:#fdecea; color:%1; padding:8px; border-radius:4px;")
                .arg(errorColor().name()));
        m_banner->setText(
            tr("This record still has %1: every page is marked \"DRAFT – NOT FOR SIGNATURE\". Fix "
               "the errors in the review step to get the final form.")
                .arg(errorsText(errors)));
    } else {
        m_banner->setStyleSheet(
            QStringLiteral("background:#e8f5e9; color:%1; padding:8px; border-radius:4px;")
                .arg(okColor().name()));
        m_banner->setText(
            tr("Ready to print. Sign the form by hand, in ink; lecert never types a signature."));
    }
}

void PreviewPage::showError(const QString& message) {
    m_pdfs = {};
    m_formDoc->close();
    m_coverDoc->close();
    m_save->setEnabled(false);
    m_banner->setStyleSheet(
        QStringLiteral("background:#fdecea; color:%1; padding:8px; border-radius:4px;")
            .arg(errorColor().name()));
    m_banner->setText(tr("The PDF could not be made: %1").arg(message));
}

QString PreviewPage::saveText() const {
    return m_save->isEnabled() ? m_save->text() : QString();
}

int PreviewPage::formPageCount() const {
    return m_formDoc->pageCount();
}
int PreviewPage::coverPageCount() const {
    return m_coverDoc->pageCount();
}

}  // namespace lecert::desktop
