// SPDX-License-Identifier: MIT
#include "core/jobs/record_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/util/json_io.h"

namespace lecert {

namespace fs = std::filesystem;

namespace {
// "256 MiB", or "100 bytes" for limits under a mebibyte.
std::string sizeText(std::size_t bytes) {
    if (bytes >= 1024 * 1024) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    return std::to_string(bytes) + " bytes";
}
}  // namespace

namespace {

// Appends to `path` the JSON path syntax of the record format: "a.b", "a[3]".
std::string childPath(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

Status checkLimits(const Json& j, const std::string& path, std::size_t listCap) {
    if (j.is_array()) {
        if (j.size() > listCap) {
            return Error{"the list has " + std::to_string(j.size()) + " entries; at most " +
                             std::to_string(listCap) + " are allowed",
                         {{}, 0, 0, path}};
        }
        for (std::size_t i = 0; i < j.size(); ++i) {
            auto st = checkLimits(j[i], path + "[" + std::to_string(i) + "]", kMaxListItems);
            if (!st) return st;
        }
    } else if (j.is_object()) {
        if (j.size() > kMaxObjectMembers) {
            return Error{"the object has " + std::to_string(j.size()) + " members; at most " +
                             std::to_string(kMaxObjectMembers) + " are allowed",
                         {{}, 0, 0, path.empty() ? std::string("(record)") : path}};
        }
        for (auto it = j.begin(); it != j.end(); ++it) {
            std::size_t cap = kMaxListItems;
            if (path == "review" && it.key() == "events") cap = kMaxReviewEvents;
            if (path == "review" && it.key() == "comments") cap = kMaxReviewComments;
            auto st = checkLimits(it.value(), childPath(path, it.key()), cap);
            if (!st) return st;
        }
    }
    return Ok{};
}

}  // namespace

Status checkRecordLimits(const Json& record) {
    return checkLimits(record, "", kMaxListItems);
}

namespace {
std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}
}  // namespace

bool isJsonLinesPath(const std::string& path) {
    const std::string ext = lowerExtension(path);
    return ext == ".jsonl" || ext == ".ndjson";
}

std::vector<std::string> expandRecordInputs(const std::vector<std::string>& inputs) {
    // Directories expanded now (sorted, so runs are reproducible); files kept as given.
    std::vector<std::string> out;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (!fs::is_directory(in, ec)) {
            out.push_back(in);
            continue;
        }
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(in, ec)) {
            const std::string ext = lowerExtension(e.path().string());
            if ((ext == ".json" || ext == ".jsonl" || ext == ".ndjson") && !e.is_directory(ec))
                files.push_back(e.path().string());
        }
        std::sort(files.begin(), files.end());
        out.insert(out.end(), files.begin(), files.end());
    }
    return out;
}

std::string RecordItem::label() const {
    return index ? source + ":" + std::to_string(*index) : source;
}

RecordReader::RecordReader(const std::vector<std::string>& inputs, std::size_t maxRecordBytes)
    : m_maxRecordBytes(maxRecordBytes), m_buf(1 << 16) {
    m_queue = expandRecordInputs(inputs);
    std::reverse(m_queue.begin(), m_queue.end());  // pop from the back
}

RecordReader::~RecordReader() {
    closeInput();
}

void RecordReader::closeInput() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

std::size_t RecordReader::readSome(char* buf, std::size_t n) {
    if (m_fd < 0) return 0;
    for (;;) {
        const ssize_t got = ::read(m_fd, buf, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            closeInput();
            return 0;
        }
        return static_cast<std::size_t>(got);
    }
}

bool RecordReader::refill() {
    if (m_pos < m_len) return true;
    if (m_fd < 0) return false;
    m_len = readSome(m_buf.data(), m_buf.size());
    m_pos = 0;
    return m_len > 0;
}

int RecordReader::get() {
    if (!refill()) return -1;
    const int c = static_cast<unsigned char>(m_buf[m_pos++]);
    if (c == '\n') {
        ++m_line;
        m_column = 1;
    } else if ((c & 0xC0) != 0x80) {
        ++m_column;
    }
    return c;
}

int RecordReader::peekNonSpace() {
    for (;;) {
        if (!refill()) return -1;
        const char c = m_buf[m_pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            get();
            continue;
        }
        return static_cast<unsigned char>(c);
    }
}

void RecordReader::parseInto(RecordItem& item, int startColumn) {
    auto parsed = parseJson(item.text, item.source);
    if (!parsed) {
        Error e = parsed.error();
        if (item.line > 0 && e.where.line > 0) {
            if (e.where.line == 1) e.where.column += startColumn - 1;
            e.where.line += item.line - 1;
        }
        if (item.index) e.message = "record " + std::to_string(*item.index) + ": " + e.message;
        item.error = std::move(e);
        return;
    }
    if (!parsed->is_object()) {
        item.error = Error{
            "a record must be a JSON object, not " + jsonTypeName(*parsed) +
                (item.index ? " (record " + std::to_string(*item.index) + ")" : std::string()),
            {item.source, item.line, startColumn, {}}};
        return;
    }
    if (auto st = checkRecordLimits(*parsed); !st) {
        Error e = st.error();
        e.where.file = item.source;
        e.where.line = item.line;
        if (item.index) e.message = "record " + std::to_string(*item.index) + ": " + e.message;
        item.error = std::move(e);
        return;
    }
    normalizeRecord(*parsed);
    item.record = Record(std::move(*parsed));
}

