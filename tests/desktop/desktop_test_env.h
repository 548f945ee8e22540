// SPDX-License-Identifier: MIT
#pragma once
// What every desktop test program does around its QtTest object: a private HOME and settings
// (never the user's), the repository's data, the offscreen platform; and QuietWindow, the main
// window without its modal dialogs.

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>

#include "desktop/app_style.h"
#include "desktop/main_window.h"

namespace lecert::desktop_test {

// Call before QApplication exists. HOME and the XDG folders point at a temporary folder; a
// child process the test starts (crash recovery) inherits its parent's through
// LECERT_DESKTOP_TEST_HOME, so both see the same drafts.
inline void prepareEnvironment() {
    static QTemporaryDir home;
    if (!qEnvironmentVariableIsSet("LECERT_DESKTOP_TEST_HOME")) {
        qputenv("LECERT_DESKTOP_TEST_HOME", home.path().toLocal8Bit());
        qputenv("HOME", home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toLocal8Bit());
    }
    if (!qEnvironmentVariableIsSet("LECERT_DATA_DIR"))
        qputenv("LECERT_DATA_DIR", LECERT_SOURCE_DIR);
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
}

enum class Style { App, QtDefault };

// Call right after QApplication is constructed: settings under a test organisation.
inline void prepareApplication(QApplication& app, const QString& name, Style style) {
    QApplication::setOrganizationName(QStringLiteral("lecert-test"));
    QApplication::setApplicationName(name);
    QStandardPaths::setTestModeEnabled(true);
    if (style == Style::App) lecert::desktop::applyAppStyle(app);
}

// Runs the test object. (Qt's QScrollers, which QPdfView grabs, outlive the tests whatever is
// deleted first: tests/lsan.supp says why they are suppressed.)
// Writes the stand-in of the official I-918B (tests/official_standin) into `dir` and returns
// its path, or an empty string when the generator failed.
inline QString makeOfficialStandin(const QString& dir) {
    QProcess gen;
    gen.start(QStringLiteral(LECERT_STANDIN_GENERATOR), {dir});
    if (!gen.waitForFinished(60000) || gen.exitStatus() != QProcess::NormalExit ||
        gen.exitCode() != 0)
        return {};
    return QDir(dir).filePath(QStringLiteral("i918b-standin.pdf"));
}

inline int run(QObject& test, int argc, char** argv) {
    return QTest::qExec(&test, argc, argv);
}

// A MainWindow that never opens a modal dialog, which would block an offscreen test: every
// question is answered from a member the test sets (by default: discard the changes, recover
// later, no file chosen) and counted, and error messages are collected in `errors`.
class QuietWindow : public lecert::desktop::MainWindow {
public:
    using MainWindow::RecoveryChoice;

    QMessageBox::StandardButton saveAnswer = QMessageBox::Discard;
    RecoveryChoice recoveryAnswer = RecoveryChoice::Later;
    QString savePath;    // askSavePath's answer; empty = cancelled
    QString exportPath;  // askExportPath's answer; empty = cancelled
    int saveAsked = 0;
    int recoveryAsked = 0;
    QStringList errors;  // "title: text" of each error message, in order

protected:
    QMessageBox::StandardButton askToSaveChanges() override {
        ++saveAsked;
        return saveAnswer;
    }
    RecoveryChoice askToRecover(const lecert::desktop::RecoveryFile::Orphan&) override {
        ++recoveryAsked;
        return recoveryAnswer;
    }
    QString askSavePath(const QString&) override { return savePath; }
    QString askOpenPath() override { return {}; }
    QString askExportPath(const QString&) override { return exportPath; }
    void showErrorMessage(const QString& title, const QString& text) override {
        errors << title + QStringLiteral(": ") + text;
    }
};

}  // namespace lecert::desktop_test
