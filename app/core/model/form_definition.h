// SPDX-License-Identifier: MIT
#pragma once
// Worksheet definitions (forms/<form>/<edition>/worksheet.json, see forms/README.md) loaded into
// plain structs. The desktop wizard, the PDF layout and the form test are driven by these.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

enum class ItemKind { Text, Multiline, Date, YesNo, Choice, MultiChoice, Group, Signature };
std::optional<ItemKind> itemKindFromString(std::string_view s);
std::string_view itemKindToString(ItemKind k);

struct Option {
    std::string value;
    std::string label;
};

// A show_if condition. Leaf ops compare the value at `path` with `value`/`values`.
// clang-tidy counts the invariant asserts in nlohmann::json's noexcept move as throwing.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Condition {
    enum class Op { Equals, NotEquals, Contains, In, All, Any };
    Op op = Op::Equals;
    std::string path;
    Json value;
    std::vector<Json> values;         // In
    std::vector<Condition> children;  // All / Any

    bool evaluate(const Record& record) const;
    // Every record path the condition reads (so a UI knows when to re-evaluate).
    void collectPaths(std::vector<std::string>& out) const;
};

struct ItemLayout {
    std::string row;     // items with the same non-empty row that follow each other share a line
    double width = 1.0;  // fraction of the line
    int lines = 4;       // text lines of a multiline box
    int columns = 1;     // option columns for choice lists
};

struct FormItem {
    std::string id;
    std::string number;  // printed item number, "" if none
    std::string path;    // record path; relative to the element inside a group; "" for signature
    std::string label;
    ItemKind kind = ItemKind::Text;
    bool required = false;
    // false for lecert's own questions that the form edition does not ask (number ""): kept in
    // the record and on the cover, never placed on the official form.
    bool onForm = true;
    std::string help;
    std::string placeholder;
    std::vector<Option> options;
    std::optional<Condition> showIf;
    int maxLen = 0;                // characters the form's box takes (/MaxLen); 0 = no limit
    int slots = 0;                 // group: printed rows
    std::vector<FormItem> fields;  // group: sub-items of one row
    ItemLayout layout;

    bool visible(const Record& r) const { return !showIf || showIf->evaluate(r); }
    const Option* option(std::string_view value) const;
};

struct FormPart {
    std::string id;
    std::string number;  // "" when not a numbered Part of the form
    std::string title;
    std::string stepTitle;
    std::string help;
    bool onForm = true;
    std::vector<FormItem> items;
};

struct FormDefinition {
    std::string form;  // "i918b" / "i914b"
    std::string edition;
    std::string editionPrinted;
    std::string title;
    std::string subtitle;
    std::string omb;
    std::string summary;
    std::vector<FormPart> parts;

    // The item (or group) whose path is `path`; for a path inside a group element
    // ("family.members[2].relationship") the group's sub-item. nullptr when none.
    const FormItem* itemForPath(std::string_view path) const;
    // The part holding the item for `path`, or nullptr.
    const FormPart* partForPath(std::string_view path) const;
};

// Parses a form definition; errors name the file and the JSON location ("parts[2].items[4].kind").
Result<FormDefinition> parseFormDefinition(const Json& json, const std::string& source);
Result<FormDefinition> loadFormDefinitionFile(const std::string& path);

// The shipped worksheet definition of a form's newest edition
// (dataDir()/forms/<form>/<edition>/worksheet.json, see form_edition.h), loaded once per
// process and shared read-only between threads.
Result<std::shared_ptr<const FormDefinition>> formDefinition(FormId form);

// Every forms/<form>/<edition>/worksheet.json in the data folder, sorted.
std::vector<std::string> formDefinitionFiles();

}  // namespace lecert
