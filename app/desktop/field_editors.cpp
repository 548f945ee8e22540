// SPDX-License-Identifier: MIT
#include "desktop/field_editors.h"

#include <QButtonGroup>
#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

#include <algorithm>

#include "core/util/date.h"
#include "desktop/field_box.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"
#include "desktop/spell_check.h"
#include "desktop/undo_passthrough.h"

namespace lecert::desktop {

namespace {

QString objectNameFor(const std::string& path) {
    return QStringLiteral("field:") + qs(path);
}

QString stringAt(const RecordModel* model, const std::string& path) {
    const Json* v = model->value(path);
    if (!v || v->is_null()) return {};
    if (v->is_string()) return qs(v->get_ref<const std::string&>());
    return qs(v->dump());
}

void repolish(QWidget* w) {
    w->style()->unpolish(w);
    w->style()->polish(w);
    w->update();
}

void applyIssueProperty(QWidget* w, int level) {
    const char* value = level == 2 ? "error" : level == 1 ? "warning" : "";
    if (w->property("issue").toString() == QLatin1String(value)) return;
    w->setProperty("issue", QLatin1String(value));
    repolish(w);
}

// Option labels longer than this are word-wrapped beside their box instead of on one line.
constexpr qsizetype kWrapOptionsLongerThan = 60;
// In a list of several columns, option labels longer than this wrap within their column.
constexpr qsizetype kColumnLabelChars = 28;

// Clicking the label of a wrapped option clicks its box, as with a native label.
class ClickForwarder : public QObject {
public:
    ClickForwarder(QAbstractButton* button, QObject* parent) : QObject(parent), m_button(button) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::MouseButtonRelease && m_button->isEnabled()) {
            m_button->click();
            m_button->setFocus(Qt::MouseFocusReason);
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QAbstractButton* m_button;
};

// The widget to put in the option grid for `button`: the button itself, or for a long label
// the button beside a word-wrapped label (so that no option text is ever cut off).
QWidget* optionWidget(QAbstractButton* button, const QString& text, QWidget* parent,
                      qsizetype wrapLongerThan = kWrapOptionsLongerThan) {
    button->setProperty("optionLabel", text);
    if (text.size() <= wrapLongerThan) {
        button->setText(text);
        return button;
    }
    auto* holder = new QWidget(parent);
    auto* h = new QHBoxLayout(holder);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(4);
    button->setParent(holder);
    auto* label = new QLabel(text, holder);
    label->setWordWrap(true);
    label->setBuddy(button);
    label->installEventFilter(new ClickForwarder(button, label));
    h->addWidget(button, 0, Qt::AlignTop);
    h->addWidget(label, 1);
    return holder;
}

QString optionText(const QAbstractButton* b) {
    return b->property("optionLabel").toString();
}

// Clears every button of an exclusive group (Qt refuses to uncheck the checked one otherwise).
void clearGroup(QButtonGroup* group) {
    group->setExclusive(false);
    for (QAbstractButton* b : group->buttons()) b->setChecked(false);
    group->setExclusive(true);
}

class TextEditor : public FieldEditor {
public:
    TextEditor(RecordModel* model, const FormItem& item, const std::string& path, QWidget* parent)
        : FieldEditor(model, item, path, parent), m_edit(new QLineEdit(this)) {
        setInput(m_edit);
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_edit);
        m_edit->setObjectName(objectNameFor(path));
        m_edit->setPlaceholderText(qs(item.placeholder));
        m_edit->setClearButtonEnabled(false);
        useWindowUndo(m_edit);
        setFocusProxy(m_edit);
        connect(m_edit, &QLineEdit::textEdited, this,
                [this](const QString& t) { m_model->setValue(m_path, Json(ss(t)), true); });
        watchFocus(m_edit);
        refresh();
    }
    void refresh() override {
        const QString t = stringAt(m_model, m_path);
        if (m_edit->text() != t) m_edit->setText(t);
    }

private:
    QLineEdit* m_edit;
};

// Plain text edit that gives Tab back to focus navigation and knows the wanted height.
class MultilineEditor : public FieldEditor {
public:
    MultilineEditor(RecordModel* model, const FormItem& item, const std::string& path,
                    QWidget* parent)
        : FieldEditor(model, item, path, parent), m_edit(new QPlainTextEdit(this)) {
        setInput(m_edit);
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_edit);
        m_edit->setObjectName(objectNameFor(path));
        m_edit->setTabChangesFocus(true);
        attachSpellCheck(m_edit);
        useWindowUndo(m_edit);
        watchFocus(m_edit);
        m_edit->setPlaceholderText(qs(item.placeholder));
        const int lines = std::clamp(item.layout.lines, 3, 8);
        m_edit->setMinimumHeight(m_edit->fontMetrics().lineSpacing() * lines + 14);
        setFocusProxy(m_edit);
        connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
            if (m_loading) return;
            m_model->setValue(m_path, Json(ss(m_edit->toPlainText())), true);
        });
        refresh();
    }
    void refresh() override {
        const QString t = stringAt(m_model, m_path);
        if (m_edit->toPlainText() == t) return;
        m_loading = true;
        m_edit->setPlainText(t);
        m_loading = false;
    }

