// SPDX-License-Identifier: MIT
#pragma once
// The record format v1 (docs/record-format.md) as data: every key, its type, the forms
// it belongs to, whether it is required, and its allowed values. The validator, the form
// definition test and the desktop all read this one table.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/record.h"

namespace lecert {

enum class ValueType {
    String,  // one line of text
    Text,    // multi-line text
    Date,    // "YYYY-MM-DD" (MM/DD/YYYY accepted on input)
    Boolean,
    Enum,      // one of `values`
    EnumList,  // array of `values`, no duplicates
    DateList,  // array of dates
    Object,
    ObjectList,  // array of objects whose keys are the specs "<pattern>[].key"
    Opaque,      // kept as is, not checked key by key (the review history)
};

enum FormMask : std::uint8_t { kI918B = 1, kI914B = 2, kBothForms = 3 };

struct FieldSpec {
    std::string pattern;  // "victim.other_names[].family_name"
    ValueType type;
    std::uint8_t forms;  // FormMask bits
    bool required;  // required whenever the parent exists (conditional rules live in the validator)
    std::vector<std::string> values;  // Enum / EnumList
    std::size_t maxLength = 0;        // characters; 0 = the type's default

    bool appliesTo(FormId f) const { return forms & (f == FormId::I918B ? kI918B : kI914B); }
};

// Every key of the record format, parents before children.
const std::vector<FieldSpec>& recordSchema();
// The spec for a pattern ("crime.dates[]" for a date in crime.dates), or nullptr.
const FieldSpec* findSpec(std::string_view pattern);
// Direct children of an object pattern ("" for the top level).
std::vector<const FieldSpec*> childSpecs(std::string_view parentPattern);

// The qualifying criminal activities of INA 101(a)(15)(U)(iii), in the order of the form.
const std::vector<std::string>& crimeActivityIds();
// USPS codes accepted for agency.address.state: the 50 states, DC, AS GU MP PR VI.
const std::vector<std::string>& usStateCodes();

// Newest supported edition and the list of supported editions for a form.
std::string newestEdition(FormId form);
bool isSupportedEdition(FormId form, std::string_view edition);

}  // namespace lecert
