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
#include <memory>
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

bool parseArgs(int argc, char** argv, Args& a) {
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
            return false;
    }
    return a.n >= 1;
}

double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// A record to render and the text embedded as record.json, made before timing.
struct Variant {
    Record record;
    std::string text;
};

// The record under 256 combinations of victim names (CJK ones when its own family name is
// CJK), or as it is once with `same`.
std::vector<Variant> makeVariants(const Json& json, const std::string& text, bool same) {
    static const char* latinFamily[] = {
        "Rivera",    "Okafor", "Hansen",   "Moreau", "Silva",   "Kowalski", "Brennan", "Duarte",
        "Lindqvist", "Mensah", "Castillo", "Novak",  "Fischer", "Abara",    "Quinn",   "Serrano"};
    static const char* latinGiven[] = {"Ana",    "Grace", "Tomas",   "Lucia", "Samuel", "Marta",
                                       "Daniel", "Irene", "Kofi",    "Elena", "Pablo",  "Nadia",
                                       "Oskar",  "Rosa",  "Ibrahim", "Clara"};
    static const char* cjkFamily[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                      "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
    static const char* cjkGiven[] = {"秀英", "小明", "伟", "芳", "志强", "丽", "军", "静",
                                     "磊",   "婷",   "洋", "敏", "杰",   "娜", "涛", "霞"};
    const Json* fam = jsonAt(json, "victim.family_name");
    const bool cjk =
        fam && fam->is_string() && fam->get<std::string>().find('\xE4') != std::string::npos;
    std::vector<Variant> variants;
    const int count = same ? 1 : 256;
    for (int i = 0; i < count; ++i) {
        Json j = json;
        if (!same) {
            const int f = i % 16, g = (i / 16 + i) % 16;
            jsonSet(j, "victim.family_name", cjk ? cjkFamily[f] : latinFamily[f]);
            jsonSet(j, "victim.given_name", cjk ? cjkGiven[g] : latinGiven[g]);
        }
        std::string t = same ? text : dumpPretty(j);
        variants.push_back({Record(std::move(j)), std::move(t)});
    }
    return variants;
}

// Renders the variants in turn, one per call to once(), and keeps the last PDFs.
class Bench {
public:
    Bench(const Args& a, std::vector<Variant> variants, std::shared_ptr<const FormDefinition> def,
          std::shared_ptr<const pdf::FontSet> fonts)
        : m_a(a),
          m_variants(std::move(variants)),
          m_def(std::move(def)),
          m_fonts(fonts),
          m_renderer(std::move(fonts)) {
        m_ro.today = m_today;
        m_ro.noCover = !a.cover;
    }

    bool once() {
        const Variant& v = m_variants[static_cast<std::size_t>(m_iteration++) % m_variants.size()];
        return m_a.viaRenderer ? viaRenderer(v) : direct(v);
    }
    // The next once() renders the same variant as the last one.
    void repeatLast() { --m_iteration; }
    std::size_t variantCount() const { return m_variants.size(); }

    std::string formBytes, coverBytes;

private:
    bool viaRenderer(const Variant& v) {
        ValidationOptions vo;
        vo.today = m_today;
        const std::vector<Issue> issues = validateRecord(v.record, vo);
        auto r = m_renderer.render(v.record, m_ro, false, v.text, &issues);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().toString().c_str());
            return false;
        }
        formBytes = std::move(r->form);
        coverBytes = std::move(r->cover);
        return true;
    }

    bool direct(const Variant& v) {
        if (m_a.form) {
            FormPdfOptions fo;
            fo.today = m_today;
            fo.fonts = m_fonts;
            fo.attachmentJson = v.text;
            auto f = renderFormPdf(*m_def, v.record, fo);
            if (!f) {
                std::fprintf(stderr, "form: %s\n", f.error().toString().c_str());
                return false;
            }
            formBytes = std::move(f->bytes);
        }
        if (m_a.cover) {
            CoverOptions co;
            co.today = m_today;
            co.fonts = m_fonts;
            co.attachmentJson = v.text;
            auto c = renderCoverPdf(v.record, co);
            if (!c) {
                std::fprintf(stderr, "cover: %s\n", c.error().toString().c_str());
                return false;
            }
            coverBytes = std::move(*c);
        }
        return true;
    }

    const Args& m_a;
    std::vector<Variant> m_variants;
    std::shared_ptr<const FormDefinition> m_def;
    std::shared_ptr<const pdf::FontSet> m_fonts;
    FillRenderer m_renderer;
    RenderOptions m_ro;
    const Date m_today{2026, 11, 28};
    int m_iteration = 0;
};

// The record's variants, its form definition and the fonts; null (after a message) on failure.
std::unique_ptr<Bench> makeBench(const Args& a) {
    auto fail = [](const Error& e) {
        std::fprintf(stderr, "%s\n", e.toString().c_str());
        return nullptr;
    };
    auto text = readFile(a.record);
    if (!text) return fail(text.error());
    auto json = parseJson(*text, a.record);
    if (!json) return fail(json.error());
    normalizeRecord(*json);
    std::vector<Variant> variants = makeVariants(*json, *text, a.same);
    const auto formId = variants.front().record.form();
    if (!formId) return fail(Error{"record has no form", {}});
    auto def = formDefinition(*formId);
    if (!def) return fail(def.error());
    auto fonts = pdf::FontSet::create();
    if (!fonts) return fail(fonts.error());
    return std::make_unique<Bench>(a, std::move(variants), *def, *fonts);
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    if (!parseArgs(argc, argv, a)) return usage();
    const std::unique_ptr<Bench> bench = makeBench(a);
    if (!bench) return 1;

    // Warm-up: loads form definitions, the cover template and (for CJK) the fallback font.
    // The timed loop starts with the next name.
    if (!bench->once()) return 1;

    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpuMs();
    for (int i = 0; i < a.n; ++i)
        if (!bench->once()) return 1;
    const double cpu = cpuMs() - c0;
    const double wall =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    const std::string lastForm = bench->formBytes, lastCover = bench->coverBytes;
    bench->repeatLast();
    if (!bench->once()) return 1;
    const std::string& formBytes = bench->formBytes;
    const std::string& coverBytes = bench->coverBytes;
    const bool deterministic = formBytes == lastForm && coverBytes == lastCover;
    std::printf("record %s  n=%d  %s\n", a.record.c_str(), a.n,
                a.viaRenderer ? "via FillRenderer" : "direct");
    std::printf("%zu name variants\n", bench->variantCount());
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
