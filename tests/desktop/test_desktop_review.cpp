// SPDX-License-Identifier: MIT
// Supervisor review in the real desktop widgets (offscreen): the officer submits, the supervisor
// reads the worksheet read-only, comments on two fields and returns it; the officer finds the
// comments at their fields, fixes and resubmits; the supervisor sees the changed fields
// highlighted and approves; the exported cover says approved. Everything is read back from the
// widgets, the saved file and the PDF.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMap>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "desktop/app_style.h"
#include "desktop/comment_widgets.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/main_window.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_controller.h"
#include "desktop/review_panel.h"
#include "desktop/step_page.h"
#include "desktop_test_env.h"

using namespace lecert;
using namespace lecert::desktop;

namespace {

using TestWindow = desktop_test::QuietWindow;

Json readJson(const QString& path) {
    auto text = readFile(ss(path));
    if (!text) return {};
    auto j = parseJson(*text, ss(path));
    return j ? *j : Json();
}

std::string statusOnDisk(const QString& path) {
    const Json j = readJson(path);
    return std::string(review::toString(review::status(j)));
}

FieldBox* box(MainWindow& w, const std::string& path) {
    return w.findChild<FieldBox*>(QStringLiteral("box:") + qs(path));
}

FieldReviewStrip* strip(MainWindow& w, const std::string& path) {
    return w.findChild<FieldReviewStrip*>(QStringLiteral("review:") + qs(path));
}

int stepOf(const MainWindow& w, const std::string& partId) {
    for (int i = 0; i + 1 < w.stepCount(); ++i) {
        if (w.stepPage(i)->part().id == partId) return i;
    }
    return -1;
}

void showStepFor(MainWindow& w, const std::string& path) {
    w.goToStep(stepOf(w, w.model()->partIdFor(path)));
}

QStringList listTexts(QListWidget* list) {
    QStringList out;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->flags() & Qt::ItemIsEnabled) out << list->item(i)->text();
    }
    return out;
}

// Replaces the text of a line or plain-text field by typing, as the officer would.
void retype(MainWindow& w, const std::string& path, const QString& text) {
    showStepFor(w, path);
    QWidget* edit = w.findChild<QWidget*>(QStringLiteral("field:") + qs(path));
    QVERIFY2(edit, path.c_str());
    QVERIFY2(edit->isEnabled(), path.c_str());
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, text);
}

// The closed worksheet's pages are deleted later; delete them now so findChild sees the new ones.
void flushDeletes() {
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

QString pdfText(const QString& pdf) {
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(60000)) return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

}  // namespace

class ReviewFlowTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_tick = 0;
    int m_passphraseAsked = 0;
    // Each person's signing key, created once; the trusted keys file names them.
    QMap<QString, QString> m_keyFiles;
    bool m_confirmAnswer = true;  // the answer to the controller's yes/no questions
    QStringList m_questions;      // their texts

    void startWindow(TestWindow& w) {
        w.setAutosaveDelay(60000);
        w.resize(1500, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }

    // A pinned, advancing clock so that the history and the cover date are predictable.
    ReviewController* controllerOf(MainWindow& w) {
        auto* ctl = w.findChild<ReviewController*>();
        if (ctl) {
            ctl->setConfirmer([this](const QString&, const QString& text) {
                m_questions << text;
                return m_confirmAnswer;
            });
            ctl->setClock([this] {
                ++m_tick;
                return QStringLiteral("2025-04-%1T%2:00:00Z")
                    .arg(10 + m_tick / 20, 2, 10, QLatin1Char('0'))
                    .arg(8 + m_tick % 12, 2, 10, QLatin1Char('0'))
                    .toStdString();
            });
        }
        return ctl;
    }

    // A complete, valid I-918B without history, written where the officer keeps the case.
    QString writeCase(const QString& name) {
        Json j = readJson(QStringLiteral(LECERT_SOURCE_DIR "/examples/i918b-001-full.json"));
        j.erase("review");
        const QString path = m_dir.filePath(name);
        if (!writeFileAtomic(ss(path), dumpPretty(j), 0600).ok()) return {};
        return path;
    }

    static std::string passphraseOf(const QString& name) { return "passphrase of " + ss(name); }

    // The person at the desk: their key file and passphrase (the dialog's answer). The key is
    // unlocked now, so that the panel knows the name before the first action.
    void actAs(ReviewController* ctl, const QString& name) {
        QVERIFY2(m_keyFiles.contains(name), qPrintable(name));
        ctl->setKeyPath(m_keyFiles.value(name));
        ctl->setPassphrasePrompt([this, name](bool) -> std::optional<std::string> {
            ++m_passphraseAsked;
            return passphraseOf(name);
        });
        QVERIFY(ctl->unlockKey().ok());
        QCOMPARE(ctl->actorName(), name);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // An officer, a supervisor, and a second key of the officer trusted under another
        // spelling of his name (the self-approval check compares names case-insensitively).
        std::string trusted = "# test agency\n";
        for (const QString& name :
             {QStringLiteral("Ofc. Jordan Reyes"), QStringLiteral("Sgt. Dana Cole"),
              QStringLiteral("ofc. jordan reyes")}) {
            const QString file =
                m_dir.filePath(QStringLiteral("key-%1.pem").arg(m_keyFiles.size()));
            auto key = review::ReviewerKey::loadOrCreate(ss(file), passphraseOf(name));
            QVERIFY(key.ok());
            trusted += review::trustedKeyLine(*key, ss(name)) + "\n";
            m_keyFiles.insert(name, file);
        }
        const QString trustFile = m_dir.filePath(QStringLiteral("trusted-keys"));
        QVERIFY(writeFileAtomic(ss(trustFile), trusted, 0600).ok());
        qputenv("LECERT_TRUSTED_KEYS", trustFile.toLocal8Bit());
    }

    void supervisorReturnsOfficerFixesSupervisorApproves() {
        const QString path = writeCase(QStringLiteral("case.json"));
        QVERIFY(!path.isEmpty());
        TestWindow w;
        startWindow(w);
        ReviewController* ctl = controllerOf(w);
        QVERIFY(ctl);
        ReviewPanel* panel = ctl->panel();
        QVERIFY(panel);
        actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
        m_passphraseAsked = 0;

        // --- Officer: opens the case, submits it (first use asks for the name) --------------
        QVERIFY(w.openFile(path));
        QVERIFY2(!hasErrors(w.model()->issues()), "the example record must be complete");
        // A draft without review activity leaves the worksheet its room: no panel until asked.
        QVERIFY(!ctl->hasReviewActivity());
        QVERIFY(!ctl->dock()->isVisible());
        QVERIFY(ctl->showPanelAction());
        QVERIFY(!ctl->showPanelAction()->isChecked());
        ctl->showPanelAction()->trigger();
        QVERIFY(ctl->showPanelAction()->isChecked());
        QVERIFY(ctl->dock()->isVisible());
        QCOMPARE(ctl->status(), ReviewStatus::Draft);
        QVERIFY(panel->submitButton()->isEnabled());
        QVERIFY(!panel->returnButton()->isEnabled());
        QVERIFY(!panel->approveButton()->isEnabled());
        QVERIFY(!ctl->reviewMode());
        panel->noteEdit()->setPlainText(QStringLiteral("Ready for review"));
        QTest::mouseClick(panel->submitButton(), Qt::LeftButton);
        QCOMPARE(m_passphraseAsked, 1);  // the submission is signed: the key is unlocked for it
        QCOMPARE(ctl->actorName(), QStringLiteral("Ofc. Jordan Reyes"));
        // The acting name is shown, not typed: there is no field to change it in the panel.
        QVERIFY(panel->findChild<QLabel*>(QStringLiteral("reviewActor"))
                    ->text()
                    .contains(QStringLiteral("Ofc. Jordan Reyes")));
        QCOMPARE(statusOnDisk(path), std::string("submitted"));
        QVERIFY(!w.model()->isModified());
        QVERIFY(panel->noteEdit()->toPlainText().isEmpty());
        QCOMPARE(panel->statusLabel()->text(), QStringLiteral("Submitted for review"));

        // --- Supervisor: opens the submitted draft, read-only, comments on two fields ----------
        actAs(ctl, QStringLiteral("Sgt. Dana Cole"));
        QVERIFY(w.closeDraft());
        QVERIFY(!ctl->dock()->isVisible());
        flushDeletes();
        QVERIFY(w.openFile(path));
        QVERIFY(ctl->reviewMode());
        QVERIFY(panel->reviewModeBox()->isChecked());
        QVERIFY(!panel->submitButton()->isEnabled());
        QVERIFY(panel->returnButton()->isEnabled());
        QVERIFY(panel->approveButton()->isEnabled());
        QVERIFY(!box(w, "victim.family_name")->editor()->isEnabled());
        QVERIFY(!box(w, "crime.description")->editor()->isEnabled());
        // Nothing changed yet since the submission.
        QVERIFY(listTexts(panel->changeList()).isEmpty());
        QVERIFY(!strip(w, "victim.family_name")->changedShown());

        const std::pair<std::string, QString> comments[] = {
            {"victim.family_name", QStringLiteral("Spell the family name as on the passport.")},
            {"crime.description", QStringLiteral("Say where the assault took place.")},
        };
        for (const auto& [field, text] : comments) {
            showStepFor(w, field);
            FieldReviewStrip* s = strip(w, field);
            QVERIFY2(s && s->isVisible(), field.c_str());
            QVERIFY(s->addButton()->isVisible());
            QTest::mouseClick(s->addButton(), Qt::LeftButton);
            QVERIFY(s->commentEdit()->isVisible());
            QVERIFY(s->commentEdit()->isEnabled());  // comment boxes stay active in review mode
            QVERIFY(!s->postButton()->isEnabled());
            QTest::keyClicks(s->commentEdit(), text);
            QTest::mouseClick(s->postButton(), Qt::LeftButton);
            QCOMPARE(s->shownComments(), 1);
            QCOMPARE(s->commentText(), text);
            QVERIFY(s->commentEdit()->toPlainText().isEmpty());
        }
        QCOMPARE(listTexts(panel->commentList()).size(), 2);
        // Comments are saved as they are made.
        {
            const auto onDisk = review::comments(readJson(path), true);
            QCOMPARE(onDisk.size(), std::size_t{2});
            QCOMPARE(onDisk[0].field, std::string("victim.family_name"));
            QCOMPARE(onDisk[0].author, std::string("Sgt. Dana Cole"));
            QCOMPARE(onDisk[1].field, std::string("crime.description"));
        }
        // Returning needs a note: refused, with the reason shown in the panel.
        QTest::mouseClick(panel->returnButton(), Qt::LeftButton);
        QCOMPARE(ctl->status(), ReviewStatus::Submitted);
        QVERIFY(panel->messageLabel()->isVisible());
        QVERIFY2(panel->messageLabel()->text().contains(QStringLiteral("note")),
                 qPrintable(panel->messageLabel()->text()));
        panel->noteEdit()->setPlainText(QStringLiteral("Two fields need work, see the comments."));
        QTest::mouseClick(panel->returnButton(), Qt::LeftButton);
        QVERIFY(!panel->messageLabel()->isVisible());
        QCOMPARE(ctl->status(), ReviewStatus::Returned);
        QCOMPARE(statusOnDisk(path), std::string("returned"));
        // Comments are not signed; returning is: the passphrase was asked for it (never kept).
        QCOMPARE(m_passphraseAsked, 3);

        // --- Officer: sees both comments at their fields, jumps, fixes, resubmits --------------
        actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(path));
        QVERIFY(!ctl->reviewMode());
        QVERIFY(box(w, "victim.family_name")->editor()->isEnabled());
        for (const auto& [field, text] : comments) {
            QCOMPARE(strip(w, field)->shownComments(), 1);
            QCOMPARE(strip(w, field)->commentText(), text);
        }
        QCOMPARE(strip(w, "victim.given_name")->shownComments(), 0);
        QVERIFY(strip(w, "victim.given_name")->isHidden());
        QCOMPARE(panel->submitButton()->text(), QStringLiteral("Resubmit"));
        // Jump from the list of open comments to the field.
        QListWidget* list = panel->commentList();
        QCOMPARE(listTexts(list).size(), 2);
        QVERIFY(listTexts(list)[1].contains(QStringLiteral("Say where the assault took place.")));
        w.goToStep(0);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(list->item(1)).center());
        QCOMPARE(w.currentStep(), stepOf(w, w.model()->partIdFor("crime.description")));
        QCOMPARE(QApplication::focusWidget(),
                 w.findChild<QWidget*>(QStringLiteral("field:crime.description")));

        retype(w, "victim.family_name", QStringLiteral("Ramirez Nunez"));
        retype(w, "crime.description",
               QStringLiteral("The victim was assaulted in the parking lot of 200 Elm Street."));
        QVERIFY2(!hasErrors(w.model()->issues()), "the fixed record must still be complete");
        // Unsaved fixes already show as changes.
        QTRY_COMPARE(listTexts(panel->changeList()).size(), 2);
        for (const auto& [field, text] : comments) {
            auto* resolve = strip(w, field)->findChild<QPushButton*>(
                QStringLiteral("commentResolve:") +
                qs(review::comments(w.model()->record().json(), true).front().id));
            QVERIFY(resolve);
            QTest::mouseClick(resolve, Qt::LeftButton);
            QCOMPARE(strip(w, field)->shownComments(), 0);
        }
        QVERIFY(listTexts(panel->commentList()).isEmpty());
        QTest::mouseClick(panel->submitButton(), Qt::LeftButton);
        QCOMPARE(statusOnDisk(path), std::string("submitted"));
        {
            // The fixes went into the history as an `edited` event naming the two fields.
            const Json disk = readJson(path);
            bool found = false;
            for (const review::Event& e : review::events(disk)) {
                if (e.action == "edited" && e.actor == "Ofc. Jordan Reyes") {
                    found = e.fields ==
                            std::vector<std::string>{"victim.family_name", "crime.description"};
                }
            }
            QVERIFY(found);
            QVERIFY(review::verifyChain(disk).ok);
        }

        // --- Supervisor: sees the changed fields highlighted, approves -----------------------
        actAs(ctl, QStringLiteral("Sgt. Dana Cole"));
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(path));
        QVERIFY(ctl->reviewMode());
        for (const auto& [field, text] : comments) {
            QVERIFY2(box(w, field)->property("reviewChanged").toBool(), field.c_str());
            QVERIFY2(strip(w, field)->changedShown(), field.c_str());
        }
        QVERIFY(!box(w, "victim.given_name")->property("reviewChanged").toBool());
        QVERIFY(!box(w, "agency.case_number")->property("reviewChanged").toBool());
        const QStringList changed = listTexts(panel->changeList());
        QCOMPARE(changed.size(), 2);
        QVERIFY2(changed.join(QLatin1Char('|'))
                     .contains(QStringLiteral("Family Name"), Qt::CaseInsensitive),
                 qPrintable(changed.join(QLatin1Char('|'))));
        // The history: a timeline, chain verified.
        const QString history = panel->historyView()->toPlainText();
        QVERIFY2(history.contains(QStringLiteral("Returned to the officer")), qPrintable(history));
        QVERIFY(history.contains(QStringLiteral("Two fields need work, see the comments.")));
        QVERIFY(history.contains(QStringLiteral("Sgt. Dana Cole")));
        QVERIFY2(panel->chainLabel()->text().contains(QStringLiteral("hash chain verified")),
                 qPrintable(panel->chainLabel()->text()));

        panel->noteEdit()->setPlainText(QStringLiteral("Approved for signature."));
        QTest::mouseClick(panel->approveButton(), Qt::LeftButton);
        QCOMPARE(ctl->status(), ReviewStatus::Approved);
        QCOMPARE(statusOnDisk(path), std::string("approved"));
        QVERIFY(ctl->summary().approvalCurrent);
        QCOMPARE(panel->statusLabel()->text(), QStringLiteral("Approved"));
        QVERIFY(!panel->approveButton()->isEnabled());
        QVERIFY(listTexts(panel->changeList()).isEmpty());  // nothing changed since this review
        QVERIFY(!box(w, "victim.family_name")->property("reviewChanged").toBool());
        const std::string approvedAt = review::events(readJson(path)).back().at;
        const QString usDate = qs(approvedAt.substr(5, 2) + "/" + approvedAt.substr(8, 2) + "/" +
                                  approvedAt.substr(0, 4));

        // --- Export: the cover says approved -----------------------------------------------
        const QString pdf = m_dir.filePath(QStringLiteral("case.pdf"));
        QVERIFY(w.exportPdfs(pdf));
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        const QString cover = pdfText(m_dir.filePath(QStringLiteral("case-cover.pdf")));
        // The approval is signed with the supervisor's key, which the agency trusts: the cover
        // names her (core/review/signing.h), and core's verification agrees event by event.
        QVERIFY2(cover.contains(QStringLiteral("Approved by Sgt. Dana Cole on ") + usDate),
                 qPrintable(cover));
        QVERIFY(!cover.contains(QStringLiteral("UNVERIFIED")));
        {
            const Json disk = readJson(path);
            auto trust = review::TrustStore::load(qgetenv("LECERT_TRUSTED_KEYS").toStdString());
            QVERIFY(trust.ok());
            const auto sigs = review::verifySignatures(disk, *trust);
            QCOMPARE(sigs.size(), std::size_t{4});  // submitted, returned, submitted, approved
            for (const auto& sig : sigs) {
                QVERIFY2(sig.state == review::SignatureState::Trusted, sig.action.c_str());
            }
            QCOMPARE(sigs.back().action, std::string("approved"));
            QCOMPARE(sigs.back().keyName, std::string("Sgt. Dana Cole"));
            const auto approval = review::approvalStatus(disk, *trust);
            QVERIFY(approval.verified);
            QCOMPARE(approval.approvedBy, std::string("Sgt. Dana Cole"));
        }
        // The same approval by an untrusted key prints as unverified.
        {
            const QString untrusted = m_dir.filePath(QStringLiteral("nobody-trusts.txt"));
            QVERIFY(writeFileAtomic(ss(untrusted), "# empty\n", 0600).ok());
            const QByteArray saved = qgetenv("LECERT_TRUSTED_KEYS");
            qputenv("LECERT_TRUSTED_KEYS", untrusted.toLocal8Bit());
            QVERIFY(w.exportPdfs(pdf));
            qputenv("LECERT_TRUSTED_KEYS", saved);
            const QString c2 = pdfText(m_dir.filePath(QStringLiteral("case-cover.pdf")));
            QVERIFY2(c2.contains(QStringLiteral("APPROVAL UNVERIFIED")), qPrintable(c2));
        }

        // --- An edit after approval sends the record back to draft --------------------------
        ctl->setReviewMode(false);
        retype(w, "agency.case_number", QStringLiteral("RPD-2025-0143"));
        QVERIFY(w.save());
        QCOMPARE(statusOnDisk(path), std::string("draft"));
        QCOMPARE(ctl->status(), ReviewStatus::Draft);
        QVERIFY(review::verifyChain(readJson(path)).ok);
        QVERIFY(w.exportPdfs(pdf));
        const QString draftCover = pdfText(m_dir.filePath(QStringLiteral("case-cover.pdf")));
        QVERIFY(!draftCover.contains(QStringLiteral("Approved by")));
        QVERIFY2(draftCover.contains(QStringLiteral("DRAFT")), qPrintable(draftCover));
    }

    void theSubmitterCannotApproveAndApprovingAsksFirst() {
        const QString path = writeCase(QStringLiteral("duties.json"));
        TestWindow w;
        startWindow(w);
        ReviewController* ctl = controllerOf(w);
        ReviewPanel* panel = ctl->panel();
        actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
        QVERIFY(w.openFile(path));
        QVERIFY(ctl->submit(QString()).ok());
        QCOMPARE(ctl->lastSubmitter(), QStringLiteral("Ofc. Jordan Reyes"));
        // The officer tries to approve his own submission (with another spelling): refused.
        m_questions.clear();
        actAs(ctl, QStringLiteral("ofc. jordan reyes"));
        QTest::mouseClick(panel->approveButton(), Qt::LeftButton);
        QCOMPARE(ctl->status(), ReviewStatus::Submitted);
        QCOMPARE(statusOnDisk(path), std::string("submitted"));
        QVERIFY2(panel->messageLabel()->text().contains(QStringLiteral("different person")),
                 qPrintable(panel->messageLabel()->text()));
        QVERIFY(m_questions.isEmpty());
        // The supervisor is asked first; "No" leaves the record submitted.
        actAs(ctl, QStringLiteral("Sgt. Dana Cole"));
        m_confirmAnswer = false;
        QVERIFY(!ctl->approve(QString()).ok());
        QCOMPARE(m_questions.size(), 1);
        QVERIFY2(m_questions.front().contains(QStringLiteral("Sgt. Dana Cole")) &&
                     m_questions.front().contains(QStringLiteral("Ofc. Jordan Reyes")),
                 qPrintable(m_questions.front()));
        QCOMPARE(statusOnDisk(path), std::string("submitted"));
        m_confirmAnswer = true;
        QVERIFY(ctl->approve(QString()).ok());
        QCOMPARE(statusOnDisk(path), std::string("approved"));
        QVERIFY(ctl->reviewMode());  // approved: read-only until someone asks to edit
        // Leaving review mode asks and says the record returns to draft; "No" keeps it.
        m_questions.clear();
        m_confirmAnswer = false;
        ctl->setReviewMode(false);
        QVERIFY(ctl->reviewMode());
        QCOMPARE(m_questions.size(), 1);
        QVERIFY(m_questions.front().contains(QStringLiteral("returns it to draft")));
        m_confirmAnswer = true;
        ctl->setReviewMode(false);
        QVERIFY(!ctl->reviewMode());
        // A changed record is never badged "Approved", even before it is saved.
        retype(w, "agency.case_number", QStringLiteral("RPD-2025-0999"));
        QCOMPARE(ctl->status(), ReviewStatus::Approved);  // the file still says so
        QVERIFY2(!panel->statusLabel()->text().startsWith(QStringLiteral("Approved")),
                 qPrintable(panel->statusLabel()->text()));
        QVERIFY(w.save());
        QCOMPARE(statusOnDisk(path), std::string("draft"));
    }

    void approvalIsRefusedWhileTheRecordHasErrors() {
        const QString path = writeCase(QStringLiteral("errors.json"));
        TestWindow w;
        startWindow(w);
        ReviewController* ctl = controllerOf(w);
        actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
        QVERIFY(w.openFile(path));
        retype(w, "agency.address.zip", QStringLiteral("9"));
        QVERIFY(hasErrors(w.model()->issues()));
        QVERIFY(ctl->submit(QString()).ok());  // an officer may submit a record with errors
        actAs(ctl, QStringLiteral("Sgt. Dana Cole"));
        ReviewPanel* panel = ctl->panel();
        QVERIFY(panel->approveButton()->isEnabled());
        QTest::mouseClick(panel->approveButton(), Qt::LeftButton);
        QCOMPARE(ctl->status(), ReviewStatus::Submitted);
        QCOMPARE(statusOnDisk(path), std::string("submitted"));
        QVERIFY(panel->messageLabel()->isVisible());
        QVERIFY2(panel->messageLabel()->text().startsWith(QStringLiteral("Cannot approve")),
                 qPrintable(panel->messageLabel()->text()));
        QVERIFY2(panel->messageLabel()->text().contains(QStringLiteral("error")),
                 qPrintable(panel->messageLabel()->text()));
        QCOMPARE(ctl->lastMessage(), panel->messageLabel()->text());
    }

    void aTamperedHistoryIsShown() {
        const QString path = writeCase(QStringLiteral("tampered.json"));
        {
            TestWindow w;
            startWindow(w);
            ReviewController* ctl = controllerOf(w);
            actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
            QVERIFY(w.openFile(path));
            QVERIFY(ctl->submit(QStringLiteral("first look")).ok());
        }
        Json j = readJson(path);
        QVERIFY(j["review"]["events"].size() >= 2);
        j["review"]["events"][1]["note"] = "someone else's words";
        QVERIFY(writeFileAtomic(ss(path), dumpPretty(j), 0600).ok());
        TestWindow w;
        startWindow(w);
        ReviewController* ctl = controllerOf(w);
        QVERIFY(w.openFile(path));
        QVERIFY(!ctl->summary().chain.ok);
        const QString label = ctl->panel()->chainLabel()->text();
        QVERIFY2(label.contains(QStringLiteral("does not verify")) &&
                     label.contains(QStringLiteral("event 2")),
                 qPrintable(label));
        // A broken history is not approvable.
        actAs(ctl, QStringLiteral("Sgt. Dana Cole"));
        QVERIFY(!ctl->approve(QString()).ok());
        QCOMPARE(ctl->status(), ReviewStatus::Submitted);
    }

    void thePanelShowsWithReviewActivityUnlessTheUserChose() {
        const QString draft = writeCase(QStringLiteral("panel-draft.json"));
        const QString submitted = writeCase(QStringLiteral("panel-submitted.json"));
        {
            TestWindow w;
            startWindow(w);
            ReviewController* ctl = controllerOf(w);
            actAs(ctl, QStringLiteral("Ofc. Jordan Reyes"));
            QVERIFY(w.openFile(submitted));
            QVERIFY(ctl->submit(QString()).ok());
        }
        TestWindow w;
        startWindow(w);
        ReviewController* ctl = controllerOf(w);
        QAction* show = ctl->showPanelAction();
        QVERIFY(!ctl->dock()->isVisible());  // start screen
        // No choice made: a plain draft hides the panel, a submitted record shows it.
        QVERIFY(w.openFile(draft));
        QVERIFY(!ctl->dock()->isVisible());
        QVERIFY(!show->isChecked());
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(submitted));
        QVERIFY(ctl->hasReviewActivity());
        QVERIFY(ctl->dock()->isVisible());
        QVERIFY(show->isChecked());
        // The user hides it: that choice holds for the rest of the session, whatever is opened.
        show->trigger();
        QVERIFY(!ctl->dock()->isVisible());
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(submitted));
        QVERIFY(!ctl->dock()->isVisible());
        QVERIFY(!show->isChecked());
        // ... until shown again; closing the dock itself counts as a choice too.
        show->trigger();
        QVERIFY(ctl->dock()->isVisible());
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(draft));
        QVERIFY(ctl->dock()->isVisible());
        QVERIFY(ctl->dock()->close());
        QVERIFY(!show->isChecked());
        QVERIFY(w.closeDraft());
        flushDeletes();
        QVERIFY(w.openFile(submitted));
        QVERIFY(!ctl->dock()->isVisible());
    }
};

int main(int argc, char** argv) {
    desktop_test::prepareEnvironment();
    QApplication app(argc, argv);
    desktop_test::prepareApplication(app, QStringLiteral("lecert-desktop-review-test"),
                                     desktop_test::Style::App);
    ReviewFlowTest t;
    return desktop_test::run(t, argc, argv);
}

#include "test_desktop_review.moc"
