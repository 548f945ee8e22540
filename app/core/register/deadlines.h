// SPDX-License-Identifier: MIT
#pragma once
// Response deadlines for certification requests, kept as data per jurisdiction in
// rules/deadlines.json (e.g. California Penal Code 679.10: 90 days from the request, 14 days
// when the victim is in removal proceedings). An agency without a state rule sets its own
// target when it creates the register.

#include <optional>
#include <string>
#include <vector>

#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

struct DeadlineRule {
    std::string id;        // "US-CA", or "agency" for an agency-set target
    std::string name;      // "California"
    int days = 90;         // from the day the request was received
    int removalDays = 14;  // when the victim is in removal proceedings
    std::string citation;  // "Cal. Penal Code § 679.10(h)", empty for an agency target

    Date deadline(const Date& received, bool removalProceedings) const {
        return received.addDays(removalProceedings ? removalDays : days);
    }
};

// Days from `today` to `deadline`: 0 on the day itself, negative when overdue.
inline long daysLeft(const Date& deadline, const Date& today) {
    return daysBetween(today, deadline);
}

// The rules in `path` (default: rules/deadlines.json under the data folder).
Result<std::vector<DeadlineRule>> loadDeadlineRules(const std::string& path = {});
// The rule for `jurisdiction` ("US-CA"); an error naming the known ones when there is none.
Result<DeadlineRule> deadlineRule(const std::string& jurisdiction, const std::string& path = {});
// An agency's own target (no statute).
DeadlineRule agencyTarget(int days, int removalDays);

}  // namespace lecert
