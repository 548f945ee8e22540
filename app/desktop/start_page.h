// SPDX-License-Identifier: MIT
#pragma once
// StartPage: new I-918B certification, new I-914B declaration, open a draft, and the recent
// drafts with victim, case number, status, last change and (I-918B) days left.

#include <QWidget>

#include <optional>
#include <vector>

#include "core/model/record.h"
#include "core/util/date.h"

class QCommandLinkButton;
class QTreeWidget;
class QVBoxLayout;

namespace lecert::desktop {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent);
    // Re-reads the recent drafts list and each file's summary.
    void refresh();
    void setToday(std::optional<Date> today) { m_today = today; }
    QTreeWidget* recentList() const { return m_recent; }

Q_SIGNALS:
    void newDraftRequested(lecert::FormId form);
    void openRequested();
    void openPathRequested(const QString& path);

private:
    QVBoxLayout* buildStartColumn(std::vector<QCommandLinkButton*>& buttons);
    QVBoxLayout* buildRecentColumn();

    QTreeWidget* m_recent;
    std::optional<Date> m_today;
};

}  // namespace lecert::desktop
