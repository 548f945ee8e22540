// SPDX-License-Identifier: MIT
#pragma once
// Form editions as data: forms/<form>/<edition>/ holds worksheet.json (lecert's own layout,
// see form_definition.h) and official_map.json (record paths -> the official USCIS PDF's
// fields, see forms/README.md). Adding an edition is adding a folder; no code names one.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/form_definition.h"
#include "core/model/record.h"
#include "core/util/result.h"

namespace lecert {

// Where a value sits on the official form, as the Additional Information part asks for it.
struct MapRef {
    int page = 0;
    std::string part;
    std::string item;
};

// One check box of a choice: the record value it stands for, the box's field name and its
// on-state ("" = read from the PDF's /AP /N; when given, the PDF must agree).
struct MapOption {
    std::string value;
    std::string field;
    std::string onState;
};

enum class MapKind { Text, Multiline, Date, Phone, Dropdown, Choice, MultiChoice, YesNo, Rows };

// One record value (or a join of several) and where it goes on the official PDF.
struct MapEntry {
    MapKind kind = MapKind::Text;
    std::vector<std::string> paths;  // one path, or several joined by `separator` into one box
    std::string separator;
    std::string field;                   // text kinds: the box
    std::vector<std::string> repeat;     // boxes that repeat the value (page headers)
    std::vector<MapOption> options;      // choice / multichoice / yesno ("true"/"false")
    bool otherwiseToAdditional = false;  // choice values without a box go to Additional Info
    bool rowsAreDates = false;           // rows of plain dates
    // rows: per printed row, column key ("" for plain arrays) -> field name
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::pair<std::string, std::string>> columns;  // rows: key -> label, in order
    MapRef ref;
    std::string label;

    const std::string& path() const { return paths.front(); }
};

// One page/part/item/text block of the form's Additional Information part.
struct AdditionalBlock {
    std::string page, part, item, text;
};

struct OfficialMap {
    std::string form, edition, officialFile;
    std::vector<std::string> sha256;  // lowercase hex of the official file(s) the map was made from
    int pages = 0;                    // 0 = unknown
    int fieldCount = 0;               // 0 = unknown
    bool complete = false;
    std::vector<MapEntry> entries;
    std::vector<std::string> signature;  // wet-ink boxes, never filled
    int additionalPage = 0;              // 0 = the form has no mapped Additional Information part
    std::string additionalPart;
    std::vector<AdditionalBlock> additionalBlocks;
    std::map<std::string, std::string> notOnForm;  // record path (prefix) -> why it has no box
    std::vector<std::string> unmapped;             // record paths not yet mapped
    std::string unverified;                        // what of the map is inferred

    // Every PDF field name the map names (entries, repeats, rows, blocks, signature).
    std::vector<std::string> fieldNames() const;
};

struct FormEdition {
    FormId form = FormId::I918B;
    std::string edition;  // "2025-01-20", the folder name
    std::string dir;
    std::shared_ptr<const FormDefinition> worksheet;
    // The official map (official_map.json), read on first call: validating never needs it,
    // and it was a sixth of validating one record. nullptr when the folder has none or it
    // cannot be read (mapProblem() then says why). Thread-safe.
    std::shared_ptr<const OfficialMap> map() const;
    // Empty, or why the folder's official_map.json cannot be used (file and JSON location).
    std::string mapProblem() const;

    struct LazyMap;
    std::shared_ptr<LazyMap> lazyMap;  // set by loadFormEditionDir; shared by copies
};

Result<OfficialMap> parseOfficialMap(const Json& json, const std::string& source);
// Loads one edition folder (its official map on first use); errors name the file and JSON
// location.
Result<FormEdition> loadFormEditionDir(const std::string& dir);
// Every edition under formsRoot (<form>/<edition>/worksheet.json), by form then edition; only
// `only`'s when given.
Result<std::vector<std::shared_ptr<const FormEdition>>> loadEditions(
    const std::string& formsRoot, std::optional<FormId> only = std::nullopt);
// The edition of `form` called `edition` ("" = the newest) in `editions`.
Result<std::shared_ptr<const FormEdition>> findEdition(
    const std::vector<std::shared_ptr<const FormEdition>>& editions, FormId form,
    std::string_view edition = {});

// The shipped editions (dataDir()/forms), each form's loaded once per process when first asked
// for, shared read-only.
Result<std::vector<std::shared_ptr<const FormEdition>>> shippedEditions();
Result<std::shared_ptr<const FormEdition>> formEdition(FormId form, std::string_view edition = {});
// The edition a record asks for ("edition", default the newest of its form).
Result<std::shared_ptr<const FormEdition>> formEditionFor(const Record& record);
// Edition names of a form in the shipped data, oldest first (empty if the data is missing).
std::vector<std::string> editionNames(FormId form);

}  // namespace lecert
