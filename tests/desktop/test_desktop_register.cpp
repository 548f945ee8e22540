// SPDX-License-Identifier: MIT
// The register view in the real desktop (offscreen) over an SQLite register in a temporary
// folder, populated through core's Register API: the settings page connects and is remembered,
// the queues show the core's requests with their days left, search finds a case number and a
// requester, a request opens into the worksheet and saves back as a new version, a save over
// someone else's newer version is refused with a clear message and both versions are kept,
// and submit / approve made in the desktop are register events by the register's users.
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "core/register/register.h"
#include "core/review/review.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "desktop/app_style.h"
#include "desktop/main_window.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/register_view.h"
#include "desktop/review_controller.h"
#include "desktop_test_env.h"

using namespace lecert;
using namespace lecert::desktop;

namespace {

using TestWindow = desktop_test::QuietWindow;

Date day(const char* iso) {
    return *Date::parseIso(iso);
}

const Date kToday = day("2026-11-28");

Json exampleRecord(const std::string& caseNumber) {
    auto text = readFile(LECERT_SOURCE_DIR "/examples/i918b-001-full.json");
    auto j = parseJson(text ? *text : std::string(), "example");
    Json out = j ? *j : Json();
    out.erase("review");
    out["agency"]["case_number"] = caseNumber;
    return out;
}

// The rows the view shows: request id -> (case number, days-left text).
QMap<qlonglong, QPair<QString, QString>> rowsOf(const RegisterView& v) {
    QMap<qlonglong, QPair<QString, QString>> out;
    QTreeWidget* list = v.requestList();
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* it = list->topLevelItem(i);
        out.insert(it->data(0, Qt::UserRole).toLongLong(), {it->text(1), it->text(8)});
    }
    return out;
}

void selectQueue(RegisterView& v, RegisterQueue q) {
    for (int i = 0; i < v.queueList()->count(); ++i) {
        if (v.queueList()->item(i)->data(Qt::UserRole).toInt() == static_cast<int>(q)) {
            v.queueList()->setCurrentRow(i);
            return;
        }
    }
    QFAIL("queue not listed");
}

}  // namespace

class RegisterViewTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::int64_t m_normal = 0, m_removal = 0, m_soon = 0;

    std::unique_ptr<Register> as(const char* user) {
        auto r = Register::open(ss(m_path), RegisterOptions{user});
        return r ? std::move(*r) : nullptr;
    }

    std::int64_t intake(Register& r, const Date& received, bool removal, const char* caseNumber,
                        const char* requester) {
        RequestIntake in;
        in.received = received;
        in.requesterKind = RequesterKind::Attorney;
        in.requesterName = requester;
        in.caseNumber = caseNumber;
        in.removalProceedings = removal;
        in.owner = "ofc_a";
        auto id = r.intake(in);
        return id ? *id : 0;
    }

    void startWindow(TestWindow& w, const char* user) {
        w.setAutosaveDelay(60000);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        RegisterView* v = w.findChild<RegisterView*>();
        QVERIFY(v);
        v->setToday(kToday);
        w.model()->setToday(kToday);
        if (v->isConnected() && qs(v->registerConnection()->user()) == QLatin1String(user)) return;
        // The settings page, as the officer fills it in.
        w.startTabs()->setCurrentIndex(1);
        v->locationEdit()->setText(m_path);
        v->userEdit()->setText(QLatin1String(user));
        QTest::mouseClick(v->connectButton(), Qt::LeftButton);
        QVERIFY2(v->isConnected(), qPrintable(v->lastMessage()));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("register.db"));
        auto boot = Register::open(ss(m_path), RegisterOptions{"sup_s"}, true);
        QVERIFY(boot.ok());
        RegisterInit init;
        init.jurisdiction = "US-CA";
        // One process acts as officer, supervisor and clerk: a trusted desk, not OS accounts.
        init.identity = RegisterIdentity::TrustedDesk;
        QVERIFY((*boot)->init(init).ok());
        for (const UserInfo& u : {UserInfo{"sup_s", RegisterRole::Supervisor, "svu"},
                                  UserInfo{"ofc_a", RegisterRole::Officer, "svu"},
                                  UserInfo{"clerk_c", RegisterRole::Clerk, "records"}})
            QVERIFY((*boot)->addUser(u).ok());
        auto clerk = as("clerk_c");
        QVERIFY(clerk);
        m_normal = intake(*clerk, day("2026-11-01"), false, "RPD-2026-0001", "Harbor Legal Aid");
        m_removal = intake(*clerk, day("2026-11-01"), true, "RPD-2026-0002", "Bayview Advocates");
        m_soon = intake(*clerk, day("2026-11-20"), true, "RPD-2026-0003", "Harbor Legal Aid");
        QVERIFY(m_normal && m_removal && m_soon);
        auto a = as("ofc_a");
        QVERIFY(a->saveRecord(m_normal, exampleRecord("RPD-2026-0001"), 0).ok());
    }

    void withoutARegisterTheTabIsTheSettingsPage() {
        TestWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        RegisterView* v = w.findChild<RegisterView*>();
        QVERIFY(v);
        QVERIFY(!v->isConnected());
        QCOMPARE(w.startTabs()->count(), 2);
        QCOMPARE(w.startTabs()->tabText(1), QStringLiteral("&Register"));
        w.startTabs()->setCurrentIndex(1);
        QVERIFY(v->connectButton()->isVisible());
        // A wrong location: a message, no connection, nothing remembered.
        v->locationEdit()->setText(m_dir.filePath(QStringLiteral("absent.db")));
        v->userEdit()->setText(QStringLiteral("ofc_a"));
        QTest::mouseClick(v->connectButton(), Qt::LeftButton);
        QVERIFY(!v->isConnected());
        QVERIFY(!v->lastMessage().isEmpty());
        QVERIFY(QSettings().value(QStringLiteral("register/location")).toString().isEmpty());
    }

    void theQueuesShowTheCoresRequestsWithDaysLeft() {
        TestWindow w;
        startWindow(w, "ofc_a");
        RegisterView* v = w.findChild<RegisterView*>();
        // Remembered: a new window connects by itself.
        QCOMPARE(QSettings().value(QStringLiteral("register/location")).toString(), m_path);
        {
            TestWindow again;
            RegisterView* v2 = again.findChild<RegisterView*>();
            QVERIFY(v2->isConnected());
            QCOMPARE(qs(v2->registerConnection()->user()), QStringLiteral("ofc_a"));
        }
        // Each queue lists exactly what core's queue returns, with its days left.
        auto core = as("ofc_a");
        for (RegisterQueue q : {RegisterQueue::MyDrafts, RegisterQueue::Expiring,
                                RegisterQueue::Overdue, RegisterQueue::All}) {
            selectQueue(*v, q);
            auto expected = core->queue(q, kToday);
            QVERIFY(expected.ok());
            const auto rows = rowsOf(*v);
            QCOMPARE(rows.size(), static_cast<qsizetype>(expected->size()));
            for (const RequestSummary& r : *expected) QVERIFY(rows.contains(r.id));
        }
        selectQueue(*v, RegisterQueue::MyDrafts);
        QVERIFY(rowsOf(*v).contains(m_normal));
        // California: 90 days from 11/01 is 01/30/2027 (63 days left); 14 in removal.
        selectQueue(*v, RegisterQueue::All);
        const auto all = rowsOf(*v);
        QCOMPARE(all.value(m_normal).first, QStringLiteral("RPD-2026-0001"));
        QCOMPARE(all.value(m_normal).second, QStringLiteral("63 days left"));
        QCOMPARE(all.value(m_removal).second, QStringLiteral("13 days overdue"));
        QCOMPARE(all.value(m_soon).second, QStringLiteral("6 days left"));
        selectQueue(*v, RegisterQueue::Overdue);
        QCOMPARE(rowsOf(*v).keys(), QList<qlonglong>{m_removal});
        selectQueue(*v, RegisterQueue::Expiring);
        QVERIFY(rowsOf(*v).contains(m_soon));
        QVERIFY(!rowsOf(*v).contains(m_normal));
        // The queue names carry their counts.
        QVERIFY2(v->queueList()->item(5)->text().contains(QStringLiteral("(1)")),
                 qPrintable(v->queueList()->item(5)->text()));

        // Search: a case number, a requester, a victim's name (typed, then Enter).
        v->searchEdit()->setFocus();
        QTest::keyClicks(v->searchEdit(), QStringLiteral("RPD-2026-0002"));
        QTest::keyClick(v->searchEdit(), Qt::Key_Return);
        QCOMPARE(rowsOf(*v).keys(), QList<qlonglong>{m_removal});
        v->searchEdit()->clear();
        QTest::keyClicks(v->searchEdit(), QStringLiteral("harbor"));
        QTest::keyClick(v->searchEdit(), Qt::Key_Return);
        QCOMPARE(rowsOf(*v).size(), 2);
        QVERIFY(rowsOf(*v).contains(m_normal) && rowsOf(*v).contains(m_soon));
        const std::string family =
            *exampleRecord("x")["victim"]["family_name"].get_ptr<const std::string*>();
        v->search(qs(family.substr(0, 3)));  // a prefix, as typed
        QCOMPARE(rowsOf(*v).keys(), QList<qlonglong>{m_normal});
    }

    void openEditSaveAndAConflictKeepsBothVersions() {
        TestWindow w;
        startWindow(w, "ofc_a");
        RegisterView* v = w.findChild<RegisterView*>();
        QVERIFY(v->openRequest(m_normal));
        QVERIFY(w.worksheetShown());
        QVERIFY(w.showsExternal());
        QCOMPARE(v->openVersion(), 1);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Request #%1").arg(m_normal)));
        QCOMPARE(qs(w.model()->record().string("agency.case_number")),
                 QStringLiteral("RPD-2026-0001"));
        // An edit saved into the register: version 2, with the new text.
        w.model()->setValue("crime.description", Json("Revised by the officer."));
        QVERIFY(w.save());
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        QVERIFY(!w.model()->isModified());
        QCOMPARE(v->openVersion(), 2);
        auto core = as("sup_s");
        auto stored = core->record(m_normal);
        QVERIFY(stored.ok());
        QCOMPARE(stored->version, 2);
        QCOMPARE(stored->record["crime"]["description"], Json("Revised by the officer."));

        // Someone else saves version 3 meanwhile; our next save is refused, clearly.
        Json theirs = stored->record;
        theirs["crime"]["description"] = "Revised by the supervisor.";
        QVERIFY(core->saveRecord(m_normal, theirs, 2).ok());
        w.model()->setValue("crime.description", Json("Second revision by the officer."));
        QVERIFY(!w.save());
        QCOMPARE(w.errors.size(), 1);
        QVERIFY2(w.errors.front().contains(QStringLiteral("Someone else saved request")) &&
                     w.errors.front().contains(QStringLiteral("both versions")),
                 qPrintable(w.errors.front()));
        // Both kept: theirs as the latest version, ours as the conflict copy and on screen.
        QVERIFY(w.model()->isModified());
        QCOMPARE(*w.model()->value("crime.description"), Json("Second revision by the officer."));
        auto latest = core->record(m_normal);
        QCOMPARE(latest->version, 3);
        QCOMPARE(latest->record["crime"]["description"], Json("Revised by the supervisor."));
        auto conflicts = core->conflicts(m_normal);
        QVERIFY(conflicts.ok());
        QCOMPARE(conflicts->size(), std::size_t{1});
        QCOMPARE(conflicts->front(), 2);
    }

    void aRequestWithoutARecordOpensANewWorksheetOfItsForm() {
        TestWindow w;
        startWindow(w, "ofc_a");
        RegisterView* v = w.findChild<RegisterView*>();
        QVERIFY(v->openRequest(m_soon));
        QCOMPARE(v->openVersion(), 0);
        QCOMPARE(w.model()->formId(), FormId::I918B);
        QCOMPARE(qs(w.model()->record().string("agency.case_number")),
                 QStringLiteral("RPD-2026-0003"));
        QVERIFY(w.save());
        QCOMPARE(as("ofc_a")->record(m_soon)->version, 1);
        // Opening a file afterwards leaves the register alone: saving needs a file again.
        QVERIFY(w.closeDraft());
        QVERIFY(!w.showsExternal());
        QCOMPARE(v->openRequestId(), 0);
    }

    void submitAndApproveAreRegisterEventsOfItsUsers() {
        std::int64_t id = 0;
        {
            auto clerk = as("clerk_c");
            id = intake(*clerk, day("2026-11-25"), false, "RPD-2026-0004", "Harbor Legal Aid");
            QVERIFY(as("ofc_a")->saveRecord(id, exampleRecord("RPD-2026-0004"), 0).ok());
        }
        {
            TestWindow w;
            startWindow(w, "ofc_a");
            auto* ctl = w.findChild<ReviewController*>();
            RegisterView* v = w.findChild<RegisterView*>();
            QVERIFY(v->openRequest(id));
            // The acting user is the register's, shown, not typed.
            QCOMPARE(ctl->actorName(), QStringLiteral("ofc_a"));
            QVERIFY2(ctl->submit(QStringLiteral("ready")).ok(), qPrintable(ctl->lastMessage()));
            QCOMPARE(ctl->status(), ReviewStatus::Submitted);
            QVERIFY(!w.model()->isModified());
        }
        auto sup = as("sup_s");
        auto waiting = sup->queue(RegisterQueue::WaitingForMyReview, kToday);
        QVERIFY(std::any_of(waiting->begin(), waiting->end(),
                            [id](const RequestSummary& r) { return r.id == id; }));
        QSettings().setValue(QStringLiteral("register/user"), QStringLiteral("sup_s"));
        TestWindow w;
        startWindow(w, "sup_s");
        auto* ctl = w.findChild<ReviewController*>();
        ctl->setConfirmer([](const QString&, const QString&) { return true; });
        RegisterView* v = w.findChild<RegisterView*>();
        selectQueue(*v, RegisterQueue::WaitingForMyReview);
        QVERIFY(rowsOf(*v).contains(id));
        QVERIFY(v->openRequest(id));
        QCOMPARE(ctl->actorName(), QStringLiteral("sup_s"));
        // A field comment would be replaced by the register's history on save: refused, said.
        QVERIFY(!ctl->addComment(QStringLiteral("victim.family_name"), QStringLiteral("x")).ok());
        QVERIFY(ctl->lastMessage().contains(QStringLiteral("note of Return")));
        QVERIFY2(ctl->approve(QStringLiteral("ok")).ok(), qPrintable(ctl->lastMessage()));
        QCOMPARE(ctl->status(), ReviewStatus::Approved);
        auto summary = sup->request(id, kToday);
        QCOMPARE(summary->status, std::string("approved"));
        QCOMPARE(summary->approvedBy, std::string("sup_s"));
        QCOMPARE(summary->submittedBy, std::string("ofc_a"));
        auto stored = sup->record(id);
        QVERIFY(review::verifyChain(stored->record).ok);
        auto anchor = sup->checkAnchor(stored->record);
        QVERIFY(anchor.ok() && anchor->current);
    }
};

int main(int argc, char** argv) {
    desktop_test::prepareEnvironment();
    QApplication app(argc, argv);
    desktop_test::prepareApplication(app, QStringLiteral("lecert-desktop-register-test"),
                                     desktop_test::Style::App);
    RegisterViewTest t;
    return desktop_test::run(t, argc, argv);
}

#include "test_desktop_register.moc"
