// SPDX-License-Identifier: MIT
#pragma once
// RegisterView: the agency's certification register beside the start screen (a tab of the
// main window). Without a register it is the settings page (an SQLite file or a PostgreSQL
// connection string, remembered in QSettings "register/…"); connected, it shows the queues
// (my drafts, returned to me, waiting for my review, approved, expiring, overdue) with the
// days left of each request, a search by victim name, case number or requester, and opens a
// request into the worksheet. Saving writes a new version into the register with its version
// check: a conflict is refused with a message, the officer's copy is kept in the register
// beside the other one and stays in the worksheet. Review actions of a register record go to
// the register (core/register), which records its authenticated user and the server's time.
// Everything goes through core's Register interface; officers without a register keep files.

#include <QPointer>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/register/register.h"
#include "core/review/review.h"
#include "core/util/date.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTreeWidget;

namespace lecert::desktop {

class MainWindow;
class ReviewController;

class RegisterView : public QWidget {
    Q_OBJECT
public:
    // Adds itself as the "Register" tab of `window`'s start screen and connects to the
    // remembered register, if any.
    explicit RegisterView(MainWindow* window);
    ~RegisterView() override;

    // Connects to `location` as `user` (SQLite; PostgreSQL uses its login) and remembers both.
    Status connectTo(const QString& location, const QString& user);
    void disconnectRegister();
    bool isConnected() const { return static_cast<bool>(m_register); }
    Register* registerConnection() const { return m_register.get(); }

    // Shows a queue / search results; the list of requests is re-read from the register.
    void showQueue(RegisterQueue queue);
    void search(const QString& text);
    void refresh();
    // Opens request `id` into the worksheet (a new worksheet of its form when it has no record
    // yet). False with a message when it cannot.
    bool openRequest(std::int64_t id);
    // The request and version the worksheet shows (0 = none).
    std::int64_t openRequestId() const { return m_openId; }
    int openVersion() const { return m_openVersion; }

    void setToday(std::optional<Date> today) { m_today = today; }
    QString lastMessage() const;

    QTreeWidget* requestList() const { return m_list; }
    QListWidget* queueList() const { return m_queues; }
    QLineEdit* searchEdit() const { return m_search; }
    QLineEdit* locationEdit() const { return m_location; }
    QLineEdit* userEdit() const { return m_user; }
    QPushButton* connectButton() const { return m_connect; }

private:
    QWidget* buildSettings();
    QWidget* buildQueues();
    void showRows(const Result<std::vector<RequestSummary>>& rows);
    void updateQueueCounts();
    Status saveOpen(const Json& record);
    Status act(ReviewAction action, const QString& note);
    // Puts the register's latest review history into the worksheet (after a save or action).
    void adoptStored(const StoredRecord& stored);
    void setMessage(const QString& text, bool error);
    Date today() const;

    QPointer<MainWindow> m_window;
    ReviewController* m_review = nullptr;
    std::unique_ptr<Register> m_register;
    std::optional<Date> m_today;
    std::int64_t m_openId = 0;
    int m_openVersion = 0;
    RegisterQueue m_queue = RegisterQueue::MyDrafts;

    QStackedWidget* m_pages = nullptr;  // settings / queues
    QRadioButton* m_sqlite = nullptr;
    QRadioButton* m_server = nullptr;
    QLineEdit* m_location = nullptr;
    QLineEdit* m_user = nullptr;
    QPushButton* m_connect = nullptr;
    QLabel* m_settingsMessage = nullptr;
    QLabel* m_connection = nullptr;
    QListWidget* m_queues = nullptr;
    QLineEdit* m_search = nullptr;
    QTreeWidget* m_list = nullptr;
    QLabel* m_message = nullptr;
};

}  // namespace lecert::desktop
