// SPDX-License-Identifier: MIT
#include "core/review/signing.h"
#include "core/util/libcrypto.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>

#include "core/review/review.h"
#include "core/util/date.h"
#include "core/util/sha256.h"

namespace lecert::review {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSignatureDomain = "lecert-review-signature-v1\n";

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { crypto::lib().EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BioFree {
    void operator()(BIO* b) const { crypto::lib().BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { crypto::lib().EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string base64(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3), '\0');
    const int len = crypto::lib().EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                                  data, static_cast<int>(n));
    out.resize(len > 0 ? static_cast<std::size_t>(len) : 0);
    return out;
}

// Decodes standard base64 of exactly `expected` bytes; nullopt otherwise.
std::optional<std::string> unbase64(std::string_view s, std::size_t expected) {
    if (s.empty() || s.size() % 4 != 0 || s.size() > 4096) return std::nullopt;
    std::string out(s.size() / 4 * 3, '\0');
    const int len = crypto::lib().EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                                  reinterpret_cast<const unsigned char*>(s.data()),
                                                  static_cast<int>(s.size()));
    if (len < 0) return std::nullopt;
    std::size_t n = static_cast<std::size_t>(len);
    // EVP_DecodeBlock counts the padding as zero bytes.
    if (!s.empty() && s.back() == '=') --n;
    if (s.size() >= 2 && s[s.size() - 2] == '=') --n;
    if (n != expected) return std::nullopt;
    out.resize(n);
    return out;
}

std::string keyIdOf(const std::string& raw) {
    return sha256Hex(raw);
}

bool verifyEd25519(const std::string& rawPublic, std::string_view message, const std::string& sig) {
    PkeyPtr key(crypto::lib().EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(rawPublic.data()),
        rawPublic.size()));
    if (!key) return false;
    MdCtxPtr ctx(crypto::lib().EVP_MD_CTX_new());
    if (!ctx ||
        crypto::lib().EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return crypto::lib().EVP_DigestVerify(
               ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
               reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

const Json* member(const Json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

std::string stringMember(const Json& obj, std::string_view key) {
    const Json* m = member(obj, key);
    return m && m->is_string() ? m->get<std::string>() : std::string();
}

bool isSignedAction(const std::string& action) {
    return action == "submitted" || action == "returned" || action == "approved";
}

// The bytes an event's signature covers (see the header comment).
std::string signedMessage(const std::string& prevHash, const Json& event) {
    Json body = event;
    body.erase("hash");
    body.erase("signature");
    std::string m(kSignatureDomain);
    m += prevHash;
    m += '\n';
    m += stringMember(event, "snapshot_hash");
    m += '\n';
    m += dumpCanonical(body);
    return m;
}

}  // namespace

// ---- reviewer keys ----

struct ReviewerKey::Impl {
    PkeyPtr key;
    std::string rawPublic;
};

ReviewerKey::ReviewerKey() : m(std::make_unique<Impl>()) {}
ReviewerKey::~ReviewerKey() = default;
ReviewerKey::ReviewerKey(ReviewerKey&&) noexcept = default;
ReviewerKey& ReviewerKey::operator=(ReviewerKey&&) noexcept = default;

std::string ReviewerKey::defaultPath() {
    if (const char* p = std::getenv("LECERT_REVIEWER_KEY"); p && *p) return p;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
        return (fs::path(x) / "lecert" / "reviewer-key.pem").string();
    if (const char* h = std::getenv("HOME"); h && *h)
        return (fs::path(h) / ".config" / "lecert" / "reviewer-key.pem").string();
    return {};
}

namespace {

Result<PkeyPtr> createKeyFile(const std::string& path, const std::string& passphrase) {
    EVP_PKEY* raw = nullptr;
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        crypto::lib().EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
        crypto::lib().EVP_PKEY_CTX_free);
    if (!ctx || crypto::lib().EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        crypto::lib().EVP_PKEY_keygen(ctx.get(), &raw) != 1)
        return Error{"cannot create an Ed25519 key (OpenSSL)", {path, 0, 0, {}}};
    PkeyPtr key(raw);
    BioPtr bio(crypto::lib().BIO_new(crypto::lib().BIO_s_mem()));
    if (!bio || crypto::lib().PEM_write_bio_PKCS8PrivateKey(
                    bio.get(), key.get(), crypto::lib().EVP_aes_256_cbc(),
                    const_cast<char*>(passphrase.data()), static_cast<int>(passphrase.size()),
                    nullptr, nullptr) != 1)
        return Error{"cannot encrypt the new key (OpenSSL)", {path, 0, 0, {}}};
    char* data = nullptr;
    const long len =
        crypto::lib().BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, reinterpret_cast<char*>(&data));
    std::error_code ec;
    const fs::path dir = fs::path(path).parent_path();
    if (!dir.empty() && !fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        ::chmod(dir.c_str(), 0700);
    }
    // Owner-only from the start: writeFileAtomic creates the file with this mode.
    auto st = writeFileAtomic(path, std::string_view(data, static_cast<std::size_t>(len)), 0600);
    if (!st) return st.error();
    return key;
}

Result<PkeyPtr> readKeyFile(const std::string& path, const std::string& passphrase) {
    struct stat sb {};
    if (::stat(path.c_str(), &sb) == 0 && (sb.st_mode & 077) != 0)
        return Error{"the reviewer key file is readable by others; run chmod 600 on it",
                     {path, 0, 0, {}}};
    auto text = readFile(path, 64 * 1024);
    if (!text) return text.error();
    BioPtr bio(crypto::lib().BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
    EVP_PKEY* raw = bio ? crypto::lib().PEM_read_bio_PrivateKey(
                              bio.get(), nullptr, nullptr, const_cast<char*>(passphrase.c_str()))
                        : nullptr;
    if (!raw)
        return Error{"cannot open the reviewer key: wrong passphrase, or not a lecert key file",
                     {path, 0, 0, {}}};
    PkeyPtr key(raw);
    if (crypto::lib().EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return Error{"the reviewer key is not an Ed25519 key", {path, 0, 0, {}}};
    return key;
}

}  // namespace

Result<ReviewerKey> ReviewerKey::loadOrCreate(const std::string& path,
                                              const std::string& passphrase) {
    if (path.empty()) return Error{"no reviewer key file (set LECERT_REVIEWER_KEY)", {}};
    if (passphrase.empty())
        return Error{"an empty passphrase cannot protect the reviewer key", {path, 0, 0, {}}};
    std::error_code ec;
    auto key =
        fs::exists(path, ec) ? readKeyFile(path, passphrase) : createKeyFile(path, passphrase);
    if (!key) return key.error();
    ReviewerKey out;
    out.m->key = std::move(*key);
    std::size_t n = 32;
    out.m->rawPublic.assign(32, '\0');
    if (crypto::lib().EVP_PKEY_get_raw_public_key(
            out.m->key.get(), reinterpret_cast<unsigned char*>(out.m->rawPublic.data()), &n) != 1 ||
        n != 32)
        return Error{"cannot read the public half of the reviewer key", {path, 0, 0, {}}};
    return out;
}

std::string ReviewerKey::publicKeyBase64() const {
    return base64(reinterpret_cast<const unsigned char*>(m->rawPublic.data()), m->rawPublic.size());
}

std::string ReviewerKey::keyId() const {
    return keyIdOf(m->rawPublic);
}

Result<std::string> ReviewerKey::sign(std::string_view message) const {
    if (!m->key) return Error{"no reviewer key loaded", {}};
    MdCtxPtr ctx(crypto::lib().EVP_MD_CTX_new());
    unsigned char sig[64];
    std::size_t len = sizeof sig;
    if (!ctx ||
        crypto::lib().EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m->key.get()) != 1 ||
        crypto::lib().EVP_DigestSign(ctx.get(), sig, &len,
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size()) != 1)
        return Error{"signing failed (OpenSSL)", {}};
    return base64(sig, len);
}

std::string trustedKeyLine(const ReviewerKey& key, const std::string& name) {
    return "ed25519 " + key.publicKeyBase64() + " " + name;
}

// ---- trusted keys ----

Result<TrustStore> TrustStore::parse(std::string_view text, const std::string& source) {
    TrustStore out;
    int lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const auto nl = text.find('\n');
        std::string line(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        line.erase(0, first);
        const auto sp1 = line.find(' ');
        const auto sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
        if (sp2 == std::string::npos || line.substr(0, sp1) != "ed25519")
            return Error{"expected \"ed25519 <base64 public key> <name>\"",
                         {source, lineNo, 1, {}}};
        const std::string b64 = line.substr(sp1 + 1, sp2 - sp1 - 1);
        auto raw = unbase64(b64, 32);
        if (!raw) return Error{"the public key is not base64 of 32 bytes", {source, lineNo, 9, {}}};
        std::string name = line.substr(sp2 + 1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        if (name.empty()) return Error{"the key has no name", {source, lineNo, 1, {}}};
        out.add(TrustedKey{std::move(name), b64, keyIdOf(*raw)});
    }
    return out;
}

Result<TrustStore> TrustStore::load(const std::string& path) {
    auto text = readFile(path, 4u * 1024u * 1024u);
    if (!text) return text.error();
    return parse(*text, path);
}

TrustStore TrustStore::fromEnvironment() {
    const char* p = std::getenv("LECERT_TRUSTED_KEYS");
    if (!p || !*p) return {};
    // Every cover asks (a batch: once per record), so the parsed file is kept and read again
    // only when its path, inode, size or modification time changes (a stat instead of an
    // open, a read and a parse per record).
    struct stat st {};
    const bool statted = ::stat(p, &st) == 0;
    struct Cached {
        std::string path;
        ino_t ino = 0;
        off_t size = -1;
        struct timespec mtime {};
        TrustStore store;
    };
    static std::mutex mu;
    static std::optional<Cached> cached;
    std::lock_guard lock(mu);
    if (statted && cached && cached->path == p && cached->ino == st.st_ino &&
        cached->size == st.st_size && cached->mtime.tv_sec == st.st_mtim.tv_sec &&
        cached->mtime.tv_nsec == st.st_mtim.tv_nsec)
        return cached->store;
    auto t = load(p);
    TrustStore store = t ? std::move(*t) : TrustStore{};
    if (statted)
        cached = Cached{p, st.st_ino, st.st_size, st.st_mtim, store};
    else
        cached.reset();
    return store;
}

const TrustedKey* TrustStore::find(std::string_view keyId) const {
    for (const auto& k : m_keys)
        if (k.keyId == keyId) return &k;
    return nullptr;
}

// ---- signing and verifying events ----

Status signLastEvent(Json& record, const ReviewerKey& key) {
    Json* rv = record.is_object() && record.contains("review") ? &record["review"] : nullptr;
    if (!rv || !rv->is_object() || !rv->contains("events") || !(*rv)["events"].is_array() ||
        (*rv)["events"].empty())
        return Error{"the record has no review history to sign", {{}, 0, 0, "review.events"}};
    Json& events = (*rv)["events"];
    Json& last = events.back();
    if (!isSignedAction(stringMember(last, "action")))
        return Error{"only submitted, returned and approved events are signed",
                     {{}, 0, 0, "review.events"}};
    const std::string prev = events.size() > 1 ? stringMember(events[events.size() - 2], "hash")
                                               : std::string(kGenesisHash);
    if (eventHash(prev, last) != stringMember(last, "hash"))
        return Error{"the last event does not verify; it cannot be signed",
                     {{}, 0, 0, "review.events"}};
    auto sig = key.sign(signedMessage(prev, last));
    if (!sig) return sig.error();
    Json s = Json::object();
    s["alg"] = "ed25519";
    s["key_id"] = key.keyId();
    s["public_key"] = key.publicKeyBase64();
    s["sig"] = *sig;
    Json updated = last;
    updated.erase("hash");
    updated["signature"] = std::move(s);
    updated["hash"] = eventHash(prev, updated);
    (*rv)["head"] = updated["hash"];
    last = std::move(updated);
    return Ok{};
}

std::vector<EventSignature> verifySignatures(const Json& record, const TrustStore& trust) {
    std::vector<EventSignature> out;
    const Json* rv = member(record, "review");
    const Json* ev = rv ? member(*rv, "events") : nullptr;
    if (!ev || !ev->is_array()) return out;
    std::string prev(kGenesisHash);
    for (std::size_t i = 0; i < ev->size(); ++i) {
        const Json& e = (*ev)[i];
        const std::string action = stringMember(e, "action");
        if (isSignedAction(action)) {
            EventSignature es;
            es.index = i;
            es.action = action;
            es.actor = stringMember(e, "actor");
            const Json* s = member(e, "signature");
            if (s) {
                es.keyId = stringMember(*s, "key_id");
                auto raw = unbase64(stringMember(*s, "public_key"), 32);
                auto sig = unbase64(stringMember(*s, "sig"), 64);
                const bool good = stringMember(*s, "alg") == "ed25519" && raw && sig &&
                                  keyIdOf(*raw) == es.keyId &&
                                  verifyEd25519(*raw, signedMessage(prev, e), *sig);
                const TrustedKey* k = good ? trust.find(es.keyId) : nullptr;
                es.state = !good ? SignatureState::Invalid
                                 : (k ? SignatureState::Trusted : SignatureState::UnknownKey);
                if (k) es.keyName = k->name;
            }
            out.push_back(std::move(es));
        }
        prev = stringMember(e, "hash");
    }
    return out;
}

ApprovalStatus approvalStatus(const Json& record, const TrustStore& trust) {
    ApprovalStatus a;
    if (status(record) != ReviewStatus::Approved) return a;
    const VerifyResult chain = verifyChain(record);
    if (!chain.ok) {
        a.reason = "the review history does not verify";
        return a;
    }
    a.approved = true;
    const Json& ev = record["review"]["events"];
    std::size_t idx = ev.size();
    for (std::size_t i = ev.size(); i-- > 0;) {
        if (stringMember(ev[i], "action") == "approved") {
            idx = i;
            break;
        }
    }
    if (idx == ev.size()) {
        a.reason = "no approval event";
        return a;
    }
    a.approvedAt = stringMember(ev[idx], "at");
    a.contentChanged = stringMember(ev[idx], "snapshot_hash") != contentHash(record);
    const auto sigs = verifySignatures(record, trust);
    const EventSignature* s = nullptr;
    for (const auto& es : sigs)
        if (es.index == idx) s = &es;
    if (a.contentChanged) {
        a.reason = "the record content changed after the approval";
    } else if (!s || s->state == SignatureState::Unsigned) {
        a.reason = "the approval is not signed";
    } else if (s->state == SignatureState::Invalid) {
        a.reason = "the approval's signature is not valid";
    } else if (s->state == SignatureState::UnknownKey) {
        a.reason = "the approval is signed by a key that is not in the trusted keys";
    } else {
        a.verified = true;
        a.approvedBy = s->keyName;
    }
    return a;
}

std::string approvalLine(const Json& record, const TrustStore& trust) {
    const ApprovalStatus a = approvalStatus(record, trust);
    if (a.verified) {
        const auto d = Date::parseIso(std::string_view(a.approvedAt).substr(0, 10));
        return "Approved by " + a.approvedBy + " on " + (d ? d->us() : a.approvedAt.substr(0, 10));
    }
    if (status(record) == ReviewStatus::Approved) return "APPROVAL UNVERIFIED: " + a.reason;
    return "DRAFT";
}

}  // namespace lecert::review
