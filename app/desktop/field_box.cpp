// SPDX-License-Identifier: MIT
#include "desktop/field_box.h"

#include <QLabel>
#include <QVBoxLayout>

#include "desktop/field_editors.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"

namespace lecert::desktop {

namespace {

// The first sentence of a help text: a short accessible description.
QString firstSentence(const std::string& help) {
    const QString h = qs(help);
    const qsizetype end = h.indexOf(QStringLiteral(". "));
    return end < 0 ? h : h.left(end + 1);
}

}  // namespace

QString FieldBox::displayLabel(const FormItem& item) {
    QString label = qs(item.label);
    if (!item.number.empty()) label = qs(item.number) + QStringLiteral("  ") + label;
    return label;
}

FieldBox::FieldBox(RecordModel* model, const FormItem& item, const std::string& path, bool compact,
                   QWidget* parent)
    : QWidget(parent), m_model(model), m_item(item), m_path(path) {
    setObjectName(QStringLiteral("box:") + qs(path));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, compact ? 0 : 4, 0, compact ? 0 : 6);
    layout->setSpacing(compact ? 2 : 4);

    const QString text = compact ? qs(item.label) : displayLabel(item);
    const bool showLabel = !(compact && item.kind == ItemKind::Date && item.path.empty());
    if (showLabel) {
        QString html = text.toHtmlEscaped();
        if (item.required && item.kind != ItemKind::Signature) {
            html += QStringLiteral(" <span style=\"color:%1\">*</span>").arg(errorColor().name());
        }
        m_label = new QLabel(html, this);
        m_label->setTextFormat(Qt::RichText);
        m_label->setWordWrap(true);
        m_label->setProperty("role",
                             compact ? QStringLiteral("sublabel") : QStringLiteral("label"));
        layout->addWidget(m_label);
    }

    m_editor = createFieldEditor(model, item, path, this);
    layout->addWidget(m_editor);
    if (m_label && m_editor->focusTarget()) m_label->setBuddy(m_editor->focusTarget());
    QString description = firstSentence(item.help);
    if (item.required) description = tr("Required.") + QLatin1Char(' ') + description;
    m_editor->setAccessibleLabel(text, description);
    setToolTip(QString());

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setObjectName(QStringLiteral("message:") + qs(path));
    m_message->hide();
    if (!compact) {
        // A one-line message appears in room kept for it: the fields below do not jump.
        QSizePolicy keep = m_message->sizePolicy();
        keep.setRetainSizeWhenHidden(true);
        m_message->setSizePolicy(keep);
        m_message->setMinimumHeight(m_message->fontMetrics().lineSpacing());
    }
    layout->addWidget(m_message);

    connect(model, &RecordModel::issuesChanged, this, &FieldBox::updateMessages);
    connect(model, &RecordModel::touchedChanged, this, &FieldBox::updateMessages);
    if (item.showIf) {
        connect(model, &RecordModel::valueChanged, this, &FieldBox::updateVisibility);
        updateVisibility();
    }
    updateMessages();
}

void FieldBox::updateVisibility() {
    const bool visible = m_model->applies(m_item);
    if (visible != !isHidden()) setVisible(visible);
}

QString FieldBox::messageText() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

void FieldBox::updateMessages() {
    std::vector<Issue> issues =
        m_model->isTouched(m_path) ? m_model->issuesAt(m_path) : std::vector<Issue>{};
    // Errors first; at most three lines so a field never drowns the page.
    std::stable_sort(issues.begin(), issues.end(),
                     [](const Issue& a, const Issue& b) { return a.severity < b.severity; });
    QStringList lines;
    QStringList tips;
    int errors = 0;
    int level = 0;
    for (const Issue& i : issues) {
        const bool error = i.severity == Severity::Error;
        errors += error ? 1 : 0;
        level = std::max(level, error ? 2 : 1);
        if (lines.size() < 3) {
            const QColor c = error ? errorColor() : warningColor();
            const QString mark = error ? QStringLiteral("&#10006;") : QStringLiteral("&#9888;");
            lines << QStringLiteral("<span style=\"color:%1\">%2&nbsp;%3</span>")
                         .arg(c.name(), mark, qs(i.message).toHtmlEscaped());
        }
        if (!i.citation.empty()) tips << qs(i.citation);
    }
    m_shownErrors = errors;
    m_editor->setIssueLevel(level);
    if (lines.isEmpty()) {
        m_message->clear();
        m_message->setToolTip(QString());
        m_message->hide();
        return;
    }
    m_message->setText(lines.join(QStringLiteral("<br>")));
    m_message->setToolTip(tips.isEmpty() ? QString()
                                         : tr("Rule: %1").arg(tips.join(QStringLiteral("; "))));
    m_message->show();
}

}  // namespace lecert::desktop