private:
    QPlainTextEdit* m_edit;
    bool m_loading = false;
};

}  // namespace

std::optional<Date> parseTypedDate(const QString& text) {
    const QString t = text.trimmed();
    if (auto iso = Date::parseIso(ss(t))) return iso;
    static const QRegularExpression us(QStringLiteral("^(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4})$"));
    const QRegularExpressionMatch m = us.match(t);
    if (!m.hasMatch()) return std::nullopt;
    const Date d{m.captured(4).toInt(), m.captured(1).toInt(), m.captured(3).toInt()};
    // Round-trip through the strict parser so that 02/30 or month 13 is refused.
    return Date::parseIso(d.iso());
}

namespace {

// A date typed as officers do (3/5/1990, 03-05-1990) or picked from a calendar; stored as
// YYYY-MM-DD and shown back as MM/DD/YYYY when the field is left. Text that is not a date yet
// is stored as typed so the validator can say what is wrong.
class DateEditor : public FieldEditor {
public:
    DateEditor(RecordModel* model, const FormItem& item, const std::string& path, QWidget* parent)
        : FieldEditor(model, item, path, parent),
          m_edit(new QLineEdit(this)),
          m_button(new QToolButton(this)) {
        setInput(m_edit);
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        layout->addWidget(m_edit);
        layout->addWidget(m_button);
        layout->addStretch(1);
        m_edit->setObjectName(objectNameFor(path));
        m_edit->setPlaceholderText(tr("mm/dd/yyyy"));
        m_edit->setMaxLength(10);
        useWindowUndo(m_edit);
        m_edit->setMinimumWidth(
            m_edit->fontMetrics().horizontalAdvance(QStringLiteral("00/00/00000")) + 24);
        m_edit->setMaximumWidth(m_edit->minimumWidth() + 40);
        m_button->setIcon(calendarIcon());
        m_button->setToolTip(tr("Pick the date from a calendar"));
        m_button->setPopupMode(QToolButton::InstantPopup);
        m_button->setAutoRaise(true);
        m_button->setObjectName(objectNameFor(path) + QStringLiteral(":calendar"));
        auto* menu = new QMenu(m_button);
        auto* action = new QWidgetAction(menu);
        m_calendar = new QCalendarWidget(menu);
        m_calendar->setGridVisible(false);
        m_calendar->setVerticalHeaderFormat(QCalendarWidget::NoVerticalHeader);
        action->setDefaultWidget(m_calendar);
        menu->addAction(action);
        m_button->setMenu(menu);
        connect(menu, &QMenu::aboutToShow, this, [this] {
            const auto d = parseTypedDate(m_edit->text());
            m_calendar->setSelectedDate(d ? QDate(d->year, d->month, d->day)
                                          : QDate::currentDate());
        });
        connect(m_calendar, &QCalendarWidget::activated, this, [this, menu](QDate d) {
            pick(d);
            menu->close();
        });
        connect(m_calendar, &QCalendarWidget::clicked, this, [this, menu](QDate d) {
            pick(d);
            menu->close();
        });
        setFocusProxy(m_edit);
        connect(m_edit, &QLineEdit::textEdited, this,
                [this](const QString& t) { commit(t, true); });
        watchFocus(m_edit);
        // Shown back in the form's own style once the officer moves on.
        connect(m_edit, &QLineEdit::editingFinished, this, [this] {
            if (const auto d = parseTypedDate(m_edit->text()); d && m_edit->text() != qs(d->us()))
                m_edit->setText(qs(d->us()));
        });
        refresh();
    }
    void refresh() override {
        const QString stored = stringAt(m_model, m_path);
        const auto storedDate = Date::parse(ss(stored));
        if (storedDate) {
            const auto shown = parseTypedDate(m_edit->text());
            if (shown != storedDate) m_edit->setText(qs(storedDate->us()));
        } else if (m_edit->text() != stored) {
            m_edit->setText(stored);
        }
    }
    void setAccessibleLabel(const QString& name, const QString& description) override {
        FieldEditor::setAccessibleLabel(name, description);
        m_button->setAccessibleName(tr("Calendar for %1").arg(name));
    }

private:
    void commit(const QString& text, bool typing) {
        const std::string t = ss(text.trimmed());
        const auto d = parseTypedDate(text);
        m_model->setValue(m_path, d ? Json(d->iso()) : Json(t), typing);
    }
    void pick(QDate d) {
        const Date date{d.year(), d.month(), d.day()};
        m_edit->setText(qs(date.us()));
        m_model->setValue(m_path, Json(date.iso()));
    }

