// SPDX-License-Identifier: MIT
#include "desktop/app_style.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QVariant>
#include <QWidget>

namespace lecert::desktop {

namespace {

// Every widget style of the application, in one place (widgets set a role or a tone
// property, never a style sheet of their own). Sizes in pt/em so that they follow the font and
// the scale factor.
constexpr char kStyleSheet[] = R"(
QLabel[role="apptitle"] { font-size: 22pt; font-weight: 600; color: #1a5fb4; }
QLabel[role="subtitle"] { font-size: 11pt; color: #45515e; }
QLabel[role="section"] { font-size: 11pt; font-weight: 600; color: #1f2933; padding-top: 4px; }
QLabel[role="kicker"] { font-size: 8.5pt; font-weight: 600; color: #5f6b7a; text-transform: uppercase; letter-spacing: 1px; }
QLabel[role="title"] { font-size: 16pt; font-weight: 600; color: #1f2933; }
QLabel[role="helptitle"] { font-size: 11.5pt; font-weight: 600; color: #1f2933; }
QLabel[role="guidetitle"] { font-weight: 600; color: #174a7c; }
QLabel[role="label"] { font-weight: 600; color: #27313b; }
QLabel[role="sublabel"] { font-size: 8.5pt; color: #45515e; }
QLabel[role="hint"] { color: #5f6b7a; }
QLabel[role="rownumber"] { color: #5f6b7a; font-weight: 600; padding-top: 4px; }
QLabel#signatureBox { border: 1px dashed #9aa5b1; border-radius: 4px; padding: 10px; color: #5f6b7a; background: #fafbfc; }
QWidget#stepCanvas { background: white; }
QScrollArea { background: white; }
QFrame#helpPanel { background: #f4f6f9; border-left: 1px solid #dde3ea; }
QFrame#helpPanel QTextBrowser { background: transparent; }
QFrame#guidanceBox { background: #e9f1fb; border: 1px solid #c9dcf2; border-radius: 6px; }
QFrame#guidanceBox QTextBrowser { background: transparent; }
QFrame#groupRow { background: #fafbfc; border: 1px solid #e1e6ec; border-radius: 6px; }
QTreeWidget#recentDrafts::item, QTreeWidget#issueList::item { padding: 5px 2px; }
QTreeWidget#recentDrafts, QTreeWidget#issueList { border: 1px solid #dde3ea; border-radius: 4px; }
QListWidget#stepList { background: #eef2f6; border: none; border-right: 1px solid #dde3ea; outline: 0; }
QLineEdit, QPlainTextEdit { border: 1px solid #b8c2cc; border-radius: 4px; padding: 4px 6px; background: white; selection-background-color: #1a5fb4; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid #1a5fb4; }
QLineEdit[issue="error"], QPlainTextEdit[issue="error"] { border: 1px solid #c62828; background: #fff8f8; }
QLineEdit[issue="warning"], QPlainTextEdit[issue="warning"] { border: 1px solid #b26a00; }
QPushButton[role="primary"] { background: #1a5fb4; color: white; border: 1px solid #174a7c; border-radius: 4px; padding: 6px 16px; font-weight: 600; }
QPushButton[role="primary"]:hover { background: #1c6ccc; }
QPushButton[role="primary"]:focus { border: 2px solid #0b2f57; }
QPushButton[role="primary"]:disabled { background: #9fb6d3; border-color: #9fb6d3; }
QStatusBar { background: #eef2f6; border-top: 1px solid #dde3ea; }
QStatusBar QLabel { padding: 0 6px; }
QCommandLinkButton { background: white; border: 1px solid #dde3ea; border-radius: 6px; }
QCommandLinkButton:hover { border-color: #1a5fb4; }
QCommandLinkButton:focus { border: 2px solid #1a5fb4; }
QWidget#navBar { background: white; border-top: 1px solid #dde3ea; }
QScrollArea#helpScroll, QWidget#helpContent { background: transparent; }
QLabel#issueCount[tone="error"] { color: #c62828; font-weight: 600; }
QLabel#issueCount[tone="ok"] { color: #2e7d32; }
QLabel#passwordProblem[tone="error"] { color: #c62828; }
QLabel#previewBanner { padding: 8px; border-radius: 4px; }
QLabel#previewBanner[tone="error"] { background: #fdecea; color: #c62828; }
QLabel#previewBanner[tone="ok"] { background: #e8f5e9; color: #2e7d32; }
QPushButton[role="link"] { color: #1a5fb4; border: none; background: transparent; padding: 2px 0; text-align: left; }
QPushButton[role="link"]:hover, QPushButton[role="link"]:focus { text-decoration: underline; }
QPushButton[role="smalllink"] { color: #1a5fb4; border: none; background: transparent; padding: 1px 0; font-size: 8.5pt; text-align: left; }
QPushButton[role="smalllink"]:hover, QPushButton[role="smalllink"]:focus { text-decoration: underline; }
QLabel#changedTag { background: #fdecc8; color: #7a4b00; border: 1px solid #f0c36d; border-radius: 9px; padding: 1px 8px; font-size: 8.5pt; font-weight: 600; }
QFrame[role="commentCard"] { background: #eef4fc; border: 1px solid #c9dcf2; border-left: 3px solid #1a5fb4; border-radius: 4px; }
QFrame[role="commentCard"] QLabel { background: transparent; border: none; color: #1f2933; }
QFrame[role="commentCard"] QLabel[role="commentAuthor"] { font-size: 8.5pt; }
QWidget[reviewChanged="true"] { background: #fffaf0; border-left: 4px solid #e0a32e; border-radius: 2px; }
QWidget#reviewPanelBody { background: #f4f6f9; }
QWidget#reviewPanelBody QListWidget { background: white; border: 1px solid #dde3ea; border-radius: 4px; }
QWidget#reviewPanelBody QListWidget::item { padding: 6px 4px; border-bottom: 1px solid #eef1f4; }
QWidget#reviewPanelBody QListWidget::item:selected { background: #dce8f7; color: #1f2933; }
QWidget#reviewPanelBody QTextBrowser { background: white; border: 1px solid #dde3ea; border-radius: 4px; }
QWidget#reviewPanelBody QPushButton[role="primary"] { padding: 5px 8px; }
QLabel#reviewMessage { background: #fdecec; color: #8e1b1b; border: 1px solid #f2c0c0; border-radius: 4px; padding: 6px 8px; }
QLabel#reviewStatus { border-radius: 10px; padding: 3px 12px; font-weight: 600; font-size: 10.5pt; background: #e4e9ef; color: #45515e; }
QLabel#reviewStatus[tone="submitted"] { background: #dce8f7; color: #174a7c; }
QLabel#reviewStatus[tone="returned"] { background: #fdecc8; color: #7a4b00; }
QLabel#reviewStatus[tone="approved"] { background: #dcf2e3; color: #1e6b34; }
)";

}  // namespace

void applyAppStyle(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = app.palette();
    p.setColor(QPalette::Window, QColor(0xf4, 0xf6, 0xf9));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf9, 0xfc));
    p.setColor(QPalette::Text, QColor(0x1f, 0x29, 0x33));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x29, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x29, 0x33));
    p.setColor(QPalette::Button, QColor(0xfb, 0xfc, 0xfd));
    p.setColor(QPalette::Highlight, QColor(0x1a, 0x5f, 0xb4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x94, 0xa0));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    app.setPalette(p);
    app.setStyleSheet(QLatin1String(kStyleSheet));
}

void repolish(QWidget* widget) {
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}

void setStyleTone(QWidget* widget, const char* tone) {
    if (widget->property("tone").toString() == QLatin1String(tone)) return;
    widget->setProperty("tone", QString::fromLatin1(tone));
    repolish(widget);
}

}  // namespace lecert::desktop
