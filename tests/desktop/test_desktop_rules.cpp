// SPDX-License-Identifier: MIT
// The form's rules as the officer meets them in the real widgets (offscreen): answers to items
// hidden by their show_if (every show_if of both forms), dates typed as officers type them,
// messages in the form's words.
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QPdfDocument>
#include <QPlainTextEdit>
#include <QPrinter>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTreeWidget>
#include <QtTest>

#include "core/model/applicability.h"
#include "core/rules/validator.h"
#include "desktop/drafts.h"
#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/main_window.h"
#include "desktop/preview_page.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/review_page.h"
#include "desktop/spell_check.h"
#include "desktop/step_page.h"
#include "desktop_test_env.h"

using namespace lecert;
using namespace lecert::desktop;

namespace {

using TestWindow = desktop_test::QuietWindow;

int stepOf(const MainWindow& w, const std::string& partId) {
    for (int i = 0; i + 1 < w.stepCount(); ++i) {
        if (w.stepPage(i)->part().id == partId) return i;
    }
    return -1;
}

FieldBox* box(MainWindow& w, const std::string& path) {
    return w.findChild<FieldBox*>(QStringLiteral("box:") + qs(path));
}

// Values that make `c` hold / fail, set through the model as the editors do.
void satisfy(RecordModel* m, const Condition& c) {
    switch (c.op) {
        case Condition::Op::Equals:
            m->setValue(c.path, c.value);
            break;
        case Condition::Op::NotEquals:
            m->setValue(c.path, Json());
            break;
        case Condition::Op::Contains:
            m->setValue(c.path, Json::array({c.value}));
            break;
        case Condition::Op::In:
            m->setValue(c.path, c.values.front());
            break;
        case Condition::Op::All:
            for (const auto& ch : c.children) satisfy(m, ch);
            break;
        case Condition::Op::Any:
            satisfy(m, c.children.front());
            break;
    }
}

void violate(RecordModel* m, const Condition& c) {
    switch (c.op) {
        case Condition::Op::Equals:
            m->setValue(c.path, c.value.is_boolean() ? Json(!c.value.get<bool>()) : Json());
            break;
        case Condition::Op::NotEquals:
            m->setValue(c.path, c.value);
            break;
        case Condition::Op::Contains:
        case Condition::Op::In:
            m->setValue(c.path, Json());
            break;
        case Condition::Op::All:
            satisfy(m, c);
            violate(m, c.children.back());
            break;
        case Condition::Op::Any:
            for (const auto& ch : c.children) violate(m, ch);
            break;
    }
}

// An answer that is wrong or incomplete, so that the validator would complain if it looked.
Json badValue(const FormItem& item) {
    switch (item.kind) {
        case ItemKind::Group:
            return Json::array({Json::object()});
        case ItemKind::YesNo:
            return "maybe";
        case ItemKind::MultiChoice:
            return Json::array({"not_an_option"});
        default:
            return "!";
    }
}

bool issueUnder(const std::vector<Issue>& issues, const std::string& path) {
    for (const Issue& i : issues) {
        if (i.field == path || i.field.rfind(path + ".", 0) == 0 ||
            i.field.rfind(path + "[", 0) == 0)
            return true;
    }
    return false;
}

}  // namespace

class RulesTest : public QObject {
    Q_OBJECT