    QLineEdit* m_edit;
    QToolButton* m_button;
    QCalendarWidget* m_calendar = nullptr;
};

// Yes/No, and single choices with few options, as radio buttons in a grid.
class RadioEditor : public FieldEditor {
public:
    RadioEditor(RecordModel* model, const FormItem& item, const std::string& path, QWidget* parent)
        : FieldEditor(model, item, path, parent), m_group(new QButtonGroup(this)) {
        auto* grid = new QGridLayout(this);
        grid->setContentsMargins(0, 0, 0, 0);
        grid->setHorizontalSpacing(24);
        if (item.kind == ItemKind::YesNo) {
            m_values = {Json(true), Json(false)};
            m_labels = {tr("Yes"), tr("No")};
        } else {
            for (const Option& o : item.options) {
                m_values.emplace_back(o.value);
                m_labels.push_back(qs(o.label));
            }
        }
        int columns = std::max(1, item.layout.columns);
        if (item.kind == ItemKind::YesNo) columns = 2;
        // Long labels read better one per line.
        for (const QString& l : m_labels) {
            if (l.size() > 40) columns = 1;
        }
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            auto* b = new QRadioButton(this);
            b->setObjectName(
                objectNameFor(path) + QStringLiteral(":") +
                qs(m_values[i].is_string() ? m_values[i].get<std::string>() : m_values[i].dump()));
            m_group->addButton(b, static_cast<int>(i));
            const int n = static_cast<int>(i);
            grid->addWidget(optionWidget(b, m_labels[i], this), n / columns, n % columns);
        }
        // Long, wrapped labels take the whole width; short ones keep their natural size.
        bool wraps = false;
        for (QObject* child : children()) {
            if (auto* w = qobject_cast<QWidget*>(child); w && w->findChild<QLabel*>()) wraps = true;
        }
        if (wraps) {
            for (int c = 0; c < columns; ++c) grid->setColumnStretch(c, 1);
        } else {
            grid->setColumnStretch(columns, 1);
        }
        connect(m_group, &QButtonGroup::idClicked, this, [this](int id) {
            m_model->setValue(m_path, m_values[static_cast<std::size_t>(id)]);
        });
        if (!m_group->buttons().isEmpty()) setFocusProxy(m_group->buttons().first());
        refresh();
    }
    void refresh() override {
        const Json* v = m_model->value(m_path);
        int found = -1;
        for (std::size_t i = 0; v && i < m_values.size(); ++i) {
            if (*v == m_values[i]) found = static_cast<int>(i);
        }
        if (found < 0) {
            if (m_group->checkedId() != -1) clearGroup(m_group);
        } else if (m_group->checkedId() != found) {
            m_group->button(found)->setChecked(true);
        }
        // Keyboard focus lands on the checked option (or the first), as with native groups.
        QAbstractButton* target = found >= 0 ? m_group->button(found) : m_group->buttons().value(0);
        if (target) setFocusProxy(target);
    }
    QWidget* focusTarget() override {
        QAbstractButton* b = m_group->checkedButton();
        return b ? b : m_group->buttons().value(0);
    }
    void setAccessibleLabel(const QString& name, const QString& description) override {
        for (QAbstractButton* b : m_group->buttons()) {
            b->setAccessibleName(optionText(b) + QStringLiteral(" — ") + name);
            b->setAccessibleDescription(description);
        }
        setAccessibleName(name);
    }

private:
    QButtonGroup* m_group;
    std::vector<Json> m_values;
    std::vector<QString> m_labels;
};

