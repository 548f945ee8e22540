// SPDX-License-Identifier: MIT
#pragma once
// RecordModel: the one place the desktop changes a record. Editors call setValue(); every change
// goes through an undo command, re-runs the core validator, and is announced by valueChanged().
// The model holds the record exactly as typed; savedJson() gives the normalised copy that is
// written to disk. Keys the app does not know are kept untouched.

#include <QObject>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/applicability.h"
#include "core/model/form_definition.h"
#include "core/model/record.h"
#include "core/rules/validator.h"
#include "core/util/date.h"

class QUndoStack;

namespace lecert::desktop {

class RecordModel : public QObject {
    Q_OBJECT
public:
    explicit RecordModel(QObject* parent = nullptr);
    ~RecordModel() override;

    // A new, empty record of `form` with the objects every part edits already present.
    static Json newRecordJson(FormId form);

    // Replaces the whole record (new draft, open, recovery). Fails, leaving the model as it was,
    // when the JSON is not a record of a known form. Clears undo history and touched fields.
    Status reset(Json json, const QString& filePath, bool modified = false);
    bool isLoaded() const { return m_form != nullptr; }

    const Record& record() const { return m_record; }
    const FormDefinition& form() const { return *m_form; }
    FormId formId() const;
    const Json* value(const std::string& path) const { return m_record.get(path); }

    // Sets the value at `path` (null, "" or [] erase the key: absent means "not answered").
    // `mergeTyping` lets consecutive keystrokes in one editor become a single undo step;
    // `touch` marks the field as edited (adding an empty row does not).
    void setValue(const std::string& path, const Json& value, bool mergeTyping = false,
                  bool touch = true);

    // Whether `item` applies to the current record (core/model/applicability.h): the one rule
    // that hides an item, skips it in validation and leaves it off the PDFs.
    bool applies(const FormItem& item) const { return itemApplies(item, m_applicable); }
    // Issues of the current record (validated on a normalised copy).
    const std::vector<Issue>& issues() const { return m_issues; }
    std::vector<Issue> issuesAt(const std::string& path) const;
    // Number of errors/warnings whose field belongs to part `partId`.
    int countForPart(const std::string& partId, Severity s) const;
    // The part an issue's field belongs to ("" when none, e.g. record-level issues).
    std::string partIdFor(const std::string& fieldPath) const;
    // True when no item path of the part has a value.
    bool partIsEmpty(const std::string& partId) const;

    // Fields the officer has edited or left; inline messages show only for those until
    // showAllIssues is set (on opening a draft or visiting the review step).
    void markTouched(const std::string& path);
    bool isTouched(const std::string& path) const;
    void setShowAllIssues(bool on);
    bool showAllIssues() const { return m_showAll; }

    QUndoStack* undoStack() const { return m_undo; }
    bool isModified() const;
    void setClean();
    // Marks the record modified without an undo step (a change that must not be undone, such
    // as a review event written into `review`).
    void markModified();
    QString filePath() const { return m_filePath; }
    void setFilePath(const QString& path) { m_filePath = path; }

    // The record as saved: normalised (trimmed, NFC, ISO dates), unknown keys kept.
    Json savedJson() const;
    // Writes savedJson() atomically with owner-only permissions and marks the model clean.
    Status saveTo(const QString& path);

    // "Today" for the date rules (tests pin it); default: the system date.
    void setToday(std::optional<Date> today);
    std::optional<Date> today() const { return m_today; }

    // Used by the undo commands: sets or erases without recording an undo step.
    void applyValue(const std::string& path, const std::optional<Json>& value);

Q_SIGNALS:
    void recordReset();
    void valueChanged(const QString& path);
    void issuesChanged();
    void modifiedChanged(bool modified);
    void touchedChanged();

private:
    void revalidate();

    Record m_record;
    Record m_applicable;  // m_record without the answers whose item does not apply
    std::shared_ptr<const FormDefinition> m_form;
    std::vector<Issue> m_issues;
    QUndoStack* m_undo;
    QString m_filePath;
    QSet<QString> m_touched;
    bool m_showAll = false;
    bool m_forcedModified = false;
    std::optional<Date> m_today;
};

}  // namespace lecert::desktop
