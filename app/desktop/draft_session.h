// SPDX-License-Identifier: MIT
#pragma once
// DraftSession: the files behind the worksheet, without any widget. It opens, saves and
// closes the record in the RecordModel, keeps the crash-recovery copy, remembers recent
// drafts, and renders and writes the PDFs (form + cover summary). MainWindow asks the user
// and shows the results; every file operation is here, in one place: exportPdfs() is the one
// export path for the worksheet, the official form and the cover, encrypted or not.

#include <QString>

#include <memory>
#include <optional>

#include "core/model/record.h"
#include "core/util/date.h"
#include "core/util/result.h"
#include "desktop/document_renderer.h"
#include "desktop/drafts.h"

namespace lecert::desktop {

class RecordModel;

class DraftSession {
public:
    explicit DraftSession(RecordModel* model);
    ~DraftSession();

    // A new, empty worksheet of `form`.
    Status startNew(FormId form);
    // Reads a record file into the model; the error names the file and what is wrong.
    Status open(const QString& path);
    // Puts a record that lives elsewhere (the register) into the model, without a file.
    Status openRecord(Json record);
    // Puts a crashed session's work into the model (modified, not saved) and removes the orphan.
    Status recover(const RecoveryFile::Orphan& orphan);
    // Writes the record to `path` (atomic, owner-only) and drops the recovery copy.
    Status saveTo(const QString& path);
    // The record no longer needs its recovery copy (saved elsewhere, discarded, closed).
    void discardRecovery();
    // Writes the recovery copy when the record has unsaved changes; sets autosavedAt().
    Status writeRecovery();
    // "HH:mm" of the last recovery copy, "" when none since the last save.
    QString autosavedAt() const { return m_autosavedAt; }
    RecoveryFile* recoveryFile() const { return m_recovery.get(); }

    // The PDFs of the current record; a record with errors always comes out as a draft.
    Result<RenderedPdfs> render(bool flatten) const;
    struct ExportRequest {
        QString formPath;      // the form PDF; the cover goes to coverPathFor(formPath)
        QString officialPath;  // the official USCIS PDF to fill; empty = lecert's worksheet
        // Non-empty: both PDFs AES-256 encrypted, each reopened with it before anything is
        // written. exportPdfs() wipes it (the caller's copy too) whatever the outcome.
        std::string password;
    };
    // Writes the form and the cover (atomic, 0600): both or neither.
    Result<RenderedPdfs> exportPdfs(ExportRequest& request) const;
    Result<RenderedPdfs> exportPdfs(const QString& formPath) const;
    static QString coverPathFor(const QString& formPath);

    void setRenderer(std::unique_ptr<DocumentRenderer> renderer) {
        m_renderer = std::move(renderer);
    }
    void setToday(std::optional<Date> today) { m_today = today; }

private:
    RecordModel* m_model;
    std::unique_ptr<DocumentRenderer> m_renderer;
    std::unique_ptr<RecoveryFile> m_recovery;
    std::optional<Date> m_today;
    QString m_autosavedAt;
};

}  // namespace lecert::desktop