    void startWindow(TestWindow& w) {
        w.setAutosaveDelay(60000);
        w.resize(1300, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }

private Q_SLOTS:
    void everyShowIfHidesTheAnswerFromTheRulesAndKeepsIt() {
        for (const FormId form : {FormId::I918B, FormId::I914B}) {
            TestWindow w;
            startWindow(w);
            QVERIFY(w.newDraft(form));
            RecordModel* m = w.model();
            int tested = 0;
            for (const FormPart& part : m->form().parts) {
                for (const FormItem& item : part.items) {
                    if (!item.showIf) continue;
                    ++tested;
                    const QByteArray what = QByteArray(formToString(form).data()) + " " +
                                            QByteArray::fromStdString(item.id);
                    w.goToStep(stepOf(w, part.id));
                    satisfy(m, *item.showIf);
                    m->setValue(item.path, badValue(item));
                    FieldBox* b = box(w, item.path);
                    QVERIFY2(b, what.constData());
                    QVERIFY2(b->isVisibleTo(w.stepPage(stepOf(w, part.id))), what.constData());

                    violate(m, *item.showIf);
                    QVERIFY2(!b->isVisibleTo(w.stepPage(stepOf(w, part.id))), what.constData());
                    QVERIFY2(!issueUnder(m->issues(), item.path), what.constData());
                    QVERIFY2(m->value(item.path), what.constData());  // kept in the draft
                    QVERIFY2(!prunedRecord(m->record(), m->form()).get(item.path),
                             what.constData());
                    m->setValue(item.path, Json());
                }
            }
            QVERIFY(tested > 10);
        }
    }

    void aFamilyMemberBehindNoIsNotCountedAndComesBack() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        RecordModel* m = w.model();
        w.goToStep(stepOf(w, "family"));
        m->setValue("family.implicated", true);
        auto* add = w.findChild<QPushButton*>(QStringLiteral("field:family.members:add"));
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        m->setValue("family.members[0].family_name", "Vantongeren");
        QVERIFY(m->countForPart("family", Severity::Error) > 0);
        m->setValue("family.implicated", false);
        QCOMPARE(m->countForPart("family", Severity::Error), 0);
        // The review step lists nothing under Part 5.
        w.goToStep(w.stepCount() - 1);
        QTreeWidget* list = w.reviewPage()->issueList();
        for (QTreeWidgetItemIterator it(list); *it; ++it) {
            QVERIFY2(!(*it)
                          ->data(0, Qt::UserRole)
                          .toString()
                          .startsWith(QStringLiteral("family.members")),
                     qPrintable((*it)->text(1)));
        }
        // Switching back restores what was typed.
        m->setValue("family.implicated", true);
        w.goToStep(stepOf(w, "family"));
        auto* name = w.findChild<QLineEdit*>(QStringLiteral("field:family.members[0].family_name"));
        QVERIFY(name);
        QCOMPARE(name->text(), QStringLiteral("Vantongeren"));
    }

    void datesAsOfficersTypeThem() {
        QCOMPARE(parseTypedDate(QStringLiteral("3/5/1990"))->iso(), std::string("1990-03-05"));
        QCOMPARE(parseTypedDate(QStringLiteral("03/05/1990"))->iso(), std::string("1990-03-05"));
        QCOMPARE(parseTypedDate(QStringLiteral("3-5-1990"))->iso(), std::string("1990-03-05"));
        QCOMPARE(parseTypedDate(QStringLiteral(" 12.31.1990 "))->iso(), std::string("1990-12-31"));
        QCOMPARE(parseTypedDate(QStringLiteral("1990-03-05"))->iso(), std::string("1990-03-05"));
        QVERIFY(!parseTypedDate(QStringLiteral("2/30/1990")));
        QVERIFY(!parseTypedDate(QStringLiteral("13/5/1990")));
        QVERIFY(!parseTypedDate(QStringLiteral("3/5-1990")));
        QVERIFY(!parseTypedDate(QStringLiteral("3/5/90")));

        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        w.goToStep(stepOf(w, "victim"));
        auto* dob = w.findChild<QLineEdit*>(QStringLiteral("field:victim.date_of_birth"));
        QVERIFY(dob);
        dob->setFocus();
        QTest::keyClicks(dob, QStringLiteral("3-5-1990"));
        QCOMPARE(w.model()->record().string("victim.date_of_birth"), std::string("1990-03-05"));
        QTest::keyClick(dob, Qt::Key_Tab);  // leaving the field shows it the form's way
        QCOMPARE(dob->text(), QStringLiteral("03/05/1990"));
        for (const Issue& i : w.model()->issues()) QVERIFY(i.field != "victim.date_of_birth");

        // A new empty row of dates says what to do, not "Not a valid date".
        w.goToStep(stepOf(w, "crime"));
        auto* add = w.findChild<QPushButton*>(QStringLiteral("field:crime.dates:add"));
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        bool found = false;
        for (const Issue& i : w.model()->issues()) {
            if (i.field != "crime.dates[0]") continue;
            found = true;
            QVERIFY2(i.message.find("Not a valid date") == std::string::npos, i.message.c_str());
        }
        QVERIFY(found);
    }

