// SPDX-License-Identifier: MIT
#include "core/util/data_file_reader.h"

namespace lecert {

void DataFileReader::fail(const std::string& where, const std::string& what) {
    if (!err) err = Error{where + ": " + what, {source, 0, 0, {}}};
}

std::string DataFileReader::str(const Json& j, const char* key, const std::string& where,
                                bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) fail(where, std::string("missing \"") + key + "\"");
        return {};
    }
    if (!it->is_string()) {
        fail(where + "." + key, "expected a string");
        return {};
    }
    return it->get<std::string>();
}

std::vector<std::string> DataFileReader::strings(const Json& j, const char* key,
                                                 const std::string& where) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) {
        fail(where + "." + key, "expected an array of strings");
        return out;
    }
    for (const auto& v : *it) {
        if (!v.is_string()) {
            fail(where + "." + key, "expected an array of strings");
            return {};
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

}  // namespace lecert
