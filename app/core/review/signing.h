// SPDX-License-Identifier: MIT
#pragma once
// Authentic review events: Ed25519 signatures (OpenSSL) on submitted / returned / approved
// events, a reviewer key per user, and the agency's list of trusted public keys.
//
// Signature (stored as event.signature, covered by the event's hash like any other key):
//   {"alg": "ed25519", "key_id": <hex SHA-256 of the raw public key>,
//    "public_key": <base64 raw 32-byte key>, "sig": <base64 64-byte signature>}
//   signed message = "lecert-review-signature-v1\n" + prev + "\n" + snapshot_hash + "\n" +
//                    dumpCanonical(event without "hash" and "signature")
//   where prev is the previous event's hash (the chain head before this event) and
//   snapshot_hash the event's hash of the record content (the record without `review`).
// So a signature binds who (the key), what was decided (action, actor, time, note), the record
// content at that moment and the whole history before it.
//
// Reviewer key: a PEM file holding the Ed25519 private key encrypted with a passphrase
// (PKCS#8 PBES2: PBKDF2 + AES-256-CBC), mode 0600, at
// $LECERT_REVIEWER_KEY, else $XDG_CONFIG_HOME/lecert/reviewer-key.pem, else
// ~/.config/lecert/reviewer-key.pem; created on first use.
//
// Trusted keys file ($LECERT_TRUSTED_KEYS or --trusted-keys), kept by an administrator:
//   # comment lines and blank lines are ignored
//   ed25519 <base64 raw public key> <reviewer's name: the rest of the line>
// `lecert review key export --name NAME` prints such a line.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert::review {

// A reviewer's private signing key (Ed25519), loaded and decrypted.
class ReviewerKey {
public:
    ReviewerKey();
    ~ReviewerKey();
    ReviewerKey(ReviewerKey&&) noexcept;
    ReviewerKey& operator=(ReviewerKey&&) noexcept;

    // The default key file (see the header comment); empty when no folder can be found.
    static std::string defaultPath();
    // Loads the key at `path`, decrypting it with `passphrase`; when the file does not exist,
    // creates a new key there (folder created 0700, file 0600). An empty passphrase is refused.
    static Result<ReviewerKey> loadOrCreate(const std::string& path, const std::string& passphrase);

    // Base64 of the raw 32-byte public key, and its id (hex SHA-256 of the raw key).
    std::string publicKeyBase64() const;
    std::string keyId() const;
    // Base64 of the Ed25519 signature of `message`.
    Result<std::string> sign(std::string_view message) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

struct TrustedKey {
    std::string name;
    std::string publicKeyBase64;
    std::string keyId;
};

// The agency's trusted reviewer keys.
class TrustStore {
public:
    // Parses the file format above; errors name the file and line.
    static Result<TrustStore> parse(std::string_view text, const std::string& source);
    static Result<TrustStore> load(const std::string& path);
    // $LECERT_TRUSTED_KEYS when set and readable, else an empty store (nothing is trusted).
    static TrustStore fromEnvironment();
    const TrustedKey* find(std::string_view keyId) const;
    bool empty() const { return m_keys.empty(); }
    void add(TrustedKey key) { m_keys.push_back(std::move(key)); }

private:
    std::vector<TrustedKey> m_keys;
};

// The trusted-keys line for a public key: "ed25519 <base64> <name>".
std::string trustedKeyLine(const ReviewerKey& key, const std::string& name);

// Signs the record's last event (which must be submitted, returned or approved) with `key`:
// adds event.signature and recomputes that event's hash and review.head. Call right after
// submit(), returnToOfficer() or approve().
Status signLastEvent(Json& record, const ReviewerKey& key);

enum class SignatureState { Unsigned, Trusted, UnknownKey, Invalid };

struct EventSignature {
    std::size_t index = 0;  // 0-based event index
    std::string action;     // "submitted", "returned", "approved"
    std::string actor;
    SignatureState state = SignatureState::Unsigned;
    std::string keyName;  // Trusted: the name in the trusted keys file
    std::string keyId;    // when signed
};

// The signature state of every submitted / returned / approved event, in order. Invalid: the
// signature does not verify for its key, message or content (forged or altered).
std::vector<EventSignature> verifySignatures(const Json& record, const TrustStore& trust);

struct ApprovalStatus {
    bool approved = false;        // review.status is approved and the chain verifies
    bool contentChanged = false;  // the content differs from what was approved
    bool verified = false;        // approved, content unchanged, signed by a trusted key
    std::string approvedBy;       // verified: the trusted key's name
    std::string approvedAt;       // ISO timestamp of the approval
    std::string reason;           // why not verified (for messages), empty when verified
};
ApprovalStatus approvalStatus(const Json& record, const TrustStore& trust);

// The cover's line: "Approved by <trusted name> on MM/DD/YYYY" only for a verified approval;
// "APPROVAL UNVERIFIED: <reason>" for an approval that is not; else "DRAFT".
std::string approvalLine(const Json& record, const TrustStore& trust);

}  // namespace lecert::review
