// SPDX-License-Identifier: MIT
#include "desktop/draft_session.h"

#include <QFile>
#include <QFileInfo>
#include <QTime>

#include <utility>

#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"

namespace lecert::desktop {

DraftSession::DraftSession(RecordModel* model) : m_model(model), m_renderer(createCoreRenderer()) {}

DraftSession::~DraftSession() = default;

Status DraftSession::startNew(FormId form) {
    const Status st = m_model->reset(RecordModel::newRecordJson(form), QString());
    if (!st) return st;
    m_recovery = std::make_unique<RecoveryFile>();
    m_autosavedAt.clear();
    return Ok{};
}

Status DraftSession::open(const QString& path) {
    auto text = readFile(ss(path), 64u * 1024u * 1024u);
    if (!text) return text.error();
    auto json = parseJson(*text, ss(QFileInfo(path).fileName()));
    if (!json) return json.error();
    const Status st = m_model->reset(std::move(*json), QFileInfo(path).absoluteFilePath());
    if (!st) {
        Error e = st.error();
        e.message = ss(QFileInfo(path).fileName()) + ": " + e.toString();
        e.where = {};
        return e;
    }
    m_model->setShowAllIssues(true);
    m_recovery = std::make_unique<RecoveryFile>();
    m_autosavedAt.clear();
    addRecentDraft(path);
    return Ok{};
}

Status DraftSession::openRecord(Json record) {
    const Status st = m_model->reset(std::move(record), QString());
    if (!st) return st;
    m_model->setShowAllIssues(true);
    m_recovery = std::make_unique<RecoveryFile>();
    m_autosavedAt.clear();
    return Ok{};
}

Status DraftSession::recover(const RecoveryFile::Orphan& orphan) {
    const Status st = m_model->reset(orphan.record, orphan.originalPath, true);
    if (!st) return st;
    m_model->setShowAllIssues(true);
    m_recovery = std::make_unique<RecoveryFile>();
    RecoveryFile::removeOrphan(orphan.recoveryPath);
    return Ok{};
}

Status DraftSession::saveTo(const QString& path) {
    const Status st = m_model->saveTo(QFileInfo(path).absoluteFilePath());
    if (!st) return st;
    discardRecovery();
    addRecentDraft(path);
    return Ok{};
}

void DraftSession::discardRecovery() {
    if (m_recovery) m_recovery->discard();
    m_autosavedAt.clear();
}

Status DraftSession::writeRecovery() {
    if (!m_recovery || !m_model->isLoaded() || !m_model->isModified()) return Ok{};
    // The record exactly as typed, so recovery gives back what was on screen.
    const Status st = m_recovery->write(m_model->record().json(), m_model->filePath());
    if (st) m_autosavedAt = QTime::currentTime().toString(QStringLiteral("HH:mm"));
    return st;
}

Result<RenderedPdfs> DraftSession::render(bool flatten) const {
    if (!m_model->isLoaded()) return Error{"no record is open", {}};
    RenderRequest rq;
    rq.draft = countIssues(m_model->issues(), Severity::Error) > 0;
    rq.flatten = flatten;
    rq.today = m_today;
    return m_renderer->render(m_model->savedJson(), rq);
}

QString DraftSession::coverPathFor(const QString& formPath) {
    const QFileInfo info(formPath);
    return info.absolutePath() + QLatin1Char('/') + info.completeBaseName() +
           QStringLiteral("-cover.pdf");
}

namespace {

void wipe(std::string& secret) {
    secret.assign(secret.size(), '\0');
    secret.clear();
}

}  // namespace

Result<RenderedPdfs> DraftSession::exportPdfs(const QString& formPath) const {
    ExportRequest rq;
    rq.formPath = formPath;
    return exportPdfs(rq);
}

Result<RenderedPdfs> DraftSession::exportPdfs(ExportRequest& request) const {
    if (!m_model->isLoaded()) {
        wipe(request.password);
        return Error{"no record is open", {}};
    }
    RenderRequest rq;
    rq.draft = countIssues(m_model->issues(), Severity::Error) > 0;
    rq.today = m_today;
    rq.password = request.password;
    rq.officialPath = ss(request.officialPath);
    wipe(request.password);
    auto pdfs = m_renderer->render(m_model->savedJson(), rq);
    wipe(rq.password);
    if (!pdfs) return pdfs.error();
    const QString formPath = QFileInfo(request.formPath).absoluteFilePath();
    const QString coverPath = coverPathFor(formPath);
    // The cover first, removed again if the form cannot be written: both files or neither.
    if (const Status st = writeFileAtomic(ss(coverPath), pdfs->cover.toStdString(), 0600); !st)
        return st.error();
    if (const Status st = writeFileAtomic(ss(formPath), pdfs->form.toStdString(), 0600); !st) {
        QFile::remove(coverPath);
        return st.error();
    }
    return pdfs;
}

}  // namespace lecert::desktop
