// SPDX-License-Identifier: MIT
#pragma once
// A throw-away PostgreSQL server for the register tests: initdb into a temporary folder as an
// unprivileged user (the tests may run as root, and PostgreSQL refuses root), listening on a
// free port on 127.0.0.1 only, trust authentication (test only), stopped when the test
// process ends — by the destructor, or by a watchdog process when the test dies.
// When PostgreSQL is not installed or does not start, available() is false and skipReason()
// says why; tests then print the LECERT_PG_SKIP line that ctest reports as skipped.

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "support.h"

namespace lecert::test {

// Printed by a skipped test; tests/CMakeLists.txt marks tests whose output has it SKIPPED.
inline constexpr const char* kSkipMarker = "LECERT-TEST-SKIPPED:";

class PgServer {
public:
    static PgServer& instance() {
        static PgServer server;
        return server;
    }
    bool available() const { return m_ok; }
    const std::string& skipReason() const { return m_reason; }
    int port() const { return m_port; }
    std::string url(const std::string& user, const std::string& db) const {
        return "postgresql://" + user + "@127.0.0.1:" + std::to_string(m_port) + "/" + db;
    }
    // A new empty database; returns its name.
    std::string createDatabase() {
        static std::atomic<int> n{0};
        const std::string name = "lecert_t" + std::to_string(++n);
        std::string err;
        if (!adminExec("CREATE DATABASE " + name, err)) {
            std::cerr << "pg_server: CREATE DATABASE failed: " << err << "\n";
            return "";
        }
        return name;
    }
    // Runs one statement as the cluster's superuser in database `db`.
    bool adminExec(const std::string& sql, std::string& err, const std::string& db = "postgres") {
        PGconn* c = PQconnectdb(url(kAdmin, db).c_str());
        bool ok = PQstatus(c) == CONNECTION_OK;
        if (ok) {
            PGresult* r = PQexec(c, sql.c_str());
            ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
            if (!ok) err = PQresultErrorMessage(r);
            PQclear(r);
        } else {
            err = PQerrorMessage(c);
        }
        PQfinish(c);
        return ok;
    }
    static constexpr const char* kAdmin = "lecert_admin";

    ~PgServer() {
        if (m_started)
            (void)std::system((m_as + shellQuote(m_bin + "/pg_ctl") + " -D " +
                               shellQuote(m_dir + "/data") + " -m fast -w stop >/dev/null 2>&1")
                                  .c_str());
        if (m_watchdogPipe >= 0) ::close(m_watchdogPipe);
        if (m_watchdog > 0) ::waitpid(m_watchdog, nullptr, 0);
        std::error_code ec;
        if (!m_dir.empty()) std::filesystem::remove_all(m_dir, ec);
    }
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    // The postmaster's process id (first line of postmaster.pid), 0 when unknown.
    pid_t postmasterPid() const {
        const std::string text = readText(m_dir + "/data/postmaster.pid");
        return static_cast<pid_t>(std::atol(text.c_str()));
    }
    // Starts the server again on the same port (after a crash: runs crash recovery first).
    bool restart() { return start(); }

    // A server of its own (instance() is the shared one), e.g. for a test that kills it.
    PgServer() {
        if (const char* off = std::getenv("LECERT_TEST_NO_POSTGRES"); off && *off) {
            m_reason = "LECERT_TEST_NO_POSTGRES is set";
            return;
        }
        m_bin = findBin();
        if (m_bin.empty()) {
            m_reason =
                "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb); "
                "install the Debian package postgresql (scripts/setup.sh does)";
            return;
        }
        if (!prepareDir()) return;
        if (!initdb() || !start()) return;
        m_ok = true;
    }

private:
    static std::string findBin() {
        namespace fs = std::filesystem;
        std::error_code ec;
        std::string best;
        for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
            const auto bin = e.path() / "bin";
            if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") && bin.string() > best)
                best = bin.string();
        }
        return best;
    }

    // As root, everything runs as `postgres` (or `nobody`) through runuser.
    bool prepareDir() {
        char tmpl[] = "/tmp/lecert-pg-XXXXXX";
        if (!::mkdtemp(tmpl)) {
            m_reason = "cannot create a temporary folder";
            return false;
        }
        m_dir = tmpl;
        if (::geteuid() == 0) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) pw = ::getpwnam("nobody");
            if (!pw || ::chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
                m_reason =
                    "running as root and no unprivileged user (postgres, nobody) to run "
                    "the server as";
                return false;
            }
            m_as = std::string("runuser -u ") + pw->pw_name + " -- ";
        }
        return true;
    }

    bool initdb() {
        const std::string cmd = m_as + shellQuote(m_bin + "/initdb") + " -D " +
                                shellQuote(m_dir + "/data") + " -A trust -U " + kAdmin +
                                " -E UTF8 --locale=C --no-sync >" +
                                shellQuote(m_dir + "/initdb.log") + " 2>&1";
        if (std::system(cmd.c_str()) != 0) {
            m_reason = "initdb failed: " + readText(m_dir + "/initdb.log");
            return false;
        }
        return true;
    }

    static int freePort() {
        int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        int port = 0;
        if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
        ::close(s);
        return port;
    }

    bool start() {
        if (m_port == 0) m_port = freePort();
        const std::string ctl =
            m_as + shellQuote(m_bin + "/pg_ctl") + " -D " + shellQuote(m_dir + "/data");
        const std::string opts = "-h 127.0.0.1 -p " + std::to_string(m_port) + " -k " + m_dir +
                                 " -c fsync=off -c max_connections=120";
        const std::string cmd = ctl + " -l " + shellQuote(m_dir + "/server.log") + " -w -t 60 -o " +
                                shellQuote(opts) + " start >/dev/null 2>&1";
        if (m_port == 0 || std::system(cmd.c_str()) != 0) {
            m_reason = "the server did not start: " + readText(m_dir + "/server.log");
            return false;
        }
        m_started = true;
        if (m_watchdog <= 0) startWatchdog(ctl + " -m immediate -w stop >/dev/null 2>&1");
        return true;
    }

    // A child that waits for this process to end (the pipe's write end closes with it, also on
    // a crash or kill -9) and then stops the server.
    void startWatchdog(const std::string& stopCommand) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return;
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fds[1]);
            char b;
            while (::read(fds[0], &b, 1) > 0) {
            }
            ::execl("/bin/sh", "sh", "-c", stopCommand.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[0]);
        m_watchdogPipe = fds[1];
        m_watchdog = pid;
    }

    bool m_ok = false;
    bool m_started = false;
    std::string m_reason, m_bin, m_dir, m_as;
    int m_port = 0;
    int m_watchdogPipe = -1;
    pid_t m_watchdog = -1;
};

}  // namespace lecert::test
