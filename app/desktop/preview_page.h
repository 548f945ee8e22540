// SPDX-License-Identifier: MIT
#pragma once
// PreviewPage: the filled form and the cover summary as they will be saved (Qt PDF view), and
// the button that saves them.

#include <QBuffer>
#include <QWidget>

#include "desktop/document_renderer.h"

class QLabel;
class QPdfDocument;
class QPdfView;
class QPrinter;
class QPushButton;
class QTabWidget;

namespace lecert::desktop {

class PreviewPage : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPage(QWidget* parent);
    // Shows the documents; `errors` is the number of validation errors (for the banner).
    void setDocuments(const RenderedPdfs& pdfs, int errors);
    void showError(const QString& message);
    const RenderedPdfs& documents() const { return m_pdfs; }
    // "Save PDFs…" or "Save draft PDFs…"; empty when there is nothing to save.
    QString saveText() const;
    int formPageCount() const;
    int coverPageCount() const;
    // Zoom of both views: in/out by 25 %, or back to the page width. zoomFactor() is 0 while
    // fitting the width.
    void zoomIn();
    void zoomOut();
    void fitWidth();
    qreal zoomFactor() const;
    // Prints the document of the tab shown (form or cover) on `printer`, page by page at the
    // printer's resolution. False when there is nothing to print or painting fails.
    bool printShown(QPrinter& printer) const;

Q_SIGNALS:
    void saveRequested();
    void printRequested();
    void backRequested();

private:
    RenderedPdfs m_pdfs;
    QLabel* m_banner;
    QTabWidget* m_tabs;
    QPdfDocument* m_formDoc;
    QPdfDocument* m_coverDoc;
    QPdfView* m_formView;
    QPdfView* m_coverView;
    QBuffer m_formBuffer;
    QBuffer m_coverBuffer;
    QPushButton* m_save;
    QPushButton* m_print;
};

}  // namespace lecert::desktop
