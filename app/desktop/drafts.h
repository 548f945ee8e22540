// SPDX-License-Identifier: MIT
#pragma once
// Drafts on disk: the recent-drafts list (QSettings), a one-line summary of a draft for the
// start screen, and the crash-recovery file written a few seconds after each change.

#include <QDateTime>
#include <QLockFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert::desktop {

// What the start screen shows about a draft. Reading it never changes the file.
struct DraftSummary {
    QString path;
    QString form;    // the form's short name, "I-918B" / "I-914B"
    QString victim;  // "Family, Given" or ""
    QString caseNumber;
    QString status;  // review status: draft, submitted, returned, approved
    QDateTime modified;
    bool hasFilingDeadline = false;  // its form's signature starts a validity window (I-918B)
    std::optional<long> daysLeft;    // days left of that window, when signed
    QString error;                   // non-empty when the file could not be read as a record
};
DraftSummary summarizeDraft(const QString& path, std::optional<Date> today = std::nullopt);

// Where to suggest saving a new draft: <dir>/<form>-<case number>.json, else <form>-<record
// id>.json, else <form>-draft.json (unsafe characters replaced by "_"), with "-2", "-3" ...
// added until no file of that name exists, so that a suggestion never overwrites a case.
QString uniqueDraftPath(const QString& dir, const QString& form, const QString& caseNumber,
                        const QString& recordId);

// Recent drafts, most recent first (at most 10), in QSettings.
QStringList recentDrafts();
void addRecentDraft(const QString& path);
void removeRecentDraft(const QString& path);

// One recovery file per running window: <AppDataLocation>/recovery/<uuid>.json (0600, written
// atomically) with a lock file beside it while the window lives. A recovery file whose lock
// is not held belongs to a session that ended without cleaning up (a crash) and is offered
// at the next start.
class RecoveryFile {
public:
    RecoveryFile();
    ~RecoveryFile();
    RecoveryFile(const RecoveryFile&) = delete;
    RecoveryFile& operator=(const RecoveryFile&) = delete;

    // Writes the record and the path of the file it belongs to ("" when never saved).
    Status write(const Json& record, const QString& originalPath);
    // Removes the recovery file (after a save, or when the work is closed on purpose).
    void discard();
    QString path() const { return m_path; }
    bool exists() const;

    static QString directory();

    struct Orphan {
        QString recoveryPath;
        QString originalPath;
        QDateTime savedAt;
        Json record;
    };
    // Recovery files left by crashed sessions (their lock is free). Unreadable ones are skipped.
    static std::vector<Orphan> orphans();
    // Deletes an orphan's files.
    static void removeOrphan(const QString& recoveryPath);

private:
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
};

}  // namespace lecert::desktop
