// SPDX-License-Identifier: MIT
// bench_render: renders the form PDF and the cover summary of one example record N times on
// one thread (one shared FontSet, as a batch worker does) and prints ms per record and the
// size of each PDF. Meant for profiling (valgrind --tool=callgrind) and quick A/B checks of
// the PDF code. Not run by the tests.
//
//   bench_render [-n N] [--record FILE] [--form-only | --cover-only] [--via-renderer]
//                [--same] [--out DIR]
//
// Each iteration renders the record under another victim name (256 combinations of Latin
// names, or of CJK ones when the record's own name is CJK), as a batch sees different records;
// --same renders the record as it is every time. The last record is rendered twice at the
// end to check that the bytes are the same.
// --via-renderer validates the record and renders it through FillRenderer with those
// findings (as `lecert fill` does) instead of calling renderFormPdf / renderCoverPdf directly.
// --out writes the last PDFs there (for qpdf --check).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/jobs/fill_job.h"
#include "core/model/form_definition.h"
#include "core/model/record.h"
#include "core/render/cover.h"
#include "core/render/worksheet_pdf.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"

using namespace lecert;

namespace {

struct Args {
    int n = 50;
    std::string record = "examples/i918b-002-abroad.json";  // run from the source tree
    bool form = true, cover = true, viaRenderer = false, same = false;
    std::string out;
};

int usage() {
    std::fprintf(
        stderr,
        "usage: bench_render [-n N] [--record FILE] [--form-only|--cover-only] [--via-renderer] "
        "[--same] [--out DIR]\n");
    return 2;
}

double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        if (s == "-n" && i + 1 < argc)
            a.n = std::atoi(argv[++i]);
        else if (s == "--record" && i + 1 < argc)
            a.record = argv[++i];
        else if (s == "--form-only")
            a.cover = false;
        else if (s == "--cover-only")
            a.form = false;
        else if (s == "--via-renderer")
            a.viaRenderer = true;
        else if (s == "--same")
            a.same = true;
        else if (s == "--out" && i + 1 < argc)
            a.out = argv[++i];
        else
            return usage();
    }
    if (a.n < 1) return usage();

    auto text = readFile(a.record);
    if (!text) {
        std::fprintf(stderr, "%s\n", text.error().toString().c_str());
        return 1;
    }
    auto json = parseJson(*text, a.record);
    if (!json) {
        std::fprintf(stderr, "%s\n", json.error().toString().c_str());
        return 1;
    }
    normalizeRecord(*json);
    // The variants (record + the text embedded as record.json), made before timing.
    struct Variant {
        Record record;
        std::string text;
    };
    std::vector<Variant> variants;
    {
        static const char* latinFamily[] = {"Rivera",    "Okafor",   "Hansen",   "Moreau",
                                            "Silva",     "Kowalski", "Brennan",  "Duarte",
                                            "Lindqvist", "Mensah",   "Castillo", "Novak",
                                            "Fischer",   "Abara",    "Quinn",    "Serrano"};
        static const char* latinGiven[] = {"Ana",    "Grace", "Tomas",   "Lucia", "Samuel", "Marta",
                                           "Daniel", "Irene", "Kofi",    "Elena", "Pablo",  "Nadia",
                                           "Oskar",  "Rosa",  "Ibrahim", "Clara"};
        static const char* cjkFamily[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                          "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
        static const char* cjkGiven[] = {"秀英", "小明", "伟", "芳", "志强", "丽", "军", "静",
                                         "磊",   "婷",   "洋", "敏", "杰",   "娜", "涛", "霞"};
        const Json* fam = jsonAt(*json, "victim.family_name");
        const bool cjk =
            fam && fam->is_string() && fam->get<std::string>().find('\xE4') != std::string::npos;
        const int count = a.same ? 1 : 256;
        for (int i = 0; i < count; ++i) {
            Json j = *json;
            if (!a.same) {
                const int f = i % 16, g = (i / 16 + i) % 16;
                jsonSet(j, "victim.family_name", cjk ? cjkFamily[f] : latinFamily[f]);
                jsonSet(j, "victim.given_name", cjk ? cjkGiven[g] : latinGiven[g]);
            }
            std::string t = a.same ? *text : dumpPretty(j);
            variants.push_back({Record(std::move(j)), std::move(t)});
        }
    }
    const Record& record = variants.front().record;
    const auto formId = record.form();
    if (!formId) {
        std::fprintf(stderr, "record has no form\n");
        return 1;
    }
    auto def = formDefinition(*formId);
    if (!def) {
        std::fprintf(stderr, "%s\n", def.error().toString().c_str());
        return 1;
    }
    auto fontsR = pdf::FontSet::create();
    if (!fontsR) {
        std::fprintf(stderr, "%s\n", fontsR.error().toString().c_str());
        return 1;
    }
    std::shared_ptr<const pdf::FontSet> fonts = *fontsR;
    const Date today{2026, 11, 28};
    FillRenderer renderer(fonts);
    RenderOptions ro;
    ro.today = today;
    ro.noCover = !a.cover;

    std::string formBytes, coverBytes;
    int iteration = 0;
    auto once = [&]() -> bool {
        const Variant& v = variants[static_cast<std::size_t>(iteration++) % variants.size()];
        if (a.viaRenderer) {
            ValidationOptions vo;
            vo.today = today;
            const std::vector<Issue> issues = validateRecord(v.record, vo);
            auto r = renderer.render(v.record, ro, false, v.text, &issues);
            if (!r) {
                std::fprintf(stderr, "%s\n", r.error().toString().c_str());
                return false;
            }
            formBytes = std::move(r->form);
            coverBytes = std::move(r->cover);
            return true;
        }
        if (a.form) {
            FormPdfOptions fo;
            fo.today = today;
            fo.fonts = fonts;
            fo.attachmentJson = v.text;
            auto f = renderFormPdf(**def, v.record, fo);
            if (!f) {
                std::fprintf(stderr, "form: %s\n", f.error().toString().c_str());
                return false;
            }
            formBytes = std::move(f->bytes);
        }
        if (a.cover) {
            CoverOptions co;
            co.today = today;
            co.fonts = fonts;
            co.attachmentJson = v.text;
            auto c = renderCoverPdf(v.record, co);
            if (!c) {
                std::fprintf(stderr, "cover: %s\n", c.error().toString().c_str());
                return false;
            }
            coverBytes = std::move(*c);
        }
        return true;
    };

    // Warm-up: loads form definitions, the cover template and (for CJK) the fallback font.
    // The timed loop starts with the next name.
    if (!once()) return 1;

    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpuMs();
    for (int i = 0; i < a.n; ++i)
        if (!once()) return 1;
    const double cpu = cpuMs() - c0;
    const double wall =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    const std::string lastForm = formBytes, lastCover = coverBytes;
    --iteration;
    if (!once()) return 1;
    const bool deterministic = formBytes == lastForm && coverBytes == lastCover;
    std::printf("record %s  n=%d  %s\n", a.record.c_str(), a.n,
                a.viaRenderer ? "via FillRenderer" : "direct");
    std::printf("%zu name variants\n", variants.size());
    std::printf("ms/record  cpu %.3f  wall %.3f\n", cpu / a.n, wall / a.n);
    if (!formBytes.empty())
        std::printf("form   %zu bytes (%.1f KB)\n", formBytes.size(), formBytes.size() / 1024.0);
    if (!coverBytes.empty())
        std::printf("cover  %zu bytes (%.1f KB)\n", coverBytes.size(), coverBytes.size() / 1024.0);
    std::printf("deterministic: %s\n", deterministic ? "yes" : "NO");
    if (!a.out.empty()) {
        if (!formBytes.empty()) (void)writeFileAtomic(a.out + "/form.pdf", formBytes);
        if (!coverBytes.empty()) (void)writeFileAtomic(a.out + "/cover.pdf", coverBytes);
    }
    return deterministic ? 0 : 1;
}