bool RecordReader::openNext(RecordItem& out) {
    closeInput();
    m_mode = Mode::None;
    if (m_queue.empty()) return false;
    m_file = m_queue.back();
    m_queue.pop_back();
    m_index = 0;
    m_line = 1;
    m_column = 1;
    m_pos = m_len = 0;
    out = RecordItem{};
    out.source = m_file;

    std::error_code ec;
    if (!fs::exists(m_file, ec)) {
        out.error = Error{"no such file or directory", {m_file, 0, 0, {}}};
        return true;
    }
    if (!fs::is_regular_file(m_file, ec) && !fs::is_fifo(m_file, ec)) {
        out.error = Error{"not a regular file", {m_file, 0, 0, {}}};
        return true;
    }
    // Non-blocking open: a FIFO without a writer would otherwise block here for ever. Reads
    // are blocking again afterwards (a FIFO with no writer then reads as end of file).
    m_fd = ::open(m_file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) {
        const int err = errno;
        out.error =
            Error{err == EACCES ? std::string("cannot open the file: permission denied")
                                : std::string("cannot open the file: ") + std::strerror(err),
                  {m_file, 0, 0, {}}};
        return true;
    }
    if (const int fl = ::fcntl(m_fd, F_GETFL); fl >= 0) ::fcntl(m_fd, F_SETFL, fl & ~O_NONBLOCK);
    if (isJsonLinesPath(m_file)) {
        m_mode = Mode::Lines;
        return false;  // caller reads the first line
    }
    // Skip a UTF-8 BOM, then look at the first character.
    if (m_len == 0) m_len = readSome(m_buf.data(), m_buf.size());
    if (m_len >= 3 && m_buf[0] == '\xEF' && m_buf[1] == '\xBB' && m_buf[2] == '\xBF') m_pos = 3;
    const int first = peekNonSpace();
    if (first == '[') {
        get();
        m_mode = Mode::Array;
        return false;
    }
    // A lone object (or something malformed): read it whole and let the parser judge.
    std::string text(m_buf.data() + m_pos, m_len - m_pos);
    m_pos = m_len = 0;
    for (;;) {
        if (text.size() > m_maxRecordBytes) {
            out.error =
                Error{"record is larger than " + sizeText(m_maxRecordBytes), {m_file, 0, 0, {}}};
            closeInput();
            return true;
        }
        const std::size_t n = readSome(m_buf.data(), m_buf.size());
        if (n == 0) break;
        text.append(m_buf.data(), n);
    }
    closeInput();
    out.text = std::move(text);
    out.line = 1;
    parseInto(out);
    return true;
}

bool RecordReader::nextArrayElement(RecordItem& out) {
    const int c = peekNonSpace();
    out = RecordItem{};
    out.source = m_file;
    // Stops reading this file: the next call moves on to the next input.
    auto closeFile = [this]() {
        closeInput();
        m_pos = m_len = 0;
        m_mode = Mode::None;
    };
    if (c == ']') {
        get();
        if (peekNonSpace() != -1) {
            out.error = Error{"unexpected text after the closing ']' of the array",
                              {m_file, m_line, m_column, {}}};
            closeFile();
            return true;
        }
        closeFile();
        return false;
    }
    if (c == -1) {
        out.error = Error{"the array is not closed: the file ends before ']' (truncated export?)",
                          {m_file, m_line, m_column, {}}};
        closeFile();
        return true;
    }
    out.index = m_index++;
    out.line = m_line;
    const int startColumn = m_column;
    // Collect one element up to the ',' or ']' that ends it at depth 0.
    std::string text;
    JsonScanner scan;
    for (;;) {
        if (scan.depth() == 0 && !scan.inString()) {
            const int p = peekNonSpace();
            if (p == ',' || p == ']' || p == -1) {
                if (p == ',') get();
                break;
            }
        }
        const int ch = get();
        if (ch == -1) break;
        const char cc = static_cast<char>(ch);
        text.push_back(cc);
        if (text.size() > m_maxRecordBytes) {
            out.error = Error{"record " + std::to_string(*out.index) + " is larger than " +
                                  sizeText(m_maxRecordBytes),
                              {m_file, out.line, startColumn, {}}};
            closeFile();
            return true;
        }
        scan.feed(cc);
    }
    if (text.empty()) {
        out.error = Error{"empty array element (two commas in a row?)",
                          {m_file, out.line, startColumn, {}}};
        return true;
    }
    out.text = std::move(text);
    parseInto(out, startColumn);
    return true;
}

bool RecordReader::nextLine(RecordItem& out) {
    for (;;) {
        std::string line;
        const int startLine = m_line;
        int c = 0;
        bool any = false;
        while ((c = get()) != -1 && c != '\n') {
            any = true;
            line.push_back(static_cast<char>(c));
            if (line.size() > m_maxRecordBytes) {
                // Skip the rest of this line so the next record can still be read.
                while ((c = get()) != -1 && c != '\n') {
                }
                out = RecordItem{};
                out.source = m_file;
                out.index = m_index++;
                out.line = startLine;
                out.error = Error{"line is longer than " + sizeText(m_maxRecordBytes),
                                  {m_file, startLine, 1, {}}};
                return true;
            }
        }
        if (!any && c == -1) {
            closeInput();
            return false;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (startLine == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3);
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;  // blank lines are allowed
        out = RecordItem{};
        out.source = m_file;
        out.index = m_index++;
        out.line = startLine;
        out.text = std::move(line);
        parseInto(out);
        return true;
    }
}

bool RecordReader::next(RecordItem& out) {
    for (;;) {
        if (m_mode == Mode::Array) {
            if (nextArrayElement(out)) return true;
            m_mode = Mode::None;
            continue;
        }
        if (m_mode == Mode::Lines) {
            if (nextLine(out)) return true;
            m_mode = Mode::None;
            continue;
        }
        if (m_queue.empty()) return false;
        if (openNext(out)) return true;
    }
}

}  // namespace lecert
