// SPDX-License-Identifier: MIT
#pragma once
// SHA-256 digests as lowercase hex, over OpenSSL's EVP interface. Never throws.

#include <memory>
#include <string>
#include <string_view>

namespace lecert {

// Lowercase hex SHA-256 (64 characters) of `data`. Returns "" only if OpenSSL itself fails,
// which does not happen with a working libcrypto.
std::string sha256Hex(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces (files, streamed PDFs). Movable, not
// copyable. After finalHex() the object is reset and can hash a new message.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view data);
    // Digest of everything passed to update() since construction or the last finalHex().
    std::string finalHex();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace lecert
