// SPDX-License-Identifier: MIT
#pragma once
// PasswordDialog: asks for a password twice, for the PDFs of one export (encryption on
// export) or for a signing key's passphrase. The rules are the CLI's (lecert fill
// --password-file): not empty, at most 127 bytes of UTF-8 (AES-256 R6 uses no more), no NUL,
// both entries equal. OK stays disabled and a line says why until the entries are acceptable.
// The text is never stored: take() hands it over once and clears the fields.

#include <QDialog>

#include <string>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace lecert::desktop {

class PasswordDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode {
        Export,         // optional: "Protect the PDFs with a password" + password + confirm
        NewPassphrase,  // a new signing key: passphrase + confirm
        Passphrase,     // unlocking a signing key: one field
    };
    PasswordDialog(Mode mode, const QString& intro, QWidget* parent = nullptr);
    ~PasswordDialog() override;

    // Why the entries cannot be used ("" when they can). Export without encryption: "".
    static QString problem(const QString& password, const QString& confirm, bool needConfirm);

    bool encrypt() const;  // Export mode: the box is ticked; other modes: true
    // The password as UTF-8 (empty when not encrypting); clears the fields.
    std::string take();

    QLineEdit* passwordEdit() const { return m_password; }
    QLineEdit* confirmEdit() const { return m_confirm; }
    QCheckBox* encryptBox() const { return m_encrypt; }
    QLabel* problemLabel() const { return m_problem; }
    QDialogButtonBox* buttons() const { return m_buttons; }

private:
    void update();

    Mode m_mode;
    QCheckBox* m_encrypt = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_confirm = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace lecert::desktop
