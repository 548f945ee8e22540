// SPDX-License-Identifier: MIT
// Export from the real desktop (offscreen): one path for the worksheet, the official form and
// the cover; encryption on export through the password dialog with the CLI's rules (at most
// 127 bytes of UTF-8, no NUL, typed twice), every PDF opened with its password by qpdf before
// the test believes it.
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/jobs/fill_job.h"
#include "core/pdf/pdf_io.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "desktop/app_style.h"
#include "desktop/main_window.h"
#include "desktop/password_dialog.h"
#include "desktop/preview_page.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop_test_env.h"

using namespace lecert;
using namespace lecert::desktop;

namespace {

class TestWindow : public desktop_test::QuietWindow {
public:
    std::optional<std::string> password;  // the dialog's answer (nullopt = Cancel)
    int passwordAsked = 0;

protected:
    std::optional<std::string> askExportPassword() override {
        ++passwordAsked;
        return password;
    }
};

// qpdf's verdict on a PDF's password: 0 a password is required, 2 not encrypted, 3 the given
// password opens it.
int qpdfPasswordStatus(const QString& pdf, const QString& password = {}) {
    QProcess p;
    QStringList args{QStringLiteral("--requires-password"), pdf};
    if (!password.isNull()) args.prepend(QStringLiteral("--password=") + password);
    p.start(QStringLiteral("qpdf"), args);
    if (!p.waitForFinished(60000)) return -1;
    return p.exitCode();
}

int qpdfCheck(const QString& pdf, const QString& password) {
    QProcess p;
    p.start(QStringLiteral("qpdf"),
            {QStringLiteral("--password=") + password, QStringLiteral("--check"), pdf});
    if (!p.waitForFinished(60000)) return -1;
    return p.exitCode();
}

std::string fileBytes(const QString& path) {
    auto r = readFile(ss(path));
    return r ? *r : std::string();
}

}  // namespace

class ExportTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    void openExample(TestWindow& w) {
        w.setAutosaveDelay(60000);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openFile(QStringLiteral(LECERT_SOURCE_DIR "/examples/i918b-001-full.json")));
        QVERIFY(!hasErrors(w.model()->issues()));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theDialogKeepsTheCliRules() {
        PasswordDialog d(PasswordDialog::Mode::Export, QStringLiteral("intro"));
        d.show();
        QPushButton* ok = d.buttons()->button(QDialogButtonBox::Ok);
        // Not encrypting: Save, no password.
        QVERIFY(!d.encryptBox()->isChecked());
        QVERIFY(ok->isEnabled());
        QVERIFY(!d.passwordEdit()->isEnabled());
        QCOMPARE(ok->text(), QStringLiteral("Save"));
        // Encrypting: nothing typed yet, OK disabled without a reproach.
        d.encryptBox()->setChecked(true);
        QVERIFY(!ok->isEnabled());
        QVERIFY(d.problemLabel()->text().isEmpty());
        QCOMPARE(ok->text(), QStringLiteral("Encrypt and Save"));
        // 128 bytes: refused, the message says the limit.
        QTest::keyClicks(d.passwordEdit(), QString(128, QLatin1Char('a')));
        QTest::keyClicks(d.confirmEdit(), QString(128, QLatin1Char('a')));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(d.problemLabel()->text().contains(QStringLiteral("127")),
                 qPrintable(d.problemLabel()->text()));
        // 127 bytes counted in UTF-8: 63 two-byte letters + 1 = 127 is fine, one more is not.
        const QString utf8_127 = QString(63, QChar(0x00F1)) + QLatin1Char('x');
        d.passwordEdit()->setText(utf8_127);
        d.confirmEdit()->setText(utf8_127);
        QVERIFY2(ok->isEnabled(), qPrintable(d.problemLabel()->text()));
        d.passwordEdit()->setText(utf8_127 + QChar(0x00F1));
        d.confirmEdit()->setText(utf8_127 + QChar(0x00F1));
        QVERIFY(!ok->isEnabled());
        // A NUL inside, and two different entries.
        d.passwordEdit()->setText(QStringLiteral("ab") + QChar(0) + QStringLiteral("cd"));
        d.confirmEdit()->setText(d.passwordEdit()->text());
        QVERIFY(!ok->isEnabled());
        QVERIFY(d.problemLabel()->text().contains(QStringLiteral("NUL")));
        d.passwordEdit()->setText(QStringLiteral("Contraseña 2025"));
        d.confirmEdit()->setText(QStringLiteral("Contraseña 2026"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(d.problemLabel()->text().contains(QStringLiteral("not the same")));
        d.confirmEdit()->setText(QStringLiteral("Contraseña 2025"));
        QVERIFY(ok->isEnabled());
        QVERIFY(d.problemLabel()->text().isEmpty());
        // take() hands the UTF-8 over once and leaves nothing in the fields.
        QCOMPARE(d.take(), std::string("Contrase\xc3\xb1"
                                       "a 2025"));
        QVERIFY(d.passwordEdit()->text().isEmpty());
        QVERIFY(d.confirmEdit()->text().isEmpty());
    }

    void exportWithAPasswordFromThePreview() {
        TestWindow w;
        openExample(w);
        QVERIFY(w.showPreview());
        const QString out = m_dir.filePath(QStringLiteral("secret.pdf"));
        const QString cover = m_dir.filePath(QStringLiteral("secret-cover.pdf"));
        const std::string pw =
            "Contrase\xc3\xb1"
            "a 2025";
        // Cancelled at the password dialog: nothing is written.
        w.exportPath = out;
        w.password = std::nullopt;
        Q_EMIT w.previewPage()->saveRequested();
        QCOMPARE(w.passwordAsked, 1);
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(cover));
        // With a password: both PDFs need it, open with it, and pass qpdf's check.
        w.password = pw;
        Q_EMIT w.previewPage()->saveRequested();
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        for (const QString& f : {out, cover}) {
            QVERIFY2(QFile::exists(f), qPrintable(f));
            QCOMPARE(qpdfPasswordStatus(f), 0);
            QCOMPARE(qpdfPasswordStatus(f, QStringLiteral("wrong")), 0);
            QCOMPARE(qpdfPasswordStatus(f, qs(pw)), 3);
            QCOMPARE(qpdfCheck(f, qs(pw)), 0);
            QVERIFY(pdf::isEncrypted(fileBytes(f)));
            QVERIFY(pdf::pageCount(fileBytes(f), pw).ok());
        }
        // The record inside comes back with the password only.
        QVERIFY(!extractRecord(ss(out), "wrong").ok());
        auto embedded = extractRecord(ss(out), pw);
        QVERIFY2(embedded.ok(), embedded.ok() ? "" : embedded.error().message.c_str());
        QVERIFY(embedded->find("RPD-2025-004518") != std::string::npos);
        // Without a password: plain PDFs, as before.
        w.password = std::string();
        const QString plain = m_dir.filePath(QStringLiteral("plain.pdf"));
        w.exportPath = plain;
        Q_EMIT w.previewPage()->saveRequested();
        QCOMPARE(qpdfPasswordStatus(plain), 2);
        QCOMPARE(qpdfPasswordStatus(m_dir.filePath(QStringLiteral("plain-cover.pdf"))), 2);
    }

    void aPasswordTheCliRefusesWritesNothing() {
        TestWindow w;
        openExample(w);
        const QString out = m_dir.filePath(QStringLiteral("long.pdf"));
        QVERIFY(!w.exportPdfs(out, std::string(128, 'a')));
        QCOMPARE(w.errors.size(), 1);
        QVERIFY2(w.errors.front().contains(QStringLiteral("127")), qPrintable(w.errors.front()));
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("long-cover.pdf"))));
        w.errors.clear();
        QVERIFY(!w.exportPdfs(out, std::string("a\0b", 3)));
        QCOMPARE(w.errors.size(), 1);
        QVERIFY(!QFile::exists(out));
    }

    void theOfficialFormGoesThroughTheSamePath() {
        const QString official = desktop_test::makeOfficialStandin(m_dir.path());
        QVERIFY(!official.isEmpty());
        TestWindow w;
        openExample(w);
        const QString out = m_dir.filePath(QStringLiteral("official-secret.pdf"));
        const std::string pw = "another pass phrase";
        QVERIFY(w.exportOfficialPdf(official, out, pw));
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        // The official form and its cover, both encrypted with the password.
        const QString cover = m_dir.filePath(QStringLiteral("official-secret-cover.pdf"));
        for (const QString& f : {out, cover}) {
            QCOMPARE(qpdfPasswordStatus(f), 0);
            QCOMPARE(qpdfPasswordStatus(f, qs(pw)), 3);
            QCOMPARE(qpdfCheck(f, qs(pw)), 0);
        }
        auto values = pdf::readFieldValues(fileBytes(out), pw);
        QVERIFY(values.ok());
        QCOMPARE(values->at("form1[0].#subform[0].Part2_Line9_CaseNumber[0]"),
                 std::string("RPD-2025-004518"));
    }
};

int main(int argc, char** argv) {
    desktop_test::prepareEnvironment();
    QApplication app(argc, argv);
    desktop_test::prepareApplication(app, QStringLiteral("lecert-desktop-export-test"),
                                     desktop_test::Style::App);
    ExportTest t;
    return desktop_test::run(t, argc, argv);
}

#include "test_desktop_export.moc"
