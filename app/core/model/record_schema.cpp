// SPDX-License-Identifier: MIT
#include "core/model/record_schema.h"

#include <algorithm>

#include "core/model/form_edition.h"

namespace lecert {

namespace {

using V = ValueType;

// One table of every record field, kept in one place so it reads like docs/record-format.md;
// long because the record is, not because of logic.
// NOLINTNEXTLINE(readability-function-size)
std::vector<FieldSpec> buildSchema() {
    const std::vector<std::string> agencyTypes = {"federal", "state", "local", "tribal",
                                                  "territorial"};
    const std::vector<std::string> services = {"medical",         "mental_health",
                                               "legal",           "case_management",
                                               "shelter_housing", "emergency_assistance_fund",
                                               "interpretation",  "other"};
    const std::vector<std::string> cpStatus = {"not_requested", "requested",  "granted",
                                               "denied",        "terminated", "not_applicable"};
    std::vector<FieldSpec> s = {
        {"form", V::Enum, kBothForms, true, {"i918b", "i914b"}},
        {"edition", V::String, kBothForms, false, {}},
        {"id", V::String, kBothForms, false, {}},
        {"victim", V::Object, kBothForms, true, {}},
        {"agency", V::Object, kBothForms, true, {}},
        {"crime", V::Object, kI918B, true, {}},
        {"helpfulness", V::Object, kI918B, true, {}},
        {"trafficking", V::Object, kI914B, true, {}},
        {"cooperation", V::Object, kI914B, true, {}},
        {"family", V::Object, kBothForms, true, {}},
        {"certification", V::Object, kBothForms, false, {}},
        {"assistance", V::Object, kBothForms, true, {}},
        {"additional_information", V::ObjectList, kBothForms, false, {}},
        {"review", V::Opaque, kBothForms, false, {}},

        {"victim.family_name", V::String, kBothForms, true, {}},
        {"victim.given_name", V::String, kBothForms, true, {}},
        {"victim.middle_name", V::String, kBothForms, false, {}},
        {"victim.other_names", V::ObjectList, kBothForms, false, {}},
        {"victim.other_names[].family_name", V::String, kBothForms, false, {}},
        {"victim.other_names[].given_name", V::String, kBothForms, false, {}},
        {"victim.other_names[].middle_name", V::String, kBothForms, false, {}},
        {"victim.date_of_birth", V::Date, kBothForms, true, {}},
        {"victim.gender", V::Enum, kBothForms, true, {"male", "female"}},
        {"victim.a_number", V::String, kBothForms, false, {}},
        {"victim.ssn", V::String, kI914B, false, {}},

        {"agency.name", V::String, kBothForms, true, {}},
        {"agency.type", V::Enum, kBothForms, true, agencyTypes},
        // Required for i918b (Part 2 item 8, checked in the validator); optional for i914b
        // (Part 2 item 10).
        {"agency.category",
         V::Enum,
         kBothForms,
         false,
         {"law_enforcement", "prosecutor", "judge", "other"}},
        {"agency.category_other", V::String, kBothForms, false, {}},
        {"agency.official", V::Object, kBothForms, true, {}},
        {"agency.official.family_name", V::String, kBothForms, true, {}},
        {"agency.official.given_name", V::String, kBothForms, true, {}},
        {"agency.official.middle_name", V::String, kBothForms, false, {}},
        {"agency.official.title", V::String, kBothForms, true, {}},
        {"agency.official.division", V::String, kBothForms, false, {}},
        {"agency.official.role", V::Enum, kI918B, true, {"head", "designated", "judge"}},
        {"agency.official.phone", V::String, kBothForms, true, {}},
        {"agency.official.email", V::String, kBothForms, false, {}},
        {"agency.official.fax", V::String, kBothForms, false, {}},
        {"agency.head", V::Object, kI918B, false, {}},
        {"agency.head.family_name", V::String, kI918B, true, {}},
        {"agency.head.given_name", V::String, kI918B, true, {}},
        {"agency.head.middle_name", V::String, kI918B, false, {}},
        {"agency.supervisor", V::Object, kI914B, true, {}},
        {"agency.supervisor.family_name", V::String, kI914B, true, {}},
        {"agency.supervisor.given_name", V::String, kI914B, true, {}},
        {"agency.supervisor.title", V::String, kI914B, true, {}},
        {"agency.address", V::Object, kBothForms, true, {}},
        {"agency.address.street", V::String, kBothForms, true, {}},
        {"agency.address.unit_type", V::Enum, kBothForms, false, {"apt", "ste", "flr"}},
        {"agency.address.unit_number", V::String, kBothForms, false, {}},
        {"agency.address.city", V::String, kBothForms, true, {}},
        {"agency.address.state", V::Enum, kBothForms, false, usStateCodes()},
        {"agency.address.zip", V::String, kBothForms, false, {}},
        {"agency.address.province", V::String, kBothForms, false, {}},
        {"agency.address.postal_code", V::String, kBothForms, false, {}},
        {"agency.address.country", V::String, kBothForms, false, {}},
        {"agency.case_number", V::String, kBothForms, true, {}},
        // Required for i918b (Part 2 item 7, checked in the validator); optional for i914b
        // (Part 2 item 9).
        {"agency.case_status", V::Enum, kBothForms, false, {"ongoing", "completed", "other"}},
        {"agency.case_status_other", V::String, kBothForms, false, {}},
        {"agency.fbi_or_sid_number", V::String, kBothForms, false, {}},

        {"crime.activities", V::EnumList, kI918B, true, crimeActivityIds()},
        {"crime.dates", V::DateList, kI918B, true, {}},
        {"crime.citations", V::String, kI918B, true, {}, 2000},
        {"crime.occurred_in_us", V::Boolean, kI918B, true, {}},
        {"crime.location_explanation", V::Text, kI918B, false, {}},
        {"crime.extraterritorial_violation", V::Boolean, kI918B, false, {}},
        {"crime.extraterritorial_citation", V::String, kI918B, false, {}, 2000},
        {"crime.description", V::Text, kI918B, true, {}},
        {"crime.injury", V::Text, kI918B, false, {}},

        {"helpfulness.possesses_information", V::Boolean, kI918B, true, {}},
        {"helpfulness.helpful", V::Boolean, kI918B, true, {}},
        {"helpfulness.refused_or_failed", V::Boolean, kI918B, true, {}},
        {"helpfulness.refusal_explanation", V::Text, kI918B, false, {}},
        {"helpfulness.description", V::Text, kI918B, false, {}},

        {"trafficking.types",
         V::EnumList,
         kI914B,
         true,
         {"sex_trafficking_force_fraud_coercion", "sex_trafficking_minor", "labor_trafficking"}},
        {"trafficking.labor_purposes",
         V::EnumList,
         kI914B,
         false,
         {"involuntary_servitude", "peonage", "debt_bondage", "slavery"}},
        {"trafficking.start_date", V::Date, kI914B, true, {}},
        {"trafficking.end_date", V::Date, kI914B, false, {}},
        {"trafficking.location", V::String, kI914B, true, {}, 2000},
        {"trafficking.citations", V::String, kI914B, true, {}, 2000},
        {"trafficking.description", V::Text, kI914B, true, {}},
        {"trafficking.database_inquiries", V::Text, kI914B, true, {}},

        {"cooperation.complied_with_requests", V::Boolean, kI914B, true, {}},
        {"cooperation.exception", V::Enum, kI914B, false, {"none", "under_18", "trauma"}},
        {"cooperation.description", V::Text, kI914B, true, {}},

        {"family.implicated", V::Boolean, kBothForms, true, {}},
        {"family.members", V::ObjectList, kBothForms, false, {}},
        {"family.members[].family_name", V::String, kBothForms, true, {}},
        {"family.members[].given_name", V::String, kBothForms, true, {}},
        {"family.members[].middle_name", V::String, kBothForms, false, {}},
        {"family.members[].relationship", V::String, kBothForms, true, {}},
        {"family.members[].involvement", V::Text, kBothForms, true, {}},

        {"certification.signature_date", V::Date, kBothForms, false, {}},

        {"assistance.victim_specialist", V::Object, kBothForms, true, {}},
        {"assistance.victim_specialist.contacted", V::Boolean, kBothForms, true, {}},
        {"assistance.victim_specialist.name", V::String, kBothForms, false, {}},
        {"assistance.victim_specialist.organization", V::String, kBothForms, false, {}},
        {"assistance.victim_specialist.phone", V::String, kBothForms, false, {}},
        {"assistance.victim_specialist.email", V::String, kBothForms, false, {}},
        {"assistance.victim_specialist.date", V::Date, kBothForms, false, {}},
        {"assistance.services", V::EnumList, kBothForms, false, services},
        {"assistance.services_other", V::String, kBothForms, false, {}},
        {"assistance.continued_presence", V::Object, kBothForms, true, {}},
        {"assistance.continued_presence.status", V::Enum, kBothForms, true, cpStatus},
        {"assistance.continued_presence.requested_date", V::Date, kBothForms, false, {}},
        {"assistance.continued_presence.decision_date", V::Date, kBothForms, false, {}},
        {"assistance.continued_presence.expiration_date", V::Date, kBothForms, false, {}},
        {"assistance.continued_presence.federal_sponsor", V::String, kBothForms, false, {}},
        {"assistance.interpreter", V::Object, kBothForms, false, {}},
        {"assistance.interpreter.used", V::Boolean, kBothForms, false, {}},
        {"assistance.interpreter.language", V::String, kBothForms, false, {}},
        {"assistance.forensic_interview", V::Object, kBothForms, false, {}},
        {"assistance.forensic_interview.conducted", V::Boolean, kBothForms, false, {}},
        {"assistance.forensic_interview.specialist", V::String, kBothForms, false, {}},
        {"assistance.forensic_interview.date", V::Date, kBothForms, false, {}},
        {"assistance.interview", V::Object, kBothForms, false, {}},
        {"assistance.interview.neutral_location", V::Boolean, kBothForms, false, {}},
        {"assistance.interview.urgent_needs_met_first", V::Boolean, kBothForms, false, {}},
        {"assistance.hsi_contacted", V::Boolean, kBothForms, false, {}},
        {"assistance.task_force", V::String, kBothForms, false, {}},
        {"assistance.safety_concerns", V::Text, kBothForms, false, {}},
        {"assistance.notes", V::Text, kBothForms, false, {}},

        {"additional_information[].part", V::String, kBothForms, true, {}, 10},
        {"additional_information[].item", V::String, kBothForms, true, {}, 10},
        {"additional_information[].text", V::Text, kBothForms, true, {}},
    };
    return s;
}

}  // namespace

const std::vector<std::string>& crimeActivityIds() {
    static const std::vector<std::string> ids = {"abduction",
                                                 "abusive_sexual_contact",
                                                 "attempt",
                                                 "being_held_hostage",
                                                 "blackmail",
                                                 "conspiracy",
                                                 "domestic_violence",
                                                 "extortion",
                                                 "false_imprisonment",
                                                 "felonious_assault",
                                                 "female_genital_mutilation",
                                                 "fraud_in_foreign_labor_contracting",
                                                 "incest",
                                                 "involuntary_servitude",
                                                 "kidnapping",
                                                 "manslaughter",
                                                 "murder",
                                                 "obstruction_of_justice",
                                                 "peonage",
                                                 "perjury",
                                                 "prostitution",
                                                 "rape",
                                                 "sexual_assault",
                                                 "sexual_exploitation",
                                                 "slave_trade",
                                                 "solicitation",
                                                 "stalking",
                                                 "torture",
                                                 "trafficking",
                                                 "unlawful_criminal_restraint",
                                                 "witness_tampering"};
    return ids;
}

const std::vector<std::string>& usStateCodes() {
    static const std::vector<std::string> codes = {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
        "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
        "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI"};
    return codes;
}

const std::vector<FieldSpec>& recordSchema() {
    static const std::vector<FieldSpec> schema = buildSchema();
    return schema;
}

const FieldSpec* findSpec(std::string_view pattern) {
    for (const auto& s : recordSchema()) {
        if (s.pattern == pattern) return &s;
    }
    return nullptr;
}

std::vector<const FieldSpec*> childSpecs(std::string_view parent) {
    std::vector<const FieldSpec*> out;
    for (const auto& s : recordSchema()) {
        const std::string_view p = s.pattern;
        if (parent.empty()) {
            if (p.find('.') == std::string_view::npos && p.find('[') == std::string_view::npos)
                out.push_back(&s);
            continue;
        }
        if (p.size() > parent.size() + 1 && p.substr(0, parent.size()) == parent &&
            p[parent.size()] == '.' &&
            p.substr(parent.size() + 1).find('.') == std::string_view::npos) {
            out.push_back(&s);
        }
    }
    return out;
}

std::string newestEdition(FormId form) {
    const auto names = editionNames(form);
    return names.empty() ? std::string() : names.back();
}

bool isSupportedEdition(FormId form, std::string_view edition) {
    const auto names = editionNames(form);
    return std::find(names.begin(), names.end(), edition) != names.end();
}

}  // namespace lecert
