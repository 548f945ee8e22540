// SPDX-License-Identifier: MIT
#include "core/model/contacts.h"

#include <mutex>
#include <optional>

#include "core/util/data_dir.h"

namespace lecert {

namespace {

Error contactsError(const std::string& path, const std::string& where, const std::string& msg) {
    Error e{"contacts: " + where + ": " + msg, {}};
    e.where.file = path;
    return e;
}

}  // namespace

Result<std::vector<Contact>> loadContacts(const std::string& path) {
    auto bytes = readFile(path, 1024u * 1024u);
    if (!bytes) return bytes.error();
    auto json = parseJson(*bytes, path);
    if (!json) return json.error();
    const Json& j = *json;
    if (!j.is_object() || j.value("format", "") != "lecert-contacts")
        return contactsError(path, "format", "expected \"lecert-contacts\"");
    const auto list = j.find("contacts");
    if (list == j.end() || !list->is_array())
        return contactsError(path, "contacts", "expected an array");
    std::vector<Contact> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& c = (*list)[i];
        const std::string where = "contacts[" + std::to_string(i) + "]";
        if (!c.is_object()) return contactsError(path, where, "expected an object");
        Contact contact;
        for (auto [key, field] : {std::pair<const char*, std::string*>{"id", &contact.id},
                                  {"label", &contact.label},
                                  {"value", &contact.value},
                                  {"detail", &contact.detail}}) {
            const auto v = c.find(key);
            if (v == c.end()) continue;
            if (!v->is_string()) return contactsError(path, where + "." + key, "expected a text");
            *field = v->get<std::string>();
        }
        if (contact.id.empty() || contact.value.empty())
            return contactsError(path, where, "needs an \"id\" and a \"value\"");
        out.push_back(std::move(contact));
    }
    return out;
}

Result<std::vector<Contact>> shippedContacts() {
    static std::mutex mutex;
    static std::optional<Result<std::vector<Contact>>> cached;
    std::lock_guard<std::mutex> lock(mutex);
    if (!cached) cached = loadContacts(dataPath("templates/contacts.json"));
    return *cached;
}

Json contactsJson(const std::vector<Contact>& contacts) {
    Json out = Json::object();
    for (const auto& c : contacts)
        out[c.id] = {{"label", c.label}, {"value", c.value}, {"detail", c.detail}};
    return out;
}

std::string expandContacts(const std::string& text, const std::vector<Contact>& contacts) {
    static const std::string open = "{{contact.";
    if (text.find(open) == std::string::npos) return text;
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t at = text.find(open, pos);
        const std::size_t close = at == std::string::npos ? at : text.find("}}", at);
        if (close == std::string::npos) break;
        std::string key = text.substr(at + open.size(), close - at - open.size());
        bool label = false;
        if (key.size() > 6 && key.compare(key.size() - 6, 6, ".label") == 0) {
            key.resize(key.size() - 6);
            label = true;
        }
        const Contact* found = nullptr;
        for (const auto& c : contacts)
            if (c.id == key) found = &c;
        out += text.substr(pos, at - pos);
        out += found ? (label ? found->label : found->value) : text.substr(at, close + 2 - at);
        pos = close + 2;
    }
    return out + text.substr(pos);
}

void expandContactsInHelp(FormDefinition& def, const std::vector<Contact>& contacts) {
    def.summary = expandContacts(def.summary, contacts);
    for (auto& part : def.parts) {
        part.help = expandContacts(part.help, contacts);
        for (auto& item : part.items) {
            item.help = expandContacts(item.help, contacts);
            for (auto& sub : item.fields) sub.help = expandContacts(sub.help, contacts);
        }
    }
}

}  // namespace lecert
