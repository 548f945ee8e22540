// SPDX-License-Identifier: MIT
#include "core/jobs/batch_manifest.h"

#include <filesystem>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/lecert.h"
#include "core/util/atomic_file.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

namespace lecert {

namespace fs = std::filesystem;

// The scrypt cost: about 0.1 s and 32 MiB once per run, so that a guess at the password from a
// stolen output folder costs the same (the old unsalted SHA-256 tag allowed ~270k guesses/s).
constexpr std::uint64_t kScryptN = 1u << 15, kScryptR = 8, kScryptP = 1;

Result<std::string> derivePasswordKey(const std::string& password, const std::string& manifestDir) {
    const std::string saltPath = (fs::path(manifestDir) / "password-salt").string();
    std::string salt;
    if (auto text = readFile(saltPath, 1024); text && text->size() >= 32) {
        salt = text->substr(0, 32);
    } else {
        unsigned char raw[16];
        if (RAND_bytes(raw, sizeof raw) != 1)
            return Error{"no secure random source for the password salt", {saltPath, 0, 0, {}}};
        static const char* hex = "0123456789abcdef";
        for (unsigned char c : raw) {
            salt += hex[c >> 4];
            salt += hex[c & 15];
        }
        if (auto st = writeFileAtomic(saltPath, salt + "\n", 0600); !st) return st.error();
    }
    std::string key(32, '\0');
    if (EVP_PBE_scrypt(password.data(), password.size(),
                       reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), kScryptN,
                       kScryptR, kScryptP, 64u * 1024u * 1024u,
                       reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1)
        return Error{"cannot derive the password key (scrypt)", {saltPath, 0, 0, {}}};
    return key;
}

std::string hmacHex(const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned int i = 0; i < len; ++i) {
        s += hex[out[i] >> 4];
        s += hex[out[i] & 15];
    }
    return s;
}

BatchManifests::BatchManifests(std::string outDir, std::string manifestDir, std::string optionsKey)
    : m_outDir(std::move(outDir)),
      m_dir(std::move(manifestDir)),
      m_optionsKey(std::move(optionsKey)) {}

std::string BatchManifests::pathOf(const std::string& name) const {
    return (fs::path(m_dir) / (name + ".json")).string();
}

std::vector<std::string> BatchManifests::filesOf(const std::string& name) const {
    const std::string manifestPath = pathOf(name);
    std::vector<std::string> out;
    auto text = readFile(manifestPath, 1 << 20);
    if (!text) return out;
    auto j = parseJson(*text, manifestPath);
    if (!j || !j->is_object() || !j->contains("outputs") || !(*j)["outputs"].is_array()) return out;
    for (const auto& o : (*j)["outputs"]) {
        if (o.is_object() && o.contains("file") && o["file"].is_string())
            out.push_back(o["file"].get<std::string>());
    }
    return out;
}

bool BatchManifests::upToDate(const std::string& name, const std::string& inputHash,
                              const std::string& passwordTag,
                              const std::vector<std::string>& expectedFiles,
                              std::vector<OutputFile>& outputs) const {
    auto text = readFile(pathOf(name), 1 << 20);
    if (!text) return false;
    auto j = parseJson(*text, name);
    if (!j || !j->is_object()) return false;
    const Json& m = *j;
    auto str = [&](const char* key) {
        auto it = m.find(key);
        return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (str("lecert") != version() || str("input_sha256") != inputHash ||
        str("options") != m_optionsKey || str("password_tag") != passwordTag)
        return false;
    auto outs = m.find("outputs");
    if (outs == m.end() || !outs->is_array()) return false;
    std::vector<OutputFile> found;
    for (const auto& o : *outs) {
        if (!o.is_object() || !o.contains("file") || !o["file"].is_string() ||
            !o.contains("sha256"))
            return false;
        OutputFile f{o["file"].get<std::string>(),
                     o["sha256"].is_string() ? o["sha256"].get<std::string>() : "", 0};
        if (f.file.find('/') != std::string::npos || f.file.empty() || f.file.front() == '.')
            return false;
        auto bytes = readFile((fs::path(m_outDir) / f.file).string());
        if (!bytes || sha256Hex(*bytes) != f.sha256) return false;
        f.bytes = bytes->size();
        found.push_back(std::move(f));
    }
    // The manifest must name exactly the outputs these options produce.
    if (found.size() != expectedFiles.size()) return false;
    for (std::size_t i = 0; i < found.size(); ++i)
        if (found[i].file != expectedFiles[i]) return false;
    outputs = std::move(found);
    return true;
}

void BatchManifests::forget(const std::string& name) {
    std::error_code ec;
    fs::remove(pathOf(name), ec);
}

void BatchManifests::record(const std::string& name, const std::string& source,
                            const std::string& inputHash, const std::string& passwordTag,
                            const std::vector<OutputFile>& outputs) {
    Json manifest = Json::object();
    manifest["lecert"] = version();
    manifest["source"] = source;
    manifest["input_sha256"] = inputHash;
    manifest["options"] = m_optionsKey;
    manifest["password_tag"] = passwordTag;
    if (!passwordTag.empty()) manifest["password_kdf"] = "scrypt-hmac-sha256";
    Json outs = Json::array();
    for (const auto& o : outputs)
        outs.push_back(Json{{"file", o.file}, {"sha256", o.sha256}, {"bytes", o.bytes}});
    manifest["outputs"] = std::move(outs);
    (void)writeFileAtomic(pathOf(name), dumpPretty(manifest), 0600, Durability::Deferred);
}

void BatchManifests::cleanStaleTemporaries() const {
    // Temporaries of writeFileAtomic (".<name>.tmp-XXXXXX") can stay after a hard kill.
    for (const std::string& dir : {m_outDir, m_dir}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            const std::string n = e.path().filename().string();
            const bool ours =
                isTempNameFor(n, ".pdf") || (dir == m_dir && isTempNameFor(n, ".json"));
            if (ours && e.is_regular_file(ec)) fs::remove(e.path(), ec);
        }
    }
}

}  // namespace lecert
