// SPDX-License-Identifier: MIT
#include "core/jobs/record_reader.h"

#include <algorithm>
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

std::string RecordItem::label() const {
    return index ? source + ":" + std::to_string(*index) : source;
}

RecordReader::RecordReader(std::vector<std::string> inputs, std::size_t maxRecordBytes)
    : m_maxRecordBytes(maxRecordBytes), m_buf(1 << 16) {
    // Expand directories now (sorted, so runs are reproducible); keep files as given.
    for (const auto& in : inputs) {
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            std::vector<std::string> files;
            for (const auto& e : fs::directory_iterator(in, ec)) {
                if (e.path().extension() == ".json" && !e.is_directory())
                    files.push_back(e.path().string());
            }
            std::sort(files.begin(), files.end());
            m_queue.insert(m_queue.end(), files.begin(), files.end());
        } else {
            m_queue.push_back(in);
        }
    }
    std::reverse(m_queue.begin(), m_queue.end());  // pop from the back
}

RecordReader::~RecordReader() = default;

bool RecordReader::refill() {
    if (m_pos < m_len) return true;
    if (!m_in || !*m_in) return false;
    m_in->read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_len = static_cast<std::size_t>(m_in->gcount());
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
    normalizeRecord(*parsed);
    item.record = Record(std::move(*parsed));
}

bool RecordReader::openNext(RecordItem& out) {
    m_in.reset();
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
    m_in = std::make_unique<std::ifstream>(m_file, std::ios::binary);
    if (!*m_in) {
        out.error = Error{"cannot open the file (permission denied?)", {m_file, 0, 0, {}}};
        m_in.reset();
        return true;
    }
    const std::string ext = fs::path(m_file).extension().string();
    if (ext == ".jsonl" || ext == ".ndjson") {
        m_mode = Mode::Lines;
        return false;  // caller reads the first line
    }
    // Skip a UTF-8 BOM, then look at the first character.
    if (m_len == 0) {
        m_in->read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        m_len = static_cast<std::size_t>(m_in->gcount());
    }
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
            m_in.reset();
            return true;
        }
        m_in->read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        const auto n = static_cast<std::size_t>(m_in->gcount());
        if (n == 0) break;
        text.append(m_buf.data(), n);
    }
    m_in.reset();
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
        m_in.reset();
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
    int depth = 0;
    bool inString = false;
    bool escape = false;
    for (;;) {
        if (depth == 0 && !inString) {
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
        if (inString) {
            if (escape)
                escape = false;
            else if (cc == '\\')
                escape = true;
            else if (cc == '"')
                inString = false;
        } else if (cc == '"') {
            inString = true;
        } else if (cc == '{' || cc == '[') {
            ++depth;
        } else if (cc == '}' || cc == ']') {
            if (depth > 0) --depth;
        }
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
            m_in.reset();
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