// Choices with many options (states) or in a narrow row: a combo box with an empty entry.
class ComboEditor : public FieldEditor {
public:
    ComboEditor(RecordModel* model, const FormItem& item, const std::string& path, QWidget* parent)
        : FieldEditor(model, item, path, parent), m_combo(new QComboBox(this)) {
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_combo);
        m_combo->setObjectName(objectNameFor(path));
        m_combo->addItem(tr("— select —"), QString());
        for (const Option& o : item.options) m_combo->addItem(qs(o.label), qs(o.value));
        m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        m_combo->setMaxVisibleItems(16);
        setFocusProxy(m_combo);
        connect(m_combo, &QComboBox::activated, this, [this](int index) {
            const QString v = m_combo->itemData(index).toString();
            m_model->setValue(m_path, v.isEmpty() ? Json() : Json(ss(v)));
        });
        refresh();
    }
    void refresh() override {
        const QString v = stringAt(m_model, m_path);
        int index = m_combo->findData(v);
        if (index < 0) index = 0;
        if (m_combo->currentIndex() != index) m_combo->setCurrentIndex(index);
    }
    QWidget* focusTarget() override { return m_combo; }
    void setAccessibleLabel(const QString& name, const QString& description) override {
        m_combo->setAccessibleName(name);
        m_combo->setAccessibleDescription(description);
    }

private:
    QComboBox* m_combo;
};

// A checkable list (crimes, services). Values the form does not list are kept as they are.
class MultiChoiceEditor : public FieldEditor {
public:
    MultiChoiceEditor(RecordModel* model, const FormItem& item, const std::string& path,
                      QWidget* parent)
        : FieldEditor(model, item, path, parent) {
        m_grid = new QGridLayout(this);
        m_grid->setContentsMargins(0, 0, 0, 0);
        m_grid->setHorizontalSpacing(24);
        m_grid->setVerticalSpacing(4);
        m_maxColumns = std::clamp(item.layout.columns, 1, 3);
        bool sentences = false;  // options that are whole sentences read best one per line
        for (const Option& o : item.options) {
            if (qs(o.label).size() > kWrapOptionsLongerThan) sentences = true;
        }
        if (sentences) m_maxColumns = 1;
        // In columns, a label longer than this wraps inside its column instead of widening it.
        const qsizetype wrapAt = m_maxColumns > 1 ? kColumnLabelChars : kWrapOptionsLongerThan;
        bool wraps = false;
        for (const Option& o : item.options) {
            auto* box = new QCheckBox(this);
            box->setObjectName(objectNameFor(path) + QStringLiteral(":") + qs(o.value));
            m_boxes.push_back(box);
            m_cells.push_back(optionWidget(box, qs(o.label), this, wrapAt));
            wraps = wraps || m_cells.back() != box;
            connect(box, &QCheckBox::clicked, this, [this] { commit(); });
        }
        // Wrapped labels share the width evenly; short ones keep their natural size.
        m_stretch = wraps;
        const int column = fontMetrics().averageCharWidth() * static_cast<int>(kColumnLabelChars) +
                           style()->pixelMetric(QStyle::PM_IndicatorWidth) + 12;
        for (QWidget* c : m_cells)
            m_cellWidth = std::max(m_cellWidth, std::min(c->sizeHint().width(), column));
        // The list may always fall back to one column: that is its minimum width, so that it
        // never forces a horizontal scroll bar or cuts a label off.
        setMinimumWidth(m_cellWidth);
        place(m_maxColumns);
        if (!m_boxes.empty()) setFocusProxy(m_boxes.front());
        // One Tab stop for the whole list, arrows inside it (as radio buttons behave): only the
        // box last focused takes Tab; the others are reached with the arrow keys or a click.
        for (QCheckBox* b : m_boxes) {
            b->setFocusPolicy(b == m_boxes.front() ? Qt::StrongFocus : Qt::ClickFocus);
            b->installEventFilter(this);
        }
        refresh();
    }
    bool eventFilter(QObject* watched, QEvent* event) override {
        const auto it = std::find(m_boxes.begin(), m_boxes.end(), watched);
        if (it != m_boxes.end()) {
            if (event->type() == QEvent::FocusIn) {
                for (QCheckBox* b : m_boxes)
                    b->setFocusPolicy(b == *it ? Qt::StrongFocus : Qt::ClickFocus);
            } else if (event->type() == QEvent::KeyPress) {
                const int key = static_cast<QKeyEvent*>(event)->key();
                const auto i = static_cast<int>(it - m_boxes.begin());
                const int n = static_cast<int>(m_boxes.size());
                int to = -1;
                if (key == Qt::Key_Down || key == Qt::Key_Right) to = std::min(i + 1, n - 1);
                if (key == Qt::Key_Up || key == Qt::Key_Left) to = std::max(i - 1, 0);
                if (key == Qt::Key_Home) to = 0;
                if (key == Qt::Key_End) to = n - 1;
                if (to >= 0) {
                    m_boxes[static_cast<std::size_t>(to)]->setFocus(Qt::TabFocusReason);
                    return true;
                }
            }
        }
        return FieldEditor::eventFilter(watched, event);
    }
    void resizeEvent(QResizeEvent* event) override {
        FieldEditor::resizeEvent(event);
        // As many columns as fit (at most the form's), filled column by column.
        const int gap = m_grid->horizontalSpacing();
        const int fit = m_cellWidth > 0 ? (width() + gap) / (m_cellWidth + gap) : m_maxColumns;
        place(std::clamp(fit, 1, m_maxColumns));
    }
    void refresh() override {
        const Json* v = m_model->value(m_path);
        for (std::size_t i = 0; i < m_boxes.size(); ++i) {
            bool on = false;
            if (v && v->is_array()) {
                on = std::find(v->begin(), v->end(), Json(m_item.options[i].value)) != v->end();
            }
            if (m_boxes[i]->isChecked() != on) m_boxes[i]->setChecked(on);
        }
    }
    QWidget* focusTarget() override { return m_boxes.empty() ? nullptr : m_boxes.front(); }
    void setAccessibleLabel(const QString& name, const QString& description) override {
        for (QCheckBox* b : m_boxes) {
            b->setAccessibleName(optionText(b) + QStringLiteral(" — ") + name);
            b->setAccessibleDescription(description);
        }
        setAccessibleName(name);
    }

private:
    void commit() {
        Json list = Json::array();
        for (std::size_t i = 0; i < m_boxes.size(); ++i) {
            if (m_boxes[i]->isChecked()) list.push_back(m_item.options[i].value);
        }
        if (const Json* old = m_model->value(m_path); old && old->is_array()) {
            for (const Json& e : *old) {
                const bool known = e.is_string() && m_item.option(e.get<std::string>()) != nullptr;
                if (!known) list.push_back(e);
            }
        }
        m_model->setValue(m_path, list);
    }

