// SPDX-License-Identifier: MIT
#include "core/util/libcrypto.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace lecert::crypto {

namespace {

// libcrypto of the OpenSSL major version whose headers lecert was built with.
const std::string kSoname = "libcrypto.so." + std::to_string(OPENSSL_VERSION_MAJOR);

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "lecert: cannot load %s (%s); install OpenSSL's libcrypto (libssl3)\n",
                 kSoname.c_str(), why.c_str());
    std::_Exit(127);
}

Lib load() {
    void* h = ::dlopen(kSoname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char* err = ::dlerror();
        fail(err ? err : "not found");
    }
    Lib lib;
#define LECERT_CRYPTO_RESOLVE(name)                                     \
    lib.name = reinterpret_cast<decltype(lib.name)>(::dlsym(h, #name)); \
    if (!lib.name) fail("it has no " #name);
    LECERT_CRYPTO_FUNCTIONS(LECERT_CRYPTO_RESOLVE)
#undef LECERT_CRYPTO_RESOLVE
    return lib;  // the handle stays open until exit
}

}  // namespace

const Lib& lib() {
    static const Lib l = load();
    return l;
}

}  // namespace lecert::crypto
