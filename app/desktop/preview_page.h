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

Q_SIGNALS:
    void saveRequested();
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
};

}  // namespace lecert::desktop
