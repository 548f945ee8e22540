// SPDX-License-Identifier: MIT
// Drives the real lecert-desktop widgets (offscreen): type a whole I-918B into the editors,
// watch messages come and go, jump from an issue to its field, save and reopen, undo/redo,
// recover after a killed session, export and read the PDFs back.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPdfDocument>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

#include <sys/stat.h>

#include <csignal>
#include <cstdio>

#include "core/jobs/fill_job.h"
#include "core/pdf/pdf_io.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "desktop/app_style.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/help_panel.h"
#include "desktop/main_window.h"
#include "desktop/preview_page.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_page.h"
#include "desktop/step_page.h"
#include "desktop_test_env.h"

using namespace lecert;
using namespace lecert::desktop;

namespace {

// A window whose prompts are answered by the test.
// Every question is checked here: closing is cancelled and an orphaned draft recovered unless
// a test says otherwise.
class TestWindow : public desktop_test::QuietWindow {
public:
    TestWindow() {
        saveAnswer = QMessageBox::Cancel;
        recoveryAnswer = RecoveryChoice::Recover;
    }
};

int stepOf(const MainWindow& w, const std::string& partId) {
    for (int i = 0; i + 1 < w.stepCount(); ++i) {
        if (w.stepPage(i)->part().id == partId) return i;
    }
    return -1;
}

// Types text key by key (QTest::keyClicks only handles ASCII; names here have accents).
void typeText(QWidget* widget, const QString& text) {
    for (const QChar c : text) {
        if (c.unicode() < 128) {
            QTest::keyClick(widget, c.toLatin1());
        } else {
            QTest::sendKeyEvent(QTest::Press, widget, Qt::Key_unknown, QString(c), Qt::NoModifier);
            QTest::sendKeyEvent(QTest::Release, widget, Qt::Key_unknown, QString(c),
                                Qt::NoModifier);
        }
    }
}

QString fieldName(const std::string& path) {
    return QStringLiteral("field:") + qs(path);
}

// Goes to the step of `path` as the officer would (clicking it in the step list).
void showStepFor(MainWindow& w, const std::string& path) {
    const int step = stepOf(w, w.model()->partIdFor(path));
    QVERIFY2(step >= 0, path.c_str());
    QListWidget* list = w.stepList();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                      list->visualItemRect(list->item(step)).center());
    QCOMPARE(w.currentStep(), step);
}

void typeInto(MainWindow& w, const std::string& path, const QString& text) {
    showStepFor(w, path);
    QWidget* edit = w.findChild<QWidget*>(fieldName(path));
    QVERIFY2(edit, path.c_str());
    QVERIFY2(edit->isVisible(), path.c_str());
    edit->setFocus();
    typeText(edit, text);
}

void clickButton(MainWindow& w, const std::string& path, const QString& value) {
    showStepFor(w, path);
    auto* b = w.findChild<QAbstractButton*>(fieldName(path) + QLatin1Char(':') + value);
    QVERIFY2(b, (path + ":" + ss(value)).c_str());
    QVERIFY2(b->isVisible(), path.c_str());
    QTest::mouseClick(b, Qt::LeftButton);
}

// Picks a combo entry with the keyboard (Down arrow), as a keyboard user would.
void choose(MainWindow& w, const std::string& path, const QString& value) {
    showStepFor(w, path);
    auto* combo = w.findChild<QComboBox*>(fieldName(path));
    QVERIFY2(combo, path.c_str());
    combo->setFocus();
    for (int i = 0; i < combo->count() && combo->currentData().toString() != value; ++i) {
        QTest::keyClick(combo, Qt::Key_Down);
    }
    QCOMPARE(combo->currentData().toString(), value);
}

void addEntry(MainWindow& w, const std::string& path) {
    showStepFor(w, path);
    auto* b = w.findChild<QPushButton*>(fieldName(path) + QStringLiteral(":add"));
    QVERIFY2(b, path.c_str());
    QTest::mouseClick(b, Qt::LeftButton);
}

FieldBox* box(MainWindow& w, const std::string& path) {
    return w.findChild<FieldBox*>(QStringLiteral("box:") + qs(path));
}

std::string valueAt(MainWindow& w, const std::string& path) {
    return w.model()->record().string(path);
}