    void place(int columns) {
        if (columns == m_columns) return;
        m_columns = columns;
        for (QWidget* c : m_cells) m_grid->removeWidget(c);
        for (int c = 0; c <= 3; ++c) m_grid->setColumnStretch(c, 0);
        const int n = static_cast<int>(m_cells.size());
        const int rows = (n + columns - 1) / columns;
        // Fill column by column, as the printed form reads.
        for (int i = 0; i < n; ++i)
            m_grid->addWidget(m_cells[static_cast<std::size_t>(i)], i % rows, i / rows);
        if (m_stretch) {
            for (int c = 0; c < columns; ++c) m_grid->setColumnStretch(c, 1);
        } else {
            m_grid->setColumnStretch(columns, 1);
        }
    }

    QGridLayout* m_grid = nullptr;
    std::vector<QWidget*> m_cells;  // option widgets, in the form's order
    int m_maxColumns = 1;
    int m_columns = 0;
    int m_cellWidth = 0;
    bool m_stretch = false;
    std::vector<QCheckBox*> m_boxes;
};

// Repeatable rows (dates, other names, family members, additional information).
class GroupEditor : public FieldEditor {
public:
    GroupEditor(RecordModel* model, const FormItem& item, const std::string& path, QWidget* parent)
        : FieldEditor(model, item, path, parent) {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(6);
        m_rowsLayout = new QVBoxLayout;
        m_rowsLayout->setSpacing(6);
        layout->addLayout(m_rowsLayout);
        m_empty = new QLabel(tr("No entries yet."), this);
        m_empty->setProperty("role", QStringLiteral("hint"));
        layout->addWidget(m_empty);
        m_overflow = new QLabel(this);
        m_overflow->setWordWrap(true);
        m_overflow->setProperty("role", QStringLiteral("hint"));
        layout->addWidget(m_overflow);
        auto* buttons = new QHBoxLayout;
        m_add = new QPushButton(tr("Add entry"), this);
        m_add->setObjectName(objectNameFor(path) + QStringLiteral(":add"));
        m_add->setIcon(plusIcon());
        buttons->addWidget(m_add);
        buttons->addStretch(1);
        layout->addLayout(buttons);
        setFocusProxy(m_add);
        connect(m_add, &QPushButton::clicked, this, [this] { addRow(); });
        refresh();
    }
    void refresh() override {
        const Json* v = m_model->value(m_path);
        const int n = v && v->is_array() ? static_cast<int>(v->size()) : 0;
        if (n != m_rowCount) rebuild(n);
    }
    QWidget* focusTarget() override {
        if (!m_rows.empty()) {
            if (auto* box = m_rows.front()->findChild<FieldBox*>())
                return box->editor()->focusTarget();
        }
        return m_add;
    }
    void setAccessibleLabel(const QString& name, const QString& description) override {
        m_add->setAccessibleName(tr("Add an entry to %1").arg(name));
        m_add->setAccessibleDescription(description);
        m_name = name;
        setAccessibleName(name);
    }

private:
    bool plainValues() const {
        return m_item.fields.size() == 1 && m_item.fields.front().path.empty();
    }

