// SPDX-License-Identifier: MIT
#pragma once
// The OpenSSL functions lecert_core uses (SHA-256, HMAC, scrypt, Ed25519 signatures, random
// bytes), resolved once per process. libcrypto is opened with dlopen() the first time one is
// needed, not linked: its own relocations (5,000 symbol bindings, 400 KB made read-only after
// relocation) cost about 2 ms at every start, a third of `lecert validate`, which needs none.
// Only the declarations of OpenSSL's headers are used.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace lecert::crypto {

#define LECERT_CRYPTO_FUNCTIONS(X)   \
    X(BIO_ctrl)                      \
    X(BIO_free)                      \
    X(BIO_new)                       \
    X(BIO_new_mem_buf)               \
    X(BIO_s_mem)                     \
    X(EVP_DecodeBlock)               \
    X(EVP_Digest)                    \
    X(EVP_DigestFinal_ex)            \
    X(EVP_DigestInit_ex)             \
    X(EVP_DigestSign)                \
    X(EVP_DigestSignInit)            \
    X(EVP_DigestUpdate)              \
    X(EVP_DigestVerify)              \
    X(EVP_DigestVerifyInit)          \
    X(EVP_EncodeBlock)               \
    X(EVP_MD_CTX_free)               \
    X(EVP_MD_CTX_new)                \
    X(EVP_PBE_scrypt)                \
    X(EVP_PKEY_CTX_free)             \
    X(EVP_PKEY_CTX_new_id)           \
    X(EVP_PKEY_free)                 \
    X(EVP_PKEY_get_id)               \
    X(EVP_PKEY_get_raw_public_key)   \
    X(EVP_PKEY_keygen)               \
    X(EVP_PKEY_keygen_init)          \
    X(EVP_PKEY_new_raw_public_key)   \
    X(EVP_aes_256_cbc)               \
    X(EVP_sha256)                    \
    X(HMAC)                          \
    X(PEM_read_bio_PrivateKey)       \
    X(PEM_write_bio_PKCS8PrivateKey) \
    X(RAND_bytes)                    \
    X(SHA256)

struct Lib {
// A member's name cannot be parenthesised.
#define LECERT_CRYPTO_POINTER(name) \
    decltype(&::name) name = nullptr;  // NOLINT(bugprone-macro-parentheses)
    LECERT_CRYPTO_FUNCTIONS(LECERT_CRYPTO_POINTER)
#undef LECERT_CRYPTO_POINTER
};

// The functions, loaded on first call. When libcrypto cannot be loaded the program stops with
// a message, as the dynamic loader would have stopped it had libcrypto been linked.
const Lib& lib();

}  // namespace lecert::crypto
