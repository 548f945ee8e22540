// SPDX-License-Identifier: MIT
#include "core/util/sha256.h"
#include "core/util/libcrypto.h"

#include <array>

namespace lecert {

namespace {

std::string toHex(const unsigned char* bytes, unsigned int n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::size_t{n} * 2);
    for (unsigned int i = 0; i < n; ++i) {
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0x0F]);
    }
    return out;
}

struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { crypto::lib().EVP_MD_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

}  // namespace

std::string sha256Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (crypto::lib().EVP_Digest(data.data(), data.size(), md.data(), &len,
                                 crypto::lib().EVP_sha256(), nullptr) != 1)
        return {};
    return toHex(md.data(), len);
}

struct Sha256::Impl {
    CtxPtr ctx;
    bool ok = false;

    void reset() {
        if (!ctx) ctx.reset(crypto::lib().EVP_MD_CTX_new());
        ok = ctx &&
             crypto::lib().EVP_DigestInit_ex(ctx.get(), crypto::lib().EVP_sha256(), nullptr) == 1;
    }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
    m_impl->reset();
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view data) {
    if (!m_impl) {
        m_impl = std::make_unique<Impl>();
        m_impl->reset();
    }
    if (m_impl->ok &&
        crypto::lib().EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size()) != 1)
        m_impl->ok = false;
}

std::string Sha256::finalHex() {
    if (!m_impl) {
        m_impl = std::make_unique<Impl>();
        m_impl->reset();
    }
    std::string out;
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (m_impl->ok && crypto::lib().EVP_DigestFinal_ex(m_impl->ctx.get(), md.data(), &len) == 1)
        out = toHex(md.data(), len);
    m_impl->reset();
    return out;
}

}  // namespace lecert
