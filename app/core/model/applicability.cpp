// SPDX-License-Identifier: MIT
#include "core/model/applicability.h"

#include <algorithm>

namespace lecert {

bool itemApplies(const FormItem& item, const Record& record) {
    return !item.showIf || item.showIf->evaluate(record);
}

namespace {

// True when an item that applies lives under `objectPath` (so the object still holds answers
// the officer owes, such as `assistance.victim_specialist.contacted`).
bool holdsApplicableItem(const Record& record, const FormDefinition& form,
                         const std::string& objectPath) {
    const std::string prefix = objectPath + ".";
    for (const auto& part : form.parts) {
        for (const auto& item : part.items) {
            if (item.path.rfind(prefix, 0) == 0 && itemApplies(item, record)) return true;
        }
    }
    return false;
}

// Erases `path` and then every object on the way up that the erasure left empty and that
// holds no item that applies, down to (not including) the top-level section: an empty
// `agency.head` would otherwise read as an answered head with missing names.
void eraseWithEmptyParents(Record& record, const FormDefinition& form, std::string path) {
    record.erase(path);
    for (;;) {
        const auto dot = path.rfind('.');
        const auto bracket = path.rfind('[');
        const auto cut = dot == std::string::npos       ? bracket
                         : bracket == std::string::npos ? dot
                                                        : std::max(dot, bracket);
        if (cut == std::string::npos || cut == 0) return;
        path.resize(cut);
        if (path.find_first_of(".[") == std::string::npos) return;  // top-level section
        const Json* parent = record.get(path);
        if (!parent || !parent->is_object() || !parent->empty()) return;
        if (holdsApplicableItem(record, form, path)) return;
        record.erase(path);
    }
}

// One pass over the form: the first present value whose item does not apply, or "".
std::string firstInapplicable(const Record& record, const FormDefinition& form) {
    for (const auto& part : form.parts) {
        for (const auto& item : part.items) {
            if (item.path.empty()) continue;
            if (!itemApplies(item, record)) {
                if (record.has(item.path)) return item.path;
                continue;
            }
            if (item.kind != ItemKind::Group) continue;
            const Json* rows = record.get(item.path);
            if (!rows || !rows->is_array()) continue;
            for (std::size_t i = 0; i < rows->size(); ++i) {
                for (const auto& sub : item.fields) {
                    if (sub.path.empty() || itemApplies(sub, record)) continue;
                    std::string p = joinPath(indexPath(item.path, i), sub.path);
                    if (record.has(p)) return p;
                }
            }
        }
    }
    return {};
}

}  // namespace

std::vector<std::string> inapplicablePaths(const Record& record, const FormDefinition& form) {
    std::vector<std::string> out;
    Record work = record;
    // Each pass removes one value, so the loop ends; a condition that reads a removed value
    // is re-evaluated on the smaller record.
    for (std::string p = firstInapplicable(work, form); !p.empty();
         p = firstInapplicable(work, form)) {
        out.push_back(p);
        eraseWithEmptyParents(work, form, p);
    }
    return out;
}

Record prunedRecord(const Record& record, const FormDefinition& form) {
    Record out = record;
    for (const auto& p : inapplicablePaths(record, form)) eraseWithEmptyParents(out, form, p);
    return out;
}

Record prunedRecord(const Record& record) {
    const auto id = record.form();
    if (!id) return record;
    auto def = formDefinition(*id);
    if (!def) return record;
    return prunedRecord(record, **def);
}

}  // namespace lecert
