// SPDX-License-Identifier: MIT
#pragma once
// RecordReader: streams records out of .json files (one object or an array of them, read
// element by element), .jsonl files (one record per line) and directories (their .json and
// .jsonl files),
// so memory does not grow with the number of records. One malformed record never stops it.
// A FIFO is opened without blocking, so one with no writer reads as empty instead of hanging.

#include <cstddef>
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

// Largest list a record may hold (crime.dates, victim.other_names, family.members, ...) and
// the largest number of members of one object. The forms have room for a handful of each;
// the caps keep a hostile record of a few MB from costing minutes and gigabytes downstream
// (validation, rendering). The review history grows with use and has its own, larger caps.
inline constexpr std::size_t kMaxListItems = 100;
// The largest record text lecert reads (a lone object, an array element, a .jsonl line, an
// attachment extracted from a PDF).
inline constexpr std::size_t kMaxRecordBytes = 256u * 1024u * 1024u;
inline constexpr std::size_t kMaxObjectMembers = 200;
inline constexpr std::size_t kMaxReviewEvents = 10000;
inline constexpr std::size_t kMaxReviewComments = 2000;

// Checks the caps above on a parsed record; the error names the path of the list or object
// (never a value). Called by RecordReader::parseInto; other loaders should call it too.
Status checkRecordLimits(const Json& record);

// True for a .jsonl / .ndjson path (one record per line), any letter case.
bool isJsonLinesPath(const std::string& path);
// Inputs as RecordReader reads them: files as given, directories replaced by their .json,
// .jsonl and .ndjson files (extensions in any case, e.g. REC.JSON), sorted.
std::vector<std::string> expandRecordInputs(const std::vector<std::string>& inputs);

class RecordReader {
public:
    // Inputs are files or directories, read in the given order (directory entries sorted).
    explicit RecordReader(const std::vector<std::string>& inputs,
                          std::size_t maxRecordBytes = kMaxRecordBytes);
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
    void closeInput();
    std::size_t readSome(char* buf, std::size_t n);  // 0 at the end (or on a read error)
    int m_fd = -1;
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