    void addRow() {
        Json list = Json::array();
        if (const Json* v = m_model->value(m_path); v && v->is_array()) list = *v;
        list.push_back(plainValues() ? Json("") : Json::object());
        m_model->setValue(m_path, list, false, false);
        // Put the cursor in the new row, ready to type.
        if (!m_rows.empty()) {
            if (auto* box = m_rows.back()->findChild<FieldBox*>())
                box->editor()->focusTarget()->setFocus();
        }
    }

    void removeRow(int index) {
        const Json* v = m_model->value(m_path);
        if (!v || !v->is_array() || index >= static_cast<int>(v->size())) return;
        Json list = *v;
        list.erase(list.begin() + index);
        m_model->setValue(m_path, list);
        m_add->setFocus();
    }

    void rebuild(int n) {
        // Rows may be rebuilt from a click on their own Remove button: delete them later.
        for (QWidget* row : m_rows) {
            row->hide();
            row->deleteLater();
        }
        m_rows.clear();
        for (int i = 0; i < n; ++i) {
            auto* row = new QFrame(this);
            row->setObjectName(QStringLiteral("groupRow"));
            row->setFrameShape(QFrame::StyledPanel);
            auto* h = new QHBoxLayout(row);
            h->setContentsMargins(8, 6, 8, 6);
            auto* number = new QLabel(QString::number(i + 1) + QStringLiteral("."), row);
            number->setProperty("role", QStringLiteral("rownumber"));
            number->setAlignment(Qt::AlignTop | Qt::AlignRight);
            number->setMinimumWidth(number->fontMetrics().horizontalAdvance(QStringLiteral("00.")));
            h->addWidget(number, 0, Qt::AlignTop);
            auto* fieldsLayout = new QVBoxLayout;
            fieldsLayout->setSpacing(4);
            h->addLayout(fieldsLayout, 1);
            const std::string element = indexPath(m_path, static_cast<std::size_t>(i));
            QHBoxLayout* line = nullptr;
            std::string lineRow;
            for (const FormItem& field : m_item.fields) {
                const std::string p = field.path.empty() ? element : element + "." + field.path;
                auto* box = new FieldBox(m_model, field, p, true, row);
                const std::string& r = field.layout.row;
                if (r.empty() || r != lineRow || !line) {
                    line = new QHBoxLayout;
                    line->setSpacing(10);
                    fieldsLayout->addLayout(line);
                    lineRow = r;
                }
                line->addWidget(box, std::max(1, static_cast<int>(field.layout.width * 100)));
                if (r.empty()) line = nullptr;
            }
            auto* remove = new QToolButton(row);
            remove->setText(tr("Remove"));
            remove->setIcon(style()->standardIcon(QStyle::SP_DialogDiscardButton));
            remove->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
            remove->setAutoRaise(true);
            remove->setObjectName(objectNameFor(element) + QStringLiteral(":remove"));
            remove->setAccessibleName(tr("Remove entry %1 of %2").arg(i + 1).arg(m_name));
            h->addWidget(remove, 0, Qt::AlignTop);
            connect(remove, &QToolButton::clicked, this, [this, i] { removeRow(i); });
            m_rowsLayout->addWidget(row);
            m_rows.push_back(row);
            row->show();
        }
        m_rowCount = n;
        m_empty->setVisible(n == 0);
        if (m_item.slots > 0 && n > m_item.slots) {
            m_overflow->setText(
                tr("The form has room for %1; the others are printed on the Additional "
                   "Information page automatically.")
                    .arg(countText(m_item.slots, tr("entry"), tr("entries"))));
            m_overflow->show();
        } else {
            m_overflow->hide();
        }
        // Keep the tab order: rows, then the Add button.
        QWidget* prev = nullptr;
        for (QWidget* row : m_rows) {
            for (QWidget* w : row->findChildren<QWidget*>()) {
                // Skip the calendar pop-ups: they are windows of their own.
                if (!(w->focusPolicy() & Qt::TabFocus) || w->window() != window()) continue;
                if (prev) QWidget::setTabOrder(prev, w);
                prev = w;
            }
        }
        if (prev) QWidget::setTabOrder(prev, m_add);
    }

