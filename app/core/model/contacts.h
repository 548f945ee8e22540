// SPDX-License-Identifier: MIT
#pragma once
// The agency contacts (HSI Tip Line, USCIS law enforcement line, …) as data:
// templates/contacts.json, read by the cover summary and by the help texts of the form
// definitions, so a number is written once.

#include <string>
#include <vector>

#include "core/model/form_definition.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

struct Contact {
    std::string id;  // "hsi_tip_line"
    std::string label;
    std::string value;  // phone number, address or web site
    std::string detail;
};

// Parses a contacts file; errors name the file and the JSON location.
Result<std::vector<Contact>> loadContacts(const std::string& path);
// dataPath("templates/contacts.json"), loaded once per process.
Result<std::vector<Contact>> shippedContacts();

// {"<id>": {"label", "value", "detail"}, …} for the cover's view model.
Json contactsJson(const std::vector<Contact>& contacts);

// Replaces "{{contact.<id>}}" with the contact's value and "{{contact.<id>.label}}" with its
// label; an unknown id is left as written (a test checks the shipped texts have none).
std::string expandContacts(const std::string& text, const std::vector<Contact>& contacts);

// expandContacts over the summary and every part and item help text of a form definition.
void expandContactsInHelp(FormDefinition& def, const std::vector<Contact>& contacts);

}  // namespace lecert
