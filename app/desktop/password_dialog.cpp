// SPDX-License-Identifier: MIT
#include "desktop/password_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/jobs/fill_job.h"
#include "desktop/app_style.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

PasswordDialog::PasswordDialog(Mode mode, const QString& intro, QWidget* parent)
    : QDialog(parent), m_mode(mode) {
    setObjectName(QStringLiteral("passwordDialog"));
    setWindowTitle(mode == Mode::Export ? tr("Export PDFs") : tr("Signing key passphrase"));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(intro, this);
    text->setWordWrap(true);
    layout->addWidget(text);
    if (mode == Mode::Export) {
        m_encrypt = new QCheckBox(tr("&Protect both PDFs with a password (AES-256)"), this);
        m_encrypt->setObjectName(QStringLiteral("encryptBox"));
        layout->addWidget(m_encrypt);
        connect(m_encrypt, &QCheckBox::toggled, this, &PasswordDialog::update);
    }
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMinimumWidth(fontMetrics().averageCharWidth() * 36);
    form->addRow(mode == Mode::Export ? tr("Pass&word:") : tr("Pass&phrase:"), m_password);
    connect(m_password, &QLineEdit::textChanged, this, &PasswordDialog::update);
    if (mode != Mode::Passphrase) {
        m_confirm = new QLineEdit(this);
        m_confirm->setObjectName(QStringLiteral("confirm"));
        m_confirm->setEchoMode(QLineEdit::Password);
        form->addRow(tr("&Type it again:"), m_confirm);
        connect(m_confirm, &QLineEdit::textChanged, this, &PasswordDialog::update);
    }
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("passwordProblem"));
    m_problem->setWordWrap(true);
    // Room for one line always, so that the dialog does not jump when a message appears.
    m_problem->setMinimumHeight(fontMetrics().height() * 2);
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    update();
    (m_encrypt ? static_cast<QWidget*>(m_encrypt) : m_password)->setFocus();
}

PasswordDialog::~PasswordDialog() {
    m_password->clear();
    if (m_confirm) m_confirm->clear();
}

QString PasswordDialog::problem(const QString& password, const QString& confirm, bool needConfirm) {
    if (password.isEmpty()) return tr("Enter a password.");
    if (password.contains(QChar(0))) return tr("The password must not contain a NUL character.");
    const auto bytes = static_cast<std::size_t>(password.toUtf8().size());
    // The CLI's rule (readPasswordFile): AES-256 (R6) keys on at most this many bytes.
    if (bytes > kMaxPasswordBytes)
        return tr("The password is %1 bytes long in UTF-8; PDF encryption (AES-256) allows at "
                  "most %2 bytes.")
            .arg(bytes)
            .arg(kMaxPasswordBytes);
    if (needConfirm && confirm != password) return tr("The two entries are not the same.");
    return {};
}

bool PasswordDialog::encrypt() const {
    return !m_encrypt || m_encrypt->isChecked();
}

void PasswordDialog::update() {
    const bool on = encrypt();
    m_password->setEnabled(on);
    if (m_confirm) m_confirm->setEnabled(on);
    QString why = on ? problem(m_password->text(), m_confirm ? m_confirm->text() : QString(),
                               m_confirm != nullptr)
                     : QString();
    if (m_mode == Mode::Passphrase && !m_password->text().isEmpty()) why.clear();
    // No reproach before anything was typed: the empty state only disables OK.
    const bool untouched =
        on && m_password->text().isEmpty() && (!m_confirm || m_confirm->text().isEmpty());
    m_problem->setText(untouched ? QString() : why);
    setStyleTone(m_problem, why.isEmpty() ? "ok" : "error");
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(m_mode != Mode::Export ? tr("OK")
                  : on                   ? tr("Encrypt and Save")
                                         : tr("Save"));
}

std::string PasswordDialog::take() {
    std::string out = encrypt() ? ss(m_password->text()) : std::string();
    m_password->clear();
    if (m_confirm) m_confirm->clear();
    return out;
}

}  // namespace lecert::desktop
