// SPDX-License-Identifier: MIT
#include "desktop/spell_check.h"

#include <QAction>
#include <QColor>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTextCharFormat>
#include <QTextCursor>

#ifdef LECERT_HAVE_HUNSPELL
#include <hunspell/hunspell.hxx>
#endif

namespace lecert::desktop {

namespace {

const QRegularExpression& wordPattern() {
    static const QRegularExpression re(QStringLiteral("[\\p{L}][\\p{L}'\\x{2019}]*"));
    return re;
}

// Names, acronyms, statute and case numbers: not for a dictionary to judge.
bool checked(const QString& word) {
    if (word.size() < 2) return false;
    if (word.toUpper() == word) return false;
    return true;
}

}  // namespace

struct SpellChecker::Impl {
#ifdef LECERT_HAVE_HUNSPELL
    std::unique_ptr<Hunspell> hunspell;
#endif
};

SpellChecker::SpellChecker() : m_impl(std::make_unique<Impl>()) {
#ifdef LECERT_HAVE_HUNSPELL
    QString dir = qEnvironmentVariable("LECERT_HUNSPELL_DIR");
    if (dir.isEmpty()) dir = QStringLiteral("/usr/share/hunspell");
    const QString aff = dir + QStringLiteral("/en_US.aff");
    const QString dic = dir + QStringLiteral("/en_US.dic");
    if (QFileInfo::exists(aff) && QFileInfo::exists(dic))
        m_impl->hunspell = std::make_unique<Hunspell>(QFile::encodeName(aff).constData(),
                                                      QFile::encodeName(dic).constData());
#endif
}

SpellChecker::~SpellChecker() = default;

SpellChecker& SpellChecker::shared() {
    static SpellChecker checker;
    return checker;
}

bool SpellChecker::available() const {
#ifdef LECERT_HAVE_HUNSPELL
    return m_impl->hunspell != nullptr;
#else
    return false;
#endif
}

bool SpellChecker::isCorrect(const QString& word) const {
#ifdef LECERT_HAVE_HUNSPELL
    if (!m_impl->hunspell || !checked(word)) return true;
    QString w = word;
    w.replace(QChar(0x2019), QLatin1Char('\''));
    return m_impl->hunspell->spell(w.toStdString());
#else
    (void)word;
    return true;
#endif
}

QStringList SpellChecker::suggestions(const QString& word, int max) const {
    QStringList out;
#ifdef LECERT_HAVE_HUNSPELL
    if (!m_impl->hunspell) return out;
    for (const std::string& s : m_impl->hunspell->suggest(word.toStdString())) {
        if (out.size() >= max) break;
        out << QString::fromStdString(s);
    }
#else
    (void)word;
    (void)max;
#endif
    return out;
}

SpellHighlighter::SpellHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {}

void SpellHighlighter::highlightBlock(const QString& text) {
    const SpellChecker& checker = SpellChecker::shared();
    if (!checker.available()) return;
    QTextCharFormat bad;
    bad.setUnderlineStyle(QTextCharFormat::SpellCheckUnderline);
    bad.setUnderlineColor(QColor(0xc6, 0x28, 0x28));
    for (auto it = wordPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (!checker.isCorrect(m.captured()))
            setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()),
                      bad);
    }
}

void attachSpellCheck(QPlainTextEdit* edit) {
    if (!SpellChecker::shared().available()) return;
    new SpellHighlighter(edit->document());
    edit->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(edit, &QWidget::customContextMenuRequested, edit, [edit](const QPoint& pos) {
        std::unique_ptr<QMenu> menu(edit->createStandardContextMenu(pos));
        QTextCursor cursor = edit->cursorForPosition(pos);
        cursor.select(QTextCursor::WordUnderCursor);
        const QString word = cursor.selectedText();
        if (!word.isEmpty() && !SpellChecker::shared().isCorrect(word)) {
            QAction* first = menu->actions().value(0);
            const QStringList hints = SpellChecker::shared().suggestions(word);
            if (hints.isEmpty()) {
                auto* none = new QAction(QObject::tr("No spelling suggestions"), menu.get());
                none->setEnabled(false);
                menu->insertAction(first, none);
            }
            for (const QString& h : hints) {
                auto* a = new QAction(h, menu.get());
                QObject::connect(a, &QAction::triggered, edit, [edit, cursor, h]() mutable {
                    cursor.insertText(h);
                    edit->setTextCursor(cursor);
                });
                menu->insertAction(first, a);
            }
            menu->insertSeparator(first);
        }
        menu->exec(edit->mapToGlobal(pos));
    });
}

}  // namespace lecert::desktop
