// SPDX-License-Identifier: MIT
#pragma once
// ReviewPanel: the supervisor review side panel. It shows the review status and who is acting,
// the Submit / Return / Approve buttons (enabled from the allowed actions) with a note box, the
// open comments and the fields changed since the last review (activate one to jump to its field),
// and the history as a timeline with the result of the hash-chain check. All actions go through
// the ReviewController.

#include <QWidget>

#include <string>

class QCheckBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;
class QVBoxLayout;

namespace lecert::desktop {

class RecordModel;
class ReviewController;

class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    ReviewPanel(ReviewController* controller, QWidget* parent);

    // Re-reads everything from the controller.
    void refresh();
    // Shows `text` as a refusal/error banner above the buttons ("" hides it).
    void showMessage(const QString& text);

    QPushButton* submitButton() const { return m_submit; }
    QPushButton* returnButton() const { return m_return; }
    QPushButton* approveButton() const { return m_approve; }
    QPlainTextEdit* noteEdit() const { return m_note; }
    QCheckBox* reviewModeBox() const { return m_mode; }
    QListWidget* commentList() const { return m_comments; }
    QListWidget* changeList() const { return m_changes; }
    QTextBrowser* historyView() const { return m_history; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* chainLabel() const { return m_chain; }
    QLabel* messageLabel() const { return m_message; }
    QLabel* actorLabel() const { return m_actor; }

    // "2.a  Victim's Family Name" for a field path (nearest item of the form), else the path.
    static QString fieldLabel(const RecordModel* model, const std::string& path);

private:
    // The constructor's parts, top to bottom.
    void buildStatus(QWidget* body, QVBoxLayout* layout);
    void buildActions(QWidget* body, QVBoxLayout* layout);
    void buildLists(QWidget* body, QVBoxLayout* layout);
    void buildHistory(QWidget* body, QVBoxLayout* layout);
    void connectController();
    void refreshLists(const RecordModel* model, bool loaded);
    void act(int action);

    ReviewController* m_ctl;
    QLabel* m_status = nullptr;
    QLabel* m_statusDetail = nullptr;
    QLabel* m_actor = nullptr;
    QCheckBox* m_mode = nullptr;
    QPlainTextEdit* m_note = nullptr;
    QPushButton* m_submit = nullptr;
    QPushButton* m_return = nullptr;
    QPushButton* m_approve = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_commentsTitle = nullptr;
    QListWidget* m_comments = nullptr;
    QLabel* m_changesTitle = nullptr;
    QListWidget* m_changes = nullptr;
    QTextBrowser* m_history = nullptr;
    QLabel* m_chain = nullptr;
};

}  // namespace lecert::desktop
