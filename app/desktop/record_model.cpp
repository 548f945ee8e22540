// SPDX-License-Identifier: MIT
#include "desktop/record_model.h"

#include <QUndoCommand>
#include <QUndoStack>

#include "core/model/record_schema.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

namespace {

bool isEmptyValue(const Json& v) {
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
           (v.is_array() && v.empty());
}

// One edit: the value before and after (nullopt = key absent). Typing in one editor merges.
class SetValueCommand : public QUndoCommand {
public:
    SetValueCommand(RecordModel* model, std::string path, std::optional<Json> before,
                    std::optional<Json> after, bool mergeable)
        : m_model(model),
          m_path(std::move(path)),
          m_before(std::move(before)),
          m_after(std::move(after)),
          m_mergeable(mergeable) {
        setText(QObject::tr("edit"));
    }
    void redo() override { m_model->applyValue(m_path, m_after); }
    void undo() override { m_model->applyValue(m_path, m_before); }
    int id() const override { return m_mergeable ? 1 : -1; }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* o = dynamic_cast<const SetValueCommand*>(other);
        if (!o || !o->m_mergeable || o->m_path != m_path) return false;
        m_after = o->m_after;
        return true;
    }

private:
    RecordModel* m_model;
    std::string m_path;
    std::optional<Json> m_before;
    std::optional<Json> m_after;
    bool m_mergeable;
};

// "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
std::string parentPath(const std::string& path) {
    if (path.empty()) return {};
    if (path.back() == ']') {
        const auto open = path.rfind('[');
        return open == std::string::npos ? std::string() : path.substr(0, open);
    }
    const auto dot = path.find_last_of(".[");
    if (dot == std::string::npos) return {};
    if (path[dot] == '[') return path.substr(0, path.find(']', dot) + 1);
    return path.substr(0, dot);
}

}  // namespace

