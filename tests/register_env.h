// SPDX-License-Identifier: MIT
#pragma once
// One register for a test, on either back end, with the agency's cast of users:
//   ofc_a (officer, unit svu), ofc_b (officer, unit patrol), sup_s and sup_t (supervisors,
//   svu), clerk_c (records clerk), aud_x (auditor). Deadlines: California (US-CA).

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "core/register/register.h"
#include "pg_server.h"
#include "support.h"

namespace lecert::test {

class RegisterEnv {
public:
    virtual ~RegisterEnv() = default;
    // A connection acting as `user`.
    virtual std::unique_ptr<Register> as(const std::string& user) = 0;
    virtual std::string location(const std::string& user) const = 0;
    virtual std::string backend() const = 0;
    // A connection that may add users.
    std::unique_ptr<Register> admin() {
        return as(backend() == "sqlite" ? "sup_s" : PgServer::kAdmin);
    }
};

inline std::unique_ptr<Register> openOrFail(const std::string& location, const std::string& user,
                                            bool create = false) {
    auto r = Register::open(location, RegisterOptions{user}, create);
    if (!r) FAIL("open register: " << r.error().toString());
    return std::move(*r);
}

class SqliteEnv final : public RegisterEnv {
public:
    SqliteEnv() : m_path(m_dir.file("register.db")) {
        auto boot = openOrFail(m_path, "sup_s", true);
        RegisterInit init;
        init.jurisdiction = "US-CA";
        // One test process acts as the whole cast; the os-account mode has its own tests.
        init.identity = RegisterIdentity::TrustedDesk;
        REQUIRE(boot->init(init).ok());
        addCast(*boot);
    }
    std::unique_ptr<Register> as(const std::string& user) override {
        return openOrFail(m_path, user);
    }
    std::string location(const std::string&) const override { return m_path; }
    std::string backend() const override { return "sqlite"; }
    const std::string& path() const { return m_path; }

    static void addCast(Register& r) {
        const UserInfo cast[] = {
            {"sup_s", RegisterRole::Supervisor, "svu"},  {"sup_t", RegisterRole::Supervisor, "svu"},
            {"ofc_a", RegisterRole::Officer, "svu"},     {"ofc_b", RegisterRole::Officer, "patrol"},
            {"clerk_c", RegisterRole::Clerk, "records"}, {"aud_x", RegisterRole::Auditor, ""}};
        for (const auto& u : cast) {
            Status s = r.addUser(u);
            if (!s) FAIL("addUser " << u.name << ": " << s.error().toString());
        }
    }

private:
    TempDir m_dir;
    std::string m_path;
};

class PgEnv final : public RegisterEnv {
public:
    explicit PgEnv(PgServer& server) : m_server(server), m_db(server.createDatabase()) {
        REQUIRE(!m_db.empty());
        auto admin = openOrFail(m_server.url(PgServer::kAdmin, m_db), "");
        RegisterInit init;
        init.jurisdiction = "US-CA";
        Status s = admin->init(init);
        if (!s) FAIL("init: " << s.error().toString());
        SqliteEnv::addCast(*admin);
    }
    std::unique_ptr<Register> as(const std::string& user) override {
        return openOrFail(location(user), "");
    }
    std::string location(const std::string& user) const override {
        return m_server.url(user, m_db);
    }
    std::string backend() const override { return "postgresql"; }
    const std::string& database() const { return m_db; }

private:
    PgServer& m_server;
    std::string m_db;
};

// Skips the rest of a PostgreSQL test case, visibly (ctest reports it as skipped).
#define LECERT_REQUIRE_POSTGRES(server)                                                    \
    auto& server = ::lecert::test::PgServer::instance();                                   \
    if (!server.available()) {                                                             \
        std::cout << ::lecert::test::kSkipMarker << " PostgreSQL: " << server.skipReason() \
                  << "\n";                                                                 \
        return;                                                                            \
    }

inline Date day(const char* iso) {
    return *Date::parseIso(iso);
}

// A valid I-918B record with the given record id and case number (fictional data).
inline Json recordFor(const std::string& id, const std::string& caseNumber) {
    Json r = validRecord("i918b");
    r["id"] = id;
    r["agency"]["case_number"] = caseNumber;
    return r;
}

}  // namespace lecert::test