// Fills every item a valid I-918B needs by typing and clicking in the editors.
void fillI918b(MainWindow& w) {
    typeInto(w, "victim.family_name", QStringLiteral("Ramírez Núñez"));
    typeInto(w, "victim.given_name", QStringLiteral("José"));
    typeInto(w, "victim.date_of_birth", QStringLiteral("04/17/1991"));
    clickButton(w, "victim.gender", QStringLiteral("male"));
    typeInto(w, "agency.name", QStringLiteral("Riverton Police Department"));
    typeInto(w, "agency.official.family_name", QStringLiteral("Castillo"));
    typeInto(w, "agency.official.given_name", QStringLiteral("Marisol"));
    typeInto(w, "agency.official.title", QStringLiteral("Chief of Police"));
    clickButton(w, "agency.official.role", QStringLiteral("head"));
    typeInto(w, "agency.address.street", QStringLiteral("100 Main Street"));
    typeInto(w, "agency.address.city", QStringLiteral("Riverton"));
    choose(w, "agency.address.state", QStringLiteral("TX"));
    typeInto(w, "agency.address.zip", QStringLiteral("77001"));
    clickButton(w, "agency.type", QStringLiteral("local"));
    clickButton(w, "agency.case_status", QStringLiteral("ongoing"));
    clickButton(w, "agency.category", QStringLiteral("law_enforcement"));
    typeInto(w, "agency.case_number", QStringLiteral("RPD-2025-0142"));
    clickButton(w, "crime.activities", QStringLiteral("felonious_assault"));
    addEntry(w, "crime.dates");
    typeInto(w, "crime.dates[0]", QStringLiteral("03/14/2025"));
    typeInto(w, "crime.citations", QStringLiteral("Tex. Penal Code 22.02"));
    clickButton(w, "crime.occurred_in_us", QStringLiteral("true"));
    typeInto(w, "crime.description",
             QStringLiteral("The victim was assaulted by an acquaintance."));
    clickButton(w, "helpfulness.possesses_information", QStringLiteral("true"));
    clickButton(w, "helpfulness.helpful", QStringLiteral("true"));
    clickButton(w, "helpfulness.refused_or_failed", QStringLiteral("false"));
    clickButton(w, "family.implicated", QStringLiteral("false"));
    typeInto(w, "agency.official.phone", QStringLiteral("(512) 555-0142"));
    clickButton(w, "assistance.victim_specialist.contacted", QStringLiteral("true"));
    typeInto(w, "assistance.victim_specialist.name", QStringLiteral("Dana Whitfield"));
    clickButton(w, "assistance.continued_presence.status", QStringLiteral("not_applicable"));
}

QString errorList(const MainWindow& w) {
    QStringList out;
    for (const Issue& i : w.model()->issues()) {
        if (i.severity == Severity::Error) out << qs(i.field + " " + i.code);
    }
    return out.join(QStringLiteral(", "));
}

Json readJson(const QString& path) {
    auto text = readFile(ss(path));
    if (!text) return {};
    auto j = parseJson(*text, ss(path));
    return j ? *j : Json();
}

// The file's permission bits as the OS has them (0600 expected for anything with victim data).
unsigned modeOf(const QString& path) {
    struct stat st {};
    if (::stat(path.toLocal8Bit().constData(), &st) != 0) return 0xFFFF;
    return static_cast<unsigned>(st.st_mode) & 0777u;
}
constexpr unsigned kOwnerOnly = 0600;

QString pageText(QPdfDocument& doc) {
    QString all;
    for (int p = 0; p < doc.pageCount(); ++p) all += doc.getAllText(p).text() + QLatin1Char('\n');
    return all;
}

}  // namespace

class WorksheetTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    void startWindow(TestWindow& w) {
        w.setAutosaveDelay(50);
        w.resize(1300, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void startScreenOffersBothForms() {
        TestWindow w;
        startWindow(w);
        QVERIFY(!w.worksheetShown());
        auto* newU = w.findChild<QAbstractButton*>(QStringLiteral("newI918b"));
        QVERIFY(newU);
        QTest::mouseClick(newU, Qt::LeftButton);
        QVERIFY(w.worksheetShown());
        QCOMPARE(w.model()->formId(), FormId::I918B);
        // Steps come from forms/i918b.json: its parts, then Review.
        QCOMPARE(w.stepCount(), static_cast<int>(w.model()->form().parts.size()) + 1);
        QCOMPARE(w.stepPage(0)->findChild<QLabel*>(QStringLiteral("stepTitle"))->text(),
                 QStringLiteral("Part 1. Victim Information"));
        QVERIFY(w.closeDraft());
        auto* newT = w.findChild<QAbstractButton*>(QStringLiteral("newI914b"));
        QTest::mouseClick(newT, Qt::LeftButton);
        QCOMPARE(w.model()->formId(), FormId::I914B);
        QVERIFY(w.findChild<QWidget*>(QStringLiteral("field:trafficking.types:labor_trafficking")));
    }

    void createI918bFromScratchByTyping() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        fillI918b(w);
        QVERIFY2(!hasErrors(w.model()->issues()), qPrintable(errorList(w)));
        QCOMPARE(valueAt(w, "victim.family_name"), std::string("Ramírez Núñez"));
        QCOMPARE(valueAt(w, "victim.date_of_birth"),
                 std::string("1991-04-17"));  // typed MM/DD/YYYY, stored ISO
        QCOMPARE(valueAt(w, "crime.dates[0]"), std::string("2025-03-14"));
        QCOMPARE(valueAt(w, "agency.address.state"), std::string("TX"));
        QCOMPARE(*w.model()->value("helpfulness.refused_or_failed"), Json(false));
        QCOMPARE(*w.model()->value("crime.activities"), Json::array({"felonious_assault"}));
        QVERIFY(w.issueCountText().startsWith(QStringLiteral("0 errors")));
        // Every step of the form is complete now.
        const auto& parts = w.model()->form().parts;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].id == "additional") continue;  // optional, never started
            QCOMPARE(w.stepList()->item(static_cast<int>(i))->data(Qt::UserRole).toInt() == 1,
                     false);
            QVERIFY2(w.model()->countForPart(parts[i].id, Severity::Error) == 0,
                     parts[i].id.c_str());
        }
        w.saveAnswer = QMessageBox::Discard;
    }

    void createI914bFromScratchByTyping() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I914B));
        typeInto(w, "victim.family_name", QStringLiteral("Коваленко"));
        typeInto(w, "victim.given_name", QStringLiteral("Оксана"));
        typeInto(w, "victim.date_of_birth", QStringLiteral("05/02/1998"));
        clickButton(w, "victim.gender", QStringLiteral("female"));
        typeInto(w, "agency.name", QStringLiteral("Riverton Police Department"));
        typeInto(w, "agency.official.family_name", QStringLiteral("Okafor"));
        typeInto(w, "agency.official.given_name", QStringLiteral("Daniel"));
        typeInto(w, "agency.official.title", QStringLiteral("Detective"));
        typeInto(w, "agency.address.street", QStringLiteral("100 Main Street"));
        typeInto(w, "agency.address.city", QStringLiteral("Riverton"));
        choose(w, "agency.address.state", QStringLiteral("OR"));
        typeInto(w, "agency.address.zip", QStringLiteral("97001"));
        typeInto(w, "agency.official.phone", QStringLiteral("503-555-0187"));
        clickButton(w, "agency.type", QStringLiteral("local"));
        typeInto(w, "agency.case_number", QStringLiteral("RPD-2025-007731"));
        clickButton(w, "trafficking.types", QStringLiteral("labor_trafficking"));
        clickButton(w, "trafficking.labor_purposes", QStringLiteral("debt_bondage"));
        typeInto(w, "trafficking.start_date", QStringLiteral("02/10/2024"));
        typeInto(w, "trafficking.location", QStringLiteral("Riverton, Oregon"));
        typeInto(w, "trafficking.citations", QStringLiteral("18 U.S.C. 1589"));
        typeInto(w, "trafficking.description",
                 QStringLiteral("Held and made to work without pay."));
        typeInto(w, "trafficking.database_inquiries", QStringLiteral("No record found."));
        clickButton(w, "cooperation.complied_with_requests", QStringLiteral("true"));
        QVERIFY(!box(w, "cooperation.exception")->isVisible());  // only when she did not comply
        typeInto(w, "cooperation.description", QStringLiteral("Gave two interviews."));
        clickButton(w, "family.implicated", QStringLiteral("false"));
        typeInto(w, "agency.supervisor.family_name", QStringLiteral("Brennan"));
        typeInto(w, "agency.supervisor.given_name", QStringLiteral("Margaret"));
        typeInto(w, "agency.supervisor.title", QStringLiteral("Lieutenant"));
        clickButton(w, "assistance.victim_specialist.contacted", QStringLiteral("true"));
        typeInto(w, "assistance.victim_specialist.organization",
                 QStringLiteral("Riverton Victim Services"));
        clickButton(w, "assistance.continued_presence.status", QStringLiteral("not_applicable"));
        QVERIFY2(!hasErrors(w.model()->issues()), qPrintable(errorList(w)));
        QCOMPARE(valueAt(w, "victim.family_name"), std::string("Коваленко"));
        QCOMPARE(valueAt(w, "trafficking.start_date"), std::string("2024-02-10"));
        QCOMPARE(*w.model()->value("trafficking.labor_purposes"), Json::array({"debt_bondage"}));
        w.saveAnswer = QMessageBox::Discard;
    }

    void errorAppearsAndDisappears() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        // Nothing shows before the officer touches a field.
        QVERIFY(box(w, "agency.address.zip")->messageText().isEmpty());
        typeInto(w, "agency.address.zip", QStringLiteral("7700"));
        FieldBox* zip = box(w, "agency.address.zip");
        QVERIFY(zip->messageText().contains(QStringLiteral("ZIP")));
        QCOMPARE(zip->shownErrors(), 1);
        QVERIFY(zip->findChild<QLabel*>(QStringLiteral("message:agency.address.zip"))->isVisible());
        const int agency = stepOf(w, "agency");
        QVERIFY(w.stepList()
                    ->item(agency)
                    ->data(Qt::UserRole + 1)
                    .toString()
                    .contains(QStringLiteral("error")));
        QTest::keyClicks(w.findChild<QLineEdit*>(fieldName("agency.address.zip")),
                         QStringLiteral("1"));
        QCOMPARE(valueAt(w, "agency.address.zip"), std::string("77001"));
        QVERIFY(zip->messageText().isEmpty());
        QCOMPARE(zip->shownErrors(), 0);
        QVERIFY(
            !zip->findChild<QLabel*>(QStringLiteral("message:agency.address.zip"))->isVisible());
        // Leaving a required field empty shows its message once the officer moves on.
        QLineEdit* name = w.findChild<QLineEdit*>(fieldName("agency.name"));
        name->setFocus();
        QTest::keyClick(name, Qt::Key_Tab);
        QVERIFY(box(w, "agency.name")->messageText().contains(QStringLiteral("required")));
        w.saveAnswer = QMessageBox::Discard;
    }

    void conditionalItemsShowOnlyWhenTheyApply() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        showStepFor(w, "family.implicated");
        QVERIFY(!box(w, "family.members")->isVisible());
        clickButton(w, "family.implicated", QStringLiteral("true"));
        QVERIFY(box(w, "family.members")->isVisible());
        addEntry(w, "family.members");
        addEntry(w, "family.members");
        typeInto(w, "family.members[1].relationship", QStringLiteral("uncle"));
        QCOMPARE(valueAt(w, "family.members[1].relationship"), std::string("uncle"));
        // Removing the first row shifts the second up.
        auto* remove =
            w.findChild<QAbstractButton*>(QStringLiteral("field:family.members[0]:remove"));
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(valueAt(w, "family.members[0].relationship"), std::string("uncle"));
        QCOMPARE(w.findChild<QLineEdit*>(fieldName("family.members[0].relationship"))->text(),
                 QStringLiteral("uncle"));
        clickButton(w, "family.implicated", QStringLiteral("false"));
        QVERIFY(!box(w, "family.members")->isVisible());
        w.saveAnswer = QMessageBox::Discard;
    }

    void jumpFromAnIssueToItsField() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        fillI918b(w);
        QLineEdit* zip = w.findChild<QLineEdit*>(fieldName("agency.address.zip"));
        showStepFor(w, "agency.address.zip");
        zip->setFocus();
        QTest::keyClick(zip, Qt::Key_Backspace);  // 7700: an error
        QVERIFY(hasErrors(w.model()->issues()));
        w.goToStep(w.stepCount() - 1);
        QTreeWidget* list = w.reviewPage()->issueList();
        QTreeWidgetItem* target = nullptr;
        for (QTreeWidgetItemIterator it(list); *it; ++it) {
            if ((*it)->data(0, Qt::UserRole).toString() == QStringLiteral("agency.address.zip"))
                target = *it;
        }
        QVERIFY(target);
        QVERIFY(target->text(1).contains(QStringLiteral("ZIP")));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(target).center());
        QCOMPARE(w.currentStep(), stepOf(w, "agency"));
        QCOMPARE(QApplication::focusWidget(), zip);
        QVERIFY(w.helpPanel()->currentTitle().contains(QStringLiteral("ZIP")));
        w.saveAnswer = QMessageBox::Discard;
    }

    void saveReopenAndCompare() {
        const QString path = m_dir.filePath(QStringLiteral("saved.json"));
        Json saved;
        {
            TestWindow w;
            startWindow(w);
            QVERIFY(w.newDraft(FormId::I918B));
            fillI918b(w);
            typeInto(w, "victim.middle_name", QStringLiteral("  Luis  "));  // trimmed on save
            w.savePath = path;
            QVERIFY(w.save());
            QVERIFY(w.errors.isEmpty());
            QVERIFY(!w.model()->isModified());
            QCOMPARE(modeOf(path), kOwnerOnly);
            saved = readJson(path);
            QCOMPARE(saved, w.model()->savedJson());
            QCOMPARE(jsonAt(saved, "victim.middle_name")->get<std::string>(), std::string("Luis"));
        }
        TestWindow w;
        startWindow(w);
        QVERIFY(w.openFile(path));
        QCOMPARE(w.model()->record().json(), saved);
        QCOMPARE(w.findChild<QLineEdit*>(fieldName("victim.family_name"))->text(),
                 QStringLiteral("Ramírez Núñez"));
        QCOMPARE(w.findChild<QLineEdit*>(fieldName("victim.date_of_birth"))->text(),
                 QStringLiteral("04/17/1991"));
        QVERIFY(w.findChild<QRadioButton*>(fieldName("victim.gender") + QStringLiteral(":male"))
                    ->isChecked());
        QVERIFY(w.findChild<QCheckBox*>(fieldName("crime.activities") +
                                        QStringLiteral(":felonious_assault"))
                    ->isChecked());
        QCOMPARE(
            w.findChild<QComboBox*>(fieldName("agency.address.state"))->currentData().toString(),
            QStringLiteral("TX"));
        // The draft is listed on the start screen with its case number.
        QVERIFY(w.closeDraft());
        QTreeWidget* recent = w.findChild<QTreeWidget*>(QStringLiteral("recentDrafts"));
        QVERIFY(recent->topLevelItemCount() >= 1);
        QCOMPARE(recent->topLevelItem(0)->text(1), QStringLiteral("RPD-2025-0142"));
        QCOMPARE(recent->topLevelItem(0)->text(2), QStringLiteral("I-918B"));
    }

    void unknownKeysSurviveASave() {
        Json record = readJson(QStringLiteral(LECERT_SOURCE_DIR "/examples/i918b-001-full.json"));
        QVERIFY(record.is_object());
        record["x_agency_system"] = {{"ticket", "CMS-77"}};
        record["victim"]["x_note"] = "kept";
        const QString path = m_dir.filePath(QStringLiteral("unknown.json"));
        QVERIFY(writeFileAtomic(ss(path), dumpPretty(record), 0600).ok());
        TestWindow w;
        startWindow(w);
        QVERIFY(w.openFile(path));
        typeInto(w, "agency.case_number", QStringLiteral("-B"));
        QVERIFY(w.save());
        const Json back = readJson(path);
        QCOMPARE(*jsonAt(back, "x_agency_system.ticket"), Json("CMS-77"));
        QCOMPARE(*jsonAt(back, "victim.x_note"), Json("kept"));
        QVERIFY(jsonAt(back, "agency.case_number")->get<std::string>().ends_with("-B"));
    }

    void undoAndRedo() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        typeInto(w, "victim.family_name", QStringLiteral("Abc"));
        QLineEdit* edit = w.findChild<QLineEdit*>(fieldName("victim.family_name"));
        QCOMPARE(valueAt(w, "victim.family_name"), std::string("Abc"));
        QVERIFY(w.model()->isModified());
        // The platform's own Undo/Redo keys (Ctrl+Z, Ctrl+Y or Ctrl+Shift+Z).
        const QKeyCombination undoKey = QKeySequence(QKeySequence::Undo)[0];
        const QKeyCombination redoKey = QKeySequence(QKeySequence::Redo)[0];
        QTest::keyClick(edit, undoKey.key(),
                        undoKey.keyboardModifiers());  // one step for the whole word
        QVERIFY(!w.model()->record().has("victim.family_name"));
        QCOMPARE(edit->text(), QString());
        QTest::keyClick(edit, redoKey.key(), redoKey.keyboardModifiers());
        QCOMPARE(valueAt(w, "victim.family_name"), std::string("Abc"));
        QCOMPARE(edit->text(), QStringLiteral("Abc"));
        clickButton(w, "victim.gender", QStringLiteral("female"));
        w.model()->undoStack()->undo();
        QVERIFY(!w.model()->record().has("victim.gender"));
        QVERIFY(!w.findChild<QRadioButton*>(fieldName("victim.gender") + QStringLiteral(":female"))
                     ->isChecked());
        w.saveAnswer = QMessageBox::Discard;
    }

    void closingAsksAboutUnsavedWork() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        typeInto(w, "victim.family_name", QStringLiteral("Keep"));
        w.saveAnswer = QMessageBox::Cancel;
        QVERIFY(!w.close());
        QCOMPARE(w.saveAsked, 1);
        QVERIFY(w.isVisible());
        w.saveAnswer = QMessageBox::Save;
        w.savePath = m_dir.filePath(QStringLiteral("closing.json"));
        QVERIFY(w.close());
        QCOMPARE(w.saveAsked, 2);
        QCOMPARE(*jsonAt(readJson(w.savePath), "victim.family_name"), Json("Keep"));
    }

    void recoversAfterTheAppWasKilled() {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LECERT_DESKTOP_CRASH_CHILD"), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(120000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);  // SIGKILL: no clean-up ran
        const QString recovery = QString::fromUtf8(child.readAllStandardOutput()).trimmed();
        QVERIFY2(QFile::exists(recovery), qPrintable(recovery));
        QCOMPARE(modeOf(recovery), kOwnerOnly);

        TestWindow w;
        startWindow(w);
        w.recoveryAnswer = TestWindow::RecoveryChoice::Recover;
        QVERIFY(w.offerRecovery());
        QCOMPARE(w.recoveryAsked, 1);
        QCOMPARE(valueAt(w, "victim.family_name"), std::string("Crashford"));
        QCOMPARE(valueAt(w, "agency.case_number"), std::string("K-9"));
        QVERIFY(w.model()->isModified());
        QVERIFY(!QFile::exists(recovery));
        // Only a crashed session's copy is offered: our own live one is not.
        QTRY_VERIFY(w.recoveryFile()->exists());
        TestWindow other;
        QVERIFY(!other.offerRecovery());
        QCOMPARE(other.recoveryAsked, 0);
        w.saveAnswer = QMessageBox::Discard;
    }

    void exportTheOfficialForm() {
        // The stand-in of the official I-918B (tests/official_standin), filled through the
        // same core call as `lecert fill --official`.
        const QString official = desktop_test::makeOfficialStandin(m_dir.path());
        QVERIFY(!official.isEmpty());
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        fillI918b(w);
        QVERIFY2(!hasErrors(w.model()->issues()), qPrintable(errorList(w)));
        const QString out = m_dir.filePath(QStringLiteral("official.pdf"));
        QVERIFY(w.exportOfficialPdf(official, out));
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        QCOMPARE(modeOf(out), kOwnerOnly);
        auto original = readFile(ss(official));
        auto filled = readFile(ss(out));
        QVERIFY(original.ok() && filled.ok());
        QVERIFY(filled->compare(0, original->size(), *original) == 0);
        auto values = pdf::readFieldValues(*filled);
        QVERIFY(values.ok());
        QCOMPARE(values->at("form1[0].#subform[0].Pt1Line2a_FamilyName[0]"),
                 std::string("Ramírez Núñez"));
        QCOMPARE(values->at("form1[0].#subform[0].Part2_Line9_CaseNumber[0]"),
                 std::string("RPD-2025-0142"));
        // The worksheet is not an official PDF: refused with a message, nothing written.
        const QString ws = m_dir.filePath(QStringLiteral("ws.pdf"));
        QVERIFY(w.exportPdfs(ws));
        w.errors.clear();
        QVERIFY(!w.exportOfficialPdf(ws, m_dir.filePath(QStringLiteral("bad.pdf"))));
        QVERIFY(!w.errors.isEmpty());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("bad.pdf"))));
    }

    void exportAndReadThePdfBack() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        fillI918b(w);
        QVERIFY2(!hasErrors(w.model()->issues()), qPrintable(errorList(w)));
        QVERIFY(w.showPreview());
        QVERIFY(!w.previewPage()->documents().draft);
        QVERIFY(w.previewPage()->formPageCount() >= 1);
        QVERIFY(w.previewPage()->coverPageCount() >= 1);

        const QString out = m_dir.filePath(QStringLiteral("final.pdf"));
        QVERIFY(w.exportPdfs(out));
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        const QString cover = m_dir.filePath(QStringLiteral("final-cover.pdf"));
        QCOMPARE(modeOf(out), kOwnerOnly);
        QCOMPARE(modeOf(cover), kOwnerOnly);
        QVERIFY(QFile::exists(cover));
        // The PDF carries the record: what comes back is what the worksheet holds.
        auto embedded = extractRecord(ss(out));
        QVERIFY2(embedded.ok(), embedded.ok() ? "" : embedded.error().message.c_str());
        auto back = parseJson(*embedded, "embedded");
        QVERIFY(back.ok());
        QCOMPARE(*jsonAt(*back, "victim.family_name"), Json("Ramírez Núñez"));
        QCOMPARE(*jsonAt(*back, "agency.case_number"), Json("RPD-2025-0142"));
        QPdfDocument form;
        QCOMPARE(form.load(out), QPdfDocument::Error::None);
        QVERIFY(pageText(form).contains(QStringLiteral("Supplement B")));
        QVERIFY(!pageText(form).contains(QStringLiteral("DRAFT")));
        QPdfDocument coverDoc;
        QCOMPARE(coverDoc.load(cover), QPdfDocument::Error::None);
        QVERIFY(pageText(coverDoc).contains(QStringLiteral("RPD-2025-0142")));

        // With an error, only a watermarked draft comes out.
        typeInto(w, "agency.address.zip", QStringLiteral("9"));
        QVERIFY(hasErrors(w.model()->issues()));
        const QString draft = m_dir.filePath(QStringLiteral("draft.pdf"));
        QVERIFY(w.exportPdfs(draft));
        QPdfDocument draftDoc;
        QCOMPARE(draftDoc.load(draft), QPdfDocument::Error::None);
        QVERIFY(pageText(draftDoc).contains(QStringLiteral("DRAFT")));
        QVERIFY(w.showPreview());
        QVERIFY(w.previewPage()->documents().draft);
        w.saveAnswer = QMessageBox::Discard;
    }

    void longOptionsWrapAndTheirTextTicksTheBox() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I914B));
        showStepFor(w, "trafficking.types");
        auto* labor = w.findChild<QCheckBox*>(fieldName("trafficking.types") +
                                              QStringLiteral(":labor_trafficking"));
        QVERIFY(labor);
        // The long label is a wrapped label beside the box, not cut off on one line.
        auto* label = labor->parentWidget()->findChild<QLabel*>();
        QVERIFY(label);
        QVERIFY(label->wordWrap());
        QVERIFY(label->text().startsWith(QStringLiteral("Labor trafficking")));
        QVERIFY(labor->accessibleName().startsWith(QStringLiteral("Labor trafficking")));
        QTest::mouseClick(label, Qt::LeftButton);
        QVERIFY(labor->isChecked());
        QCOMPARE(*w.model()->value("trafficking.types"), Json::array({"labor_trafficking"}));
        // Labor trafficking brings up its purposes (a conditional item).
        QVERIFY(box(w, "trafficking.labor_purposes")->isVisible());
        auto* page = w.stepPage(w.currentStep());
        QVERIFY(page->widget()->width() <= page->viewport()->width());  // no horizontal scrolling
        w.saveAnswer = QMessageBox::Discard;
    }

    void badFilesAreExplainedNotOpened() {
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(writeFileAtomic(ss(broken), "{\n  \"form\": \"i918b\",\n  \"victim\": {\n}", 0600)
                    .ok());
        const QString notRecord = m_dir.filePath(QStringLiteral("list.json"));
        QVERIFY(writeFileAtomic(ss(notRecord), "{\"form\": \"i999\"}", 0600).ok());
        TestWindow w;
        startWindow(w);
        QVERIFY(!w.openFile(broken));
        QCOMPARE(w.errors.size(), 1);
        QVERIFY2(w.errors[0].contains(QStringLiteral("broken.json:")),
                 qPrintable(w.errors[0]));  // names file and line
        QVERIFY(!w.worksheetShown());
        QVERIFY(!w.openFile(notRecord));
        QVERIFY2(w.errors[1].contains(QStringLiteral("i918b")), qPrintable(w.errors[1]));
        QVERIFY(!w.openFile(m_dir.filePath(QStringLiteral("missing.json"))));
        QCOMPARE(w.errors.size(), 3);
        QVERIFY(!w.worksheetShown());
    }

    void windowStateIsRemembered() {
        QSize saved;
        {
            TestWindow w;
            startWindow(w);
            w.resize(777, 555);
            saved = w.size();
            QVERIFY(w.close());
        }
        TestWindow w;
        // The saved size comes back when it fits the screen (minus room for a frame); a size
        // larger than the screen (200 % scaling of the small offscreen screen) is shrunk.
        const QRect avail = w.screen()->availableGeometry();
        if (saved.width() <= avail.width() - 8 && saved.height() <= avail.height() - 40) {
            QCOMPARE(w.size(), saved);
        } else {
            QVERIFY(w.width() <= avail.width() && w.height() <= avail.height());
        }
    }

    void stepNamesAreNotCutOff() {
        for (FormId form : {FormId::I918B, FormId::I914B}) {
            TestWindow w;
            startWindow(w);
            QVERIFY(w.newDraft(form));
            QListWidget* list = w.stepList();
            const QFontMetrics fm(list->font());
            for (int i = 0; i < list->count(); ++i) {
                // Icon, paddings and text as the step delegate paints them.
                const int needed =
                    14 + fm.height() + 4 + 10 + fm.horizontalAdvance(list->item(i)->text()) + 8;
                QVERIFY2(needed <= list->viewport()->width(), qPrintable(list->item(i)->text()));
                const int subNeeded =
                    14 + fm.height() + 4 + 10 +
                    fm.horizontalAdvance(list->item(i)->data(Qt::UserRole + 1).toString()) * 88 /
                        100 +
                    8;
                QVERIFY2(subNeeded <= list->viewport()->width(),
                         qPrintable(list->item(i)->data(Qt::UserRole + 1).toString()));
            }
            w.saveAnswer = QMessageBox::Discard;
        }
    }

    void keyboardAndAccessibility() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        for (int i = 0; i + 1 < w.stepCount(); ++i) {
            for (FieldBox* b : w.stepPage(i)->fieldBoxes()) {
                QWidget* target = b->editor()->focusTarget();
                if (!target) continue;  // the wet-ink signature box
                QVERIFY2(!target->accessibleName().isEmpty(), b->path().c_str());
            }
        }
        QLineEdit* family = w.findChild<QLineEdit*>(fieldName("victim.family_name"));
        showStepFor(w, "victim.family_name");
        family->setFocus();
        QTest::keyClick(family, Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(),
                 w.findChild<QLineEdit*>(fieldName("victim.given_name")));
        // From the step list, Tab goes into the page's first field; past the last field of the
        // page it reaches the navigation buttons.
        w.stepList()->setFocus();
        QTest::keyClick(w.stepList(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(),
                 w.findChild<QLineEdit*>(fieldName("victim.a_number")));
        auto* male =
            w.findChild<QRadioButton*>(fieldName("victim.gender") + QStringLiteral(":male"));
        QTest::mouseClick(male, Qt::LeftButton);
        QCOMPARE(QApplication::focusWidget(), male);
        QTest::keyClick(male, Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget()->objectName() + QLatin1Char('/') +
                     QString::fromLatin1(QApplication::focusWidget()->metaObject()->className()),
                 QStringLiteral("nextButton/QPushButton"));
        family->setFocus();
        // Ctrl+PgDown goes to the next step.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(w.currentStep(), 1);
    }
};

