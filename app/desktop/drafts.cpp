// SPDX-License-Identifier: MIT
#include "desktop/drafts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

#include "core/model/form_catalog.h"
#include "core/model/record.h"
#include "core/review/review.h"
#include "core/rules/validator.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

namespace {

constexpr int kMaxRecent = 10;
const QString kRecentKey = QStringLiteral("drafts/recent");

}  // namespace

DraftSummary summarizeDraft(const QString& path, std::optional<Date> today) {
    DraftSummary s;
    s.path = path;
    const QFileInfo info(path);
    s.modified = info.lastModified();
    auto text = readFile(ss(path), 64u * 1024u * 1024u);
    if (!text) {
        s.error = QObject::tr("cannot be read");
        return s;
    }
    auto json = parseJson(*text, ss(path));
    if (!json || !json->is_object()) {
        s.error = QObject::tr("not a record");
        return s;
    }
    const Record r(std::move(*json));
    const auto form = r.form();
    const auto formData = form ? formInfo(*form) : std::nullopt;
    s.form = formData ? qs(formData->shortName) : QObject::tr("unknown form");
    s.hasFilingDeadline = formData && formData->hasFilingDeadline;
    const QString family = qs(r.string("victim.family_name")).trimmed();
    const QString given = qs(r.string("victim.given_name")).trimmed();
    s.victim = family.isEmpty()  ? given
               : given.isEmpty() ? family
                                 : family + QStringLiteral(", ") + given;
    s.caseNumber = qs(r.string("agency.case_number")).trimmed();
    s.status = qs(review::toString(review::status(r.json())));
    if (const auto last = filingLastDay(r))
        s.daysLeft = daysBetween(today.value_or(Date::today()), *last);
    return s;
}

QString uniqueDraftPath(const QString& dir, const QString& form, const QString& caseNumber,
                        const QString& recordId) {
    QString key = caseNumber.trimmed();
    if (key.isEmpty()) key = recordId.trimmed();
    if (key.isEmpty()) key = QStringLiteral("draft");
    key.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    const QString base = dir + QLatin1Char('/') + form + QLatin1Char('-') + key;
    QString path = base + QStringLiteral(".json");
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = base + QLatin1Char('-') + QString::number(n) + QStringLiteral(".json");
    return path;
}

QStringList recentDrafts() {
    QSettings settings;
    return settings.value(kRecentKey).toStringList();
}

void addRecentDraft(const QString& path) {
    QSettings settings;
    QStringList list = settings.value(kRecentKey).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent) list.removeLast();
    settings.setValue(kRecentKey, list);
}

void removeRecentDraft(const QString& path) {
    QSettings settings;
    QStringList list = settings.value(kRecentKey).toStringList();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    settings.setValue(kRecentKey, list);
}

QString RecoveryFile::directory() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                        QStringLiteral("/recovery");
    QDir().mkpath(dir);
    // Drafts hold victim data: keep the folder private to the user.
    QFile::setPermissions(dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return dir;
}

RecoveryFile::RecoveryFile() {
    const QString base =
        directory() + QLatin1Char('/') + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_path = base + QStringLiteral(".json");
    m_lock = std::make_unique<QLockFile>(base + QStringLiteral(".lock"));
    m_lock->setStaleLockTime(0);
    m_lock->tryLock(0);
}

RecoveryFile::~RecoveryFile() {
    discard();
    m_lock->unlock();
}

Status RecoveryFile::write(const Json& record, const QString& originalPath) {
    Json doc = Json::object();
    doc["lecert_recovery"] = 1;
    doc["original_path"] = ss(originalPath);
    doc["saved_at"] = review::nowUtcIso();
    doc["record"] = record;
    return writeFileAtomic(ss(m_path), dumpPretty(doc), 0600);
}

void RecoveryFile::discard() {
    QFile::remove(m_path);
}

bool RecoveryFile::exists() const {
    return QFileInfo::exists(m_path);
}

std::vector<RecoveryFile::Orphan> RecoveryFile::orphans() {
    std::vector<Orphan> out;
    const QDir dir(directory());
    const QFileInfoList files =
        dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Time);
    for (const QFileInfo& f : files) {
        const QString lockPath =
            f.absolutePath() + QLatin1Char('/') + f.completeBaseName() + QStringLiteral(".lock");
        QLockFile lock(lockPath);
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0)) continue;  // a running window owns it
        lock.unlock();
        auto text = readFile(ss(f.absoluteFilePath()), 64u * 1024u * 1024u);
        if (!text) continue;
        auto json = parseJson(*text, ss(f.fileName()));
        if (!json || !json->is_object() || !json->contains("record")) continue;
        Orphan o;
        o.recoveryPath = f.absoluteFilePath();
        if (auto p = json->find("original_path"); p != json->end() && p->is_string()) {
            o.originalPath = qs(p->get<std::string>());
        }
        o.savedAt = f.lastModified();
        o.record = (*json)["record"];
        out.push_back(std::move(o));
    }
    return out;
}

void RecoveryFile::removeOrphan(const QString& recoveryPath) {
    QFile::remove(recoveryPath);
    const QFileInfo f(recoveryPath);
    QFile::remove(f.absolutePath() + QLatin1Char('/') + f.completeBaseName() +
                  QStringLiteral(".lock"));
}

}  // namespace lecert::desktop
