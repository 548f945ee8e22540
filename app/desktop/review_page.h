// SPDX-License-Identifier: MIT
#pragma once
// ReviewPage: every issue of the record, by step (click one to jump to its field), and the way
// on to the PDF preview and export.

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace lecert::desktop {

class RecordModel;

class ReviewPage : public QWidget {
    Q_OBJECT
public:
    ReviewPage(RecordModel* model, QWidget* parent);
    void refresh();
    QTreeWidget* issueList() const { return m_list; }

Q_SIGNALS:
    void jumpRequested(const QString& path);
    void previewRequested();

private:
    RecordModel* m_model;
    QLabel* m_summary;
    QTreeWidget* m_list;
};

}  // namespace lecert::desktop
