// SPDX-License-Identifier: MIT
#pragma once
// Spell check for the narrative fields (Hunspell, US English): misspelled words get a red
// wavy underline, and the context menu offers corrections, as officers know from word
// processors. Names, citations and case numbers (words with digits or capitals only) are
// never flagged. Without Hunspell or its dictionary the editors work as before.

#include <QString>
#include <QStringList>
#include <QSyntaxHighlighter>
#include <memory>

class QPlainTextEdit;

namespace lecert::desktop {

class SpellChecker {
public:
    // The process-wide checker (loaded on first use from $LECERT_HUNSPELL_DIR, else
    // /usr/share/hunspell, en_US.aff/.dic).
    static SpellChecker& shared();
    ~SpellChecker();
    bool available() const;
    // True for a correct word and for words that are not checked (see above).
    bool isCorrect(const QString& word) const;
    QStringList suggestions(const QString& word, int max = 6) const;

private:
    SpellChecker();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Underlines the words SpellChecker::shared() does not know.
class SpellHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SpellHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;
};

// Adds the highlighter and the suggestions in the context menu to `edit`.
void attachSpellCheck(QPlainTextEdit* edit);

}  // namespace lecert::desktop