    void theKeyboardGoesWhereTheOfficerTypes() {
        TestWindow w;
        startWindow(w);
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.newDraft(FormId::I918B));
        // Next: the cursor lands in the first field of the new step.
        auto* next = w.findChild<QPushButton*>(QStringLiteral("nextButton"));
        QVERIFY(next);
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(w.currentStep(), 1);
        QWidget* first = QApplication::focusWidget();
        QVERIFY(first);
        QVERIFY2(first->objectName().startsWith(QStringLiteral("field:agency.")),
                 qPrintable(first->objectName()));
        // Ctrl+PgDn does the same.
        QTest::keyClick(first, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(w.currentStep(), 2);
        QVERIFY2(
            QApplication::focusWidget() && QApplication::focusWidget()->objectName().startsWith(
                                               QStringLiteral("field:crime.activities")),
            qPrintable(QApplication::focusWidget()->objectName()));
        // The check-box list of crimes is one Tab stop, with arrows inside.
        QWidget* firstBox = QApplication::focusWidget();
        QTest::keyClick(firstBox, Qt::Key_Down);
        QWidget* second = QApplication::focusWidget();
        QVERIFY(second != firstBox);
        QVERIFY(second->objectName().startsWith(QStringLiteral("field:crime.activities:")));
        QTest::keyClick(second, Qt::Key_Space);
        QCOMPARE(w.model()->value("crime.activities")->size(), std::size_t(1));
        QTest::keyClick(second, Qt::Key_Tab);
        QWidget* after = QApplication::focusWidget();
        QVERIFY2(!after->objectName().startsWith(QStringLiteral("field:crime.activities")),
                 qPrintable(after->objectName()));
        // Shift+Tab comes back to the box last used, not to the first of the list.
        QTest::keyClick(after, Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(QApplication::focusWidget(), second);
        // Enter presses a focused button.
        next->setFocus();
        QTest::keyClick(next, Qt::Key_Return);
        QTRY_COMPARE(w.currentStep(), 3);
    }

    // Issue 15 point 4: a sub-list that appears (Part 5's family members after "Yes") must not
    // take the keystrokes meant for the field the officer is on, nor those after Tab.
    void aSubListThatAppearsDoesNotTakeTheKeystrokes() {
        TestWindow w;
        startWindow(w);
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.newDraft(FormId::I918B));
        RecordModel* m = w.model();
        w.goToStep(stepOf(w, "family"));
        w.focusFirstField();
        auto* yes = w.findChild<QRadioButton*>(QStringLiteral("field:family.implicated:true"));
        auto* no = w.findChild<QRadioButton*>(QStringLiteral("field:family.implicated:false"));
        QVERIFY(yes && no);
        QCOMPARE(QApplication::focusWidget(), yes);
        auto* add = w.findChild<QPushButton*>(QStringLiteral("field:family.members:add"));
        QVERIFY(add);
        QVERIFY(!add->isVisible());
        // Yes by keyboard: the list appears, the cursor stays on the answer.
        QTest::keyClick(yes, Qt::Key_Space);
        QCOMPARE(*m->value("family.implicated"), Json(true));
        QVERIFY(add->isVisible());
        QCOMPARE(QApplication::focusWidget(), yes);
        // Typing on: the letters go nowhere near the new list (no row, no value).
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Vantongeren"));
        QCOMPARE(QApplication::focusWidget(), yes);
        QVERIFY(!m->value("family.members"));
        QCOMPARE(*m->value("family.implicated"), Json(true));
        // Tab goes to the list that now follows the answer: its Add button, one stop.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), add);
        // Adding a row by keyboard puts the cursor in the row's first field; what is typed
        // lands there, and Tab walks the row in order.
        QTest::keyClick(add, Qt::Key_Space);
        auto* family =
            w.findChild<QLineEdit*>(QStringLiteral("field:family.members[0].family_name"));
        QVERIFY(family);
        QCOMPARE(QApplication::focusWidget(), family);
        QTest::keyClicks(family, QStringLiteral("Vantongeren"));
        QCOMPARE(*m->value("family.members[0].family_name"), Json("Vantongeren"));
        QTest::keyClick(family, Qt::Key_Tab);
        QVERIFY2(QApplication::focusWidget()->objectName() ==
                     QStringLiteral("field:family.members[0].given_name"),
                 qPrintable(QApplication::focusWidget()->objectName()));
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Ilse"));
        QCOMPARE(*m->value("family.members[0].given_name"), Json("Ilse"));
        QCOMPARE(*m->value("family.members[0].family_name"), Json("Vantongeren"));
        // Back to the answer with the mouse, then No by arrow key: the list disappears, the
        // cursor stays on No, and Tab skips the hidden list.
        QTest::mouseClick(yes, Qt::LeftButton);
        QCOMPARE(QApplication::focusWidget(), yes);
        QTest::keyClick(yes, Qt::Key_Right);
        QCOMPARE(*m->value("family.implicated"), Json(false));
        QCOMPARE(QApplication::focusWidget(), no);
        QVERIFY(!add->isVisible());
        QTest::keyClicks(no, QStringLiteral("abc"));
        QCOMPARE(*m->value("family.members[0].given_name"), Json("Ilse"));  // kept, hidden
        QTest::keyClick(no, Qt::Key_Tab);
        QWidget* after = QApplication::focusWidget();
        QVERIFY(after && after->isVisible());
        QVERIFY2(!after->objectName().startsWith(QStringLiteral("field:family.members")),
                 qPrintable(after->objectName()));
    }

