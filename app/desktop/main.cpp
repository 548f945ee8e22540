// SPDX-License-Identifier: MIT
// lecert-desktop [FILE]: the guided worksheet. Everything lives in lecert_desktop_lib.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "core/lecert.h"
#include "desktop/app_style.h"
#include "desktop/main_window.h"
#include "desktop/qt_text.h"

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("lecert"));
    QApplication::setApplicationName(QStringLiteral("lecert-desktop"));
    QApplication::setApplicationDisplayName(QStringLiteral("lecert"));
    QApplication::setApplicationVersion(lecert::desktop::qs(lecert::version()));
    lecert::desktop::applyAppStyle(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Guided worksheet for Form I-918 Supplement B and Form I-914 Supplement B."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("A record (.json) to open."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    lecert::desktop::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    QTimer::singleShot(0, &window, [&window, files] {
        if (window.offerRecovery()) return;
        if (!files.isEmpty()) window.openFile(files.first());
    });
    return app.exec();
}
