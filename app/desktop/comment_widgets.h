// SPDX-License-Identifier: MIT
#pragma once
// Review widgets that live inside a worksheet field box: FieldReviewStrip shows the open
// comments anchored at the field (or under it, e.g. a row of a group), a "changed since the last
// review" tag, and in review mode a box to add a comment. It holds no state of its own: the
// ReviewController owns the record and calls update().

#include <QFrame>

#include <string>
#include <vector>

#include "core/review/review.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QVBoxLayout;

namespace lecert::desktop {

class FieldReviewStrip : public QFrame {
    Q_OBJECT
public:
    // `fieldPath` is the item path of the box ("victim.family_name", "crime.dates").
    FieldReviewStrip(const std::string& fieldPath, QWidget* parent);

    const std::string& fieldPath() const { return m_path; }
    // True when a comment anchored at `commentField` belongs to this field.
    bool covers(const std::string& commentField) const;

    // Shows `openComments` (already filtered with covers()), the changed tag and the comment box.
    void update(const std::vector<review::Comment>& openComments, bool changed, bool canComment);

    int shownComments() const { return m_shown; }
    bool changedShown() const;
    // The text of the shown comments, one per line (tests, accessibility).
    QString commentText() const;
    QPlainTextEdit* commentEdit() const { return m_edit; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* postButton() const { return m_post; }

Q_SIGNALS:
    void commentRequested(const QString& field, const QString& text);
    void resolveRequested(const QString& id);

private:
    void setComposerOpen(bool open);

    std::string m_path;
    QLabel* m_changed = nullptr;
    QWidget* m_list = nullptr;
    QVBoxLayout* m_listLayout = nullptr;
    QPushButton* m_add = nullptr;
    QWidget* m_composer = nullptr;
    QPlainTextEdit* m_edit = nullptr;
    QPushButton* m_post = nullptr;
    QString m_signature;  // ids and texts of the cards shown, to skip needless rebuilds
    int m_shown = 0;
    bool m_canComment = false;
};

// A short local date and time for an ISO UTC timestamp ("Mar 14, 2025 10:02"); the input as is
// when it is not one.
QString reviewTimeText(const std::string& isoUtc);

}  // namespace lecert::desktop
