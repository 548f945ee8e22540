// SPDX-License-Identifier: MIT
#pragma once
// RecordReader: streams records out of .json files (one object or an array of them, read
// element by element), .jsonl files (one record per line) and directories (their *.json files),
// so memory does not grow with the number of records. One malformed record never stops it.

#include <cstddef>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/util/result.h"

namespace lecert {

// One record read from an input, or the error that kept it from being read.
struct RecordItem {
    std::string source;  // the file it came from
    std::optional<std::size_t>
        index;         // array index / record number in a .jsonl (0-based); none for a lone object
    int line = 0;      // 1-based line where the record starts (0 if unknown)
    std::string text;  // the record's JSON text as read (for content hashes)
    std::optional<Record> record;  // parsed, normalised record (a JSON object) ...
    std::optional<Error> error;    // ... or why it could not be read (malformed, unreadable)

    // "file" or "file:index", as used in messages and reports.
    std::string label() const;
};

class RecordReader {
public:
    // Inputs are files or directories, read in the given order (directory entries sorted).
    explicit RecordReader(std::vector<std::string> inputs,
                          std::size_t maxRecordBytes = 256u * 1024u * 1024u);
    ~RecordReader();
    RecordReader(const RecordReader&) = delete;
    RecordReader& operator=(const RecordReader&) = delete;

    // Reads the next record into `out`; false when every input is exhausted.
    bool next(RecordItem& out);

    // Parses one record's JSON text into an item (used for .jsonl lines and array elements).
    static void parseInto(RecordItem& item, int startColumn = 1);

private:
    enum class Mode { None, Object, Array, Lines };
    bool openNext(RecordItem& out);
    bool nextArrayElement(RecordItem& out);
    bool nextLine(RecordItem& out);
    bool refill();  // makes m_buf hold unread bytes; false at the end of the input
    int get();      // next byte or -1
    int peekNonSpace();

    std::vector<std::string> m_queue;  // files still to open
    std::size_t m_maxRecordBytes;
    std::unique_ptr<std::ifstream> m_in;
    std::string m_file;
    Mode m_mode = Mode::None;
    std::size_t m_index = 0;
    int m_line = 1;
    int m_column = 1;
    std::vector<char> m_buf;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
};

}  // namespace lecert