RecordModel::RecordModel(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {
    connect(m_undo, &QUndoStack::cleanChanged, this,
            [this] { Q_EMIT modifiedChanged(isModified()); });
}

RecordModel::~RecordModel() = default;

Json RecordModel::newRecordJson(FormId form) {
    Json j = Json::object();
    j["form"] = std::string(formToString(form));
    j["edition"] = newestEdition(form);
    for (const FieldSpec& spec : recordSchema()) {
        if (spec.type != ValueType::Object || !spec.required || !spec.appliesTo(form)) continue;
        if (spec.pattern.find('[') != std::string::npos) continue;
        jsonSet(j, spec.pattern, Json::object());
    }
    return j;
}

Status RecordModel::reset(Json json, const QString& filePath, bool modified) {
    if (!json.is_object()) return Error{"The file does not hold a record (a JSON object).", {}};
    const Json* formValue = jsonAt(json, "form");
    const auto form = formValue && formValue->is_string()
                          ? formFromString(formValue->get<std::string>())
                          : std::nullopt;
    if (!form) {
        return Error{
            "The record does not say which form it is: \"form\" must be \"i918b\" or \"i914b\".",
            {{}, 0, 0, "form"}};
    }
    auto def = formDefinition(*form);
    if (!def) return def.error();
    m_undo->clear();
    m_form = *def;
    m_record = Record(std::move(json));
    m_filePath = filePath;
    m_touched.clear();
    m_showAll = false;
    m_forcedModified = modified;
    m_undo->setClean();
    revalidate();
    Q_EMIT recordReset();
    Q_EMIT modifiedChanged(isModified());
    return Ok{};
}

FormId RecordModel::formId() const {
    return m_record.form().value_or(FormId::I918B);
}

void RecordModel::setValue(const std::string& path, const Json& value, bool mergeTyping,
                           bool touch) {
    const Json* current = m_record.get(path);
    std::optional<Json> before;
    if (current && !current->is_null()) before = *current;
    std::optional<Json> after;
    if (!isEmptyValue(value)) after = value;
    if (before == after) return;
    if (touch) markTouched(path);
    m_undo->push(new SetValueCommand(this, path, std::move(before), std::move(after), mergeTyping));
}

void RecordModel::applyValue(const std::string& path, const std::optional<Json>& value) {
    if (value) {
        m_record.set(path, *value);
    } else {
        m_record.erase(path);
    }
    revalidate();
    Q_EMIT valueChanged(qs(path));
}

std::vector<Issue> RecordModel::issuesAt(const std::string& path) const {
    std::vector<Issue> out;
    for (const Issue& i : m_issues) {
        if (i.field == path) out.push_back(i);
    }
    return out;
}

std::string RecordModel::partIdFor(const std::string& fieldPath) const {
    if (!m_form) return {};
    for (std::string p = fieldPath; !p.empty(); p = parentPath(p)) {
        if (const FormPart* part = m_form->partForPath(p)) return part->id;
        // An object path ("agency.head") belongs to the part of its first item.
        for (const FormPart& part : m_form->parts) {
            for (const FormItem& item : part.items) {
                if (item.path.rfind(p + ".", 0) == 0) return part.id;
            }
        }
    }
    return {};
}

int RecordModel::countForPart(const std::string& partId, Severity s) const {
    int n = 0;
    for (const Issue& i : m_issues) {
        if (i.severity == s && partIdFor(i.field) == partId) ++n;
    }
    return n;
}

bool RecordModel::partIsEmpty(const std::string& partId) const {
    if (!m_form) return true;
    for (const FormPart& part : m_form->parts) {
        if (part.id != partId) continue;
        for (const FormItem& item : part.items) {
            if (item.path.empty()) continue;
            const Json* v = m_record.get(item.path);
            if (v && !isEmptyValue(*v) && !(v->is_object() && v->empty())) return false;
        }
    }
    return true;
}

void RecordModel::markTouched(const std::string& path) {
    const QString p = qs(path);
    if (m_touched.contains(p)) return;
    m_touched.insert(p);
    Q_EMIT touchedChanged();
}

bool RecordModel::isTouched(const std::string& path) const {
    if (m_showAll) return true;
    // A group counts as touched once any of its rows was edited, and a row field once its
    // group was (so a removed-then-added row shows its messages).
    for (std::string p = path; !p.empty(); p = parentPath(p)) {
        if (m_touched.contains(qs(p))) return true;
    }
    return false;
}

void RecordModel::setShowAllIssues(bool on) {
    if (m_showAll == on) return;
    m_showAll = on;
    Q_EMIT touchedChanged();
}

bool RecordModel::isModified() const {
    return m_forcedModified || !m_undo->isClean();
}

void RecordModel::setClean() {
    m_forcedModified = false;
    m_undo->setClean();
    Q_EMIT modifiedChanged(isModified());
}

void RecordModel::markModified() {
    m_forcedModified = true;
    Q_EMIT modifiedChanged(true);
}

Json RecordModel::savedJson() const {
    Json copy = m_record.json();
    normalizeRecord(copy);
    return copy;
}

Status RecordModel::saveTo(const QString& path) {
    const Status st = writeFileAtomic(ss(path), dumpPretty(savedJson()), 0600);
    if (!st) return st;
    m_filePath = path;
    setClean();
    return Ok{};
}

void RecordModel::setToday(std::optional<Date> today) {
    m_today = today;
    revalidate();
}

namespace {

// The validator names a field by its record key ("Role is required"); the officer knows it by
// the form's label ("Authority to Sign is required"). Rewrites the subject of the "required"
// messages, whose shape is "<subject> is required…" / "<subject> needs at least one entry.".
void useFormWords(Issue& issue, const FormDefinition& form) {
    if (issue.code.rfind("required.", 0) != 0) return;
    const FormItem* item = form.itemForPath(issue.field);
    if (!item || item->label.empty()) return;
    for (const std::string_view verb : {" is required", " needs at least one entry"}) {
        const auto at = issue.message.find(verb);
        if (at == std::string::npos || at == 0) continue;
        std::string label = item->label;
        while (!label.empty() && label.back() == ':') label.pop_back();
        // A trailing note in parentheses ("(if any)", "(lecert's question, …)") is not part of
        // the item's name.
        if (const auto open = label.rfind(" ("); open != std::string::npos && label.back() == ')')
            label.erase(open);
        // A question reads badly as a subject: "“Is the victim helpful?” needs an answer".
        if (!label.empty() && label.back() == '?' && verb == std::string_view(" is required")) {
            issue.message =
                "“" + label + "” needs an answer" + issue.message.substr(at + verb.size());
        } else {
            issue.message = label + issue.message.substr(at);
        }
        return;
    }
}

}  // namespace

void RecordModel::revalidate() {
    m_applicable = m_form ? prunedRecord(m_record, *m_form) : m_record;
    Json copy = m_record.json();
    normalizeRecord(copy);
    ValidationOptions opts;
    opts.today = m_today;
    m_issues = validateRecord(Record(std::move(copy)), opts);
    if (m_form) {
        for (Issue& i : m_issues) useFormWords(i, *m_form);
    }
    Q_EMIT issuesChanged();
}

}  // namespace lecert::desktop
