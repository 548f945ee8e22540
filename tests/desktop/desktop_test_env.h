// SPDX-License-Identifier: MIT
#pragma once
// What every desktop test program does around its QtTest object: a private HOME and settings
// (never the user's), the repository's data, the offscreen platform.

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "desktop/app_style.h"

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
inline int run(QObject& test, int argc, char** argv) {
    return QTest::qExec(&test, argc, argv);
}

}  // namespace lecert::desktop_test
