// SPDX-License-Identifier: MIT
#pragma once
// Which answers of a record apply: an item whose `show_if` condition (forms/<form>.json) is
// false does not apply, and neither does any value stored under its path. The officer may
// have answered it before changing the answer it depends on (Part 5 "Yes", a family member,
// then "No"); the draft keeps such values so that switching back restores them, but the
// validator, the form PDF and the cover see the record without them. This is the one place
// that rule lives.

#include <string>
#include <vector>

#include "core/model/form_definition.h"
#include "core/model/record.h"

namespace lecert {

// True when `item` applies to `record`: it has no condition or its condition holds. For a
// sub-item of a group, `record` is the whole record (conditions use absolute paths).
bool itemApplies(const FormItem& item, const Record& record);

// Record paths of the values present in `record` whose item does not apply, in form order.
// Conditions are evaluated on the record without the values removed so far, so an answer
// that depends on a hidden answer is hidden too.
std::vector<std::string> inapplicablePaths(const Record& record, const FormDefinition& form);

// `record` without the values of `inapplicablePaths`; objects left empty by the removal are
// removed too (top-level sections are kept). Never fails.
Record prunedRecord(const Record& record, const FormDefinition& form);

// The same with the shipped definition of the record's form; the record unchanged when it
// names no supported form or the definition cannot be loaded (the validator reports those).
Record prunedRecord(const Record& record);

}  // namespace lecert