    void goToItemByNumberOrLabel() {
        TestWindow w;
        startWindow(w);
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.newDraft(FormId::I918B));
        QVERIFY(w.goToItem(QStringLiteral("statutory citation")));
        QCOMPARE(w.currentStep(), stepOf(w, "crime"));
        // Part 2, Item 4.a is the agency head, shown only for a designated official.
        QVERIFY(!w.goToItem(QStringLiteral("2.4.a")));
        w.model()->setValue("agency.official.role", "designated");
        QVERIFY(w.goToItem(QStringLiteral("2.4.a")));
        QCOMPARE(QApplication::focusWidget()->objectName(),
                 QStringLiteral("field:agency.head.family_name"));
        QVERIFY(!w.goToItem(QStringLiteral("no such words anywhere")));
    }

    void aSuggestedSaveNameNeverCollides() {
        QTemporaryDir dir;
        const QString first =
            uniqueDraftPath(dir.path(), QStringLiteral("i918b"), QStringLiteral("RPD 2025/0142"),
                            QStringLiteral("rec-1"));
        QCOMPARE(QFileInfo(first).fileName(), QStringLiteral("i918b-RPD_2025_0142.json"));
        QFile(first).open(QIODevice::WriteOnly);
        const QString second = uniqueDraftPath(dir.path(), QStringLiteral("i918b"),
                                               QStringLiteral("RPD 2025/0142"), QString());
        QCOMPARE(QFileInfo(second).fileName(), QStringLiteral("i918b-RPD_2025_0142-2.json"));
        QCOMPARE(QFileInfo(uniqueDraftPath(dir.path(), QStringLiteral("i914b"), QString(),
                                           QStringLiteral("rec-7")))
                     .fileName(),
                 QStringLiteral("i914b-rec-7.json"));
    }

    void theRecoveryQuestionNamesTheCase() {
        RecoveryFile::Orphan o;
        o.record = Json{{"form", "i918b"}, {"agency", {{"case_number", "RPD-2025-0142"}}}};
        o.savedAt = QDateTime::currentDateTime();
        const QString q = MainWindow::recoveryQuestion(o);
        QVERIFY2(
            q.contains(QStringLiteral("I-918B")) && q.contains(QStringLiteral("RPD-2025-0142")),
            qPrintable(q));
    }

    void previewZoomsAndPrints() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I914B));
        QVERIFY(w.showPreview());
        PreviewPage* preview = w.findChild<PreviewPage*>();
        QVERIFY(preview);
        QCOMPARE(preview->zoomFactor(), 0.0);  // fits the width
        auto* in = w.findChild<QPushButton*>(QStringLiteral("zoomIn"));
        QVERIFY(in);
        QTest::mouseClick(in, Qt::LeftButton);
        QVERIFY(preview->zoomFactor() > 1.0);
        preview->fitWidth();
        QCOMPARE(preview->zoomFactor(), 0.0);
        // Printing to a PDF printer gives as many pages as the form has.
        QTemporaryDir dir;
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(dir.filePath(QStringLiteral("printed.pdf")));
        QVERIFY(preview->printShown(printer));
        QPdfDocument printed;
        QCOMPARE(printed.load(dir.filePath(QStringLiteral("printed.pdf"))),
                 QPdfDocument::Error::None);
        QCOMPARE(printed.pageCount(), preview->formPageCount());
    }

    void theWindowNeverOpensLargerThanTheScreen() {
        TestWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QRect avail = w.screen()->availableGeometry();
        QVERIFY2(w.frameGeometry().width() <= avail.width() &&
                     w.frameGeometry().height() <= avail.height(),
                 qPrintable(QStringLiteral("%1x%2 on %3x%4")
                                .arg(w.frameGeometry().width())
                                .arg(w.frameGeometry().height())
                                .arg(avail.width())
                                .arg(avail.height())));
    }

    void narrativesAreSpellChecked() {
        if (!SpellChecker::shared().available()) QSKIP("no Hunspell dictionary installed");
        QVERIFY(SpellChecker::shared().isCorrect(QStringLiteral("victim")));
        QVERIFY(!SpellChecker::shared().isCorrect(QStringLiteral("vicitm")));
        QVERIFY(SpellChecker::shared()
                    .suggestions(QStringLiteral("vicitm"))
                    .contains(QStringLiteral("victim")));
        QVERIFY(SpellChecker::shared().isCorrect(QStringLiteral("HSI")));  // acronyms pass
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        w.goToStep(stepOf(w, "crime"));
        auto* edit = w.findChild<QPlainTextEdit*>(QStringLiteral("field:crime.description"));
        QVERIFY(edit);
        edit->setPlainText(QStringLiteral("The vicitm was assaulted."));
        QVERIFY(edit->document()->findChild<SpellHighlighter*>());
        const QTextBlock block = edit->document()->firstBlock();
        bool underlined = false;
        for (const QTextLayout::FormatRange& r : block.layout()->formats()) {
            if (r.format.underlineStyle() == QTextCharFormat::SpellCheckUnderline &&
                block.text().mid(r.start, r.length) == QStringLiteral("vicitm"))
                underlined = true;
        }
        QVERIFY(underlined);
    }

    void nothingIsCutOffAtAnyWidth() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        w.goToStep(stepOf(w, "crime"));
        StepPage* page = w.stepPage(w.currentStep());
        for (const int width : {1400, 1280, 1024}) {
            w.resize(width, 800);
            QTest::qWait(50);
            QCoreApplication::processEvents();
            QVERIFY2(page->widget()->width() <= page->viewport()->width(),
                     qPrintable(QStringLiteral("horizontal scrolling at %1").arg(width)));
            // Every one-line option label has the room it needs; longer ones wrap.
            for (QCheckBox* b : page->findChildren<QCheckBox*>()) {
                if (b->text().isEmpty() || !b->isVisibleTo(page)) continue;
                QVERIFY2(b->width() >= b->sizeHint().width(),
                         qPrintable(QStringLiteral("%1 cut at %2").arg(b->text()).arg(width)));
            }
        }
        // The worksheet keeps a readable width whatever the panels beside it take.
        QWidget* center = w.findChild<QWidget*>(QStringLiteral("worksheetCenter"));
        QVERIFY(center);
        QVERIFY(center->width() >= center->fontMetrics().averageCharWidth() * 56);
    }

    void aMessageDoesNotMoveTheFieldsBelow() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        w.goToStep(stepOf(w, "agency"));
        FieldBox* name = box(w, "agency.name");
        FieldBox* below = box(w, "agency.case_number");
        QVERIFY(name && below);
        QWidget* canvas = w.stepPage(w.currentStep())->widget();
        QCoreApplication::processEvents();
        const int before = below->mapTo(canvas, QPoint()).y();
        // A one-line message ("... is required") appears under a full-width field.
        auto* edit = w.findChild<QLineEdit*>(QStringLiteral("field:agency.name"));
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("x"));
        QTest::keyClick(edit, Qt::Key_Backspace);
        w.model()->markTouched("agency.name");
        QTRY_VERIFY(!name->messageText().isEmpty());
        QCoreApplication::processEvents();
        QCOMPARE(below->mapTo(canvas, QPoint()).y(), before);
    }

    void messagesUseTheFormsWords() {
        TestWindow w;
        startWindow(w);
        QVERIFY(w.newDraft(FormId::I918B));
        bool role = false;
        for (const Issue& i : w.model()->issues()) {
            // No record paths or snake_case keys in what the officer reads.
            QVERIFY2(i.message.find('_') == std::string::npos, i.message.c_str());
            if (i.field == "agency.official.role") {
                role = true;
                QCOMPARE(qs(i.message), QStringLiteral("Authority to Sign is required."));
            }
        }
        QVERIFY(role);
    }
};

int main(int argc, char** argv) {
    desktop_test::prepareEnvironment();
    QApplication app(argc, argv);
    desktop_test::prepareApplication(app, QStringLiteral("lecert-desktop-rules-test"),
                                     desktop_test::Style::QtDefault);
    RulesTest t;
    return desktop_test::run(t, argc, argv);
}

#include "test_desktop_rules.moc"