    QVBoxLayout* m_rowsLayout = nullptr;
    QLabel* m_empty = nullptr;
    QLabel* m_overflow = nullptr;
    QPushButton* m_add = nullptr;
    std::vector<QWidget*> m_rows;
    int m_rowCount = -1;
    QString m_name;
};

// The wet-ink signature box: shown so the officer knows it is there, never filled.
class SignatureEditor : public FieldEditor {
public:
    SignatureEditor(RecordModel* model, const FormItem& item, const std::string& path,
                    QWidget* parent)
        : FieldEditor(model, item, path, parent) {
        auto* layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_label = new QLabel(tr("Signed by hand, in ink, on the printed form. lecert never types a "
                                "signature."),
                             this);
        m_label->setWordWrap(true);
        m_label->setObjectName(QStringLiteral("signatureBox"));
        layout->addWidget(m_label);
    }
    void refresh() override {}
    QWidget* focusTarget() override { return nullptr; }

private:
    QLabel* m_label;
};

}  // namespace

FieldEditor::FieldEditor(RecordModel* model, FormItem item, std::string path, QWidget* parent)
    : QWidget(parent), m_model(model), m_item(std::move(item)), m_path(std::move(path)) {
    connect(model, &RecordModel::valueChanged, this, [this](const QString& changed) {
        if (concerns(changed)) refresh();
    });
}

void FieldEditor::setAccessibleLabel(const QString& name, const QString& description) {
    QWidget* target = m_input ? m_input : this;
    target->setAccessibleName(name);
    target->setAccessibleDescription(description);
}

void FieldEditor::setIssueLevel(int level) {
    if (m_input) applyIssueProperty(m_input, level);
}

void FieldEditor::watchFocus(QWidget* input) {
    input->installEventFilter(this);
}

bool FieldEditor::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::FocusOut) m_model->markTouched(m_path);
    return QWidget::eventFilter(watched, event);
}

bool FieldEditor::concerns(const QString& changed) const {
    const QString mine = qs(m_path);
    if (changed == mine) return true;
    auto under = [](const QString& a, const QString& b) {
        return a.startsWith(b) && a.size() > b.size() &&
               (a[b.size()] == u'.' || a[b.size()] == u'[');
    };
    return under(mine, changed) || under(changed, mine);
}

FieldEditor* createFieldEditor(RecordModel* model, const FormItem& item, const std::string& path,
                               QWidget* parent) {
    switch (item.kind) {
        case ItemKind::Text:
            return new TextEditor(model, item, path, parent);
        case ItemKind::Multiline:
            return new MultilineEditor(model, item, path, parent);
        case ItemKind::Date:
            return new DateEditor(model, item, path, parent);
        case ItemKind::YesNo:
            return new RadioEditor(model, item, path, parent);
        case ItemKind::Choice:
            if (item.options.size() <= 6 && item.layout.row.empty())
                return new RadioEditor(model, item, path, parent);
            return new ComboEditor(model, item, path, parent);
        case ItemKind::MultiChoice:
            return new MultiChoiceEditor(model, item, path, parent);
        case ItemKind::Group:
            return new GroupEditor(model, item, path, parent);
        case ItemKind::Signature:
            return new SignatureEditor(model, item, path, parent);
    }
    return new TextEditor(model, item, path, parent);
}

}  // namespace lecert::desktop