namespace {

// The child of recoversAfterTheAppWasKilled: type, wait for the recovery copy, die hard.
int crashChild() {
    MainWindow w;
    w.setAutosaveDelay(50);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w) || !w.newDraft(FormId::I918B)) return 3;
    QTest::keyClicks(w.findChild<QLineEdit*>(QStringLiteral("field:victim.family_name")),
                     QStringLiteral("Crashford"));
    QTest::keyClicks(w.findChild<QLineEdit*>(QStringLiteral("field:agency.case_number")),
                     QStringLiteral("K-9"));
    if (!QTest::qWaitFor([&] { return w.recoveryFile()->exists(); }, 20000)) return 4;
    // Wait for the copy that has the last keystroke.
    (void)QTest::qWaitFor(
        [&] {
            const Json j = readJson(w.recoveryFile()->path());
            const Json* v = jsonAt(j, "record.agency.case_number");
            return v && *v == Json("K-9");
        },
        20000);
    std::printf("%s\n", w.recoveryFile()->path().toLocal8Bit().constData());
    std::fflush(stdout);
    std::raise(SIGKILL);
    return 5;
}

}  // namespace

int main(int argc, char** argv) {
    desktop_test::prepareEnvironment();
    QApplication app(argc, argv);
    desktop_test::prepareApplication(app, QStringLiteral("lecert-desktop-test"),
                                     desktop_test::Style::App);
    if (qEnvironmentVariableIsSet("LECERT_DESKTOP_CRASH_CHILD")) return crashChild();
    WorksheetTest test;
    return desktop_test::run(test, argc, argv);
}

#include "test_desktop_worksheet.moc"
