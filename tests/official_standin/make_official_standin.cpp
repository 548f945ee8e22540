// SPDX-License-Identifier: MIT
// Writes stand-ins for the official USCIS Form I-918 Supplement B, edition 01/20/25, which
// cannot be downloaded here. Same shape as the real file: the 133 AcroForm fields with their
// real full names and hierarchy (form1[0] > #subform[n] / pg4[0] > field), 5 Letter pages,
// widgets with rectangles, /DA with Helvetica (/Helv in /DR), check boxes whose on-states are
// not /Yes (gender /Female /Male as in the real file), an /XFA array, object streams and a
// cross-reference stream as LiveCycle writes them. Usage:
//   make_official_standin OUTDIR
// writes OUTDIR/i918b-standin.pdf, i918b-standin-owner.pdf (AES-128, owner password, empty
// user password), i918b-standin-owner256.pdf (the same with AES-256) and
// i918b-standin-renamed.pdf (a different form: field names changed, for mismatch tests).
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

struct FieldSpec {
    const char* kind;
    const char* name;
};

// Appendix A of shared/notes/official-forms.md, in PDF field order.
const FieldSpec kFields[] = {
    {"text", "form1[0].#subform[0].Part1_Line1_AlienNumber[0]"},
    {"text", "form1[0].#subform[0].Pt1Line2a_FamilyName[0]"},
    {"text", "form1[0].#subform[0].Pt1Line2a_GivenName[0]"},
    {"text", "form1[0].#subform[0].Pt1Line2a_MiddleName[0]"},
    {"text", "form1[0].#subform[0].Pt1Line3a_FamilyName[0]"},
    {"text", "form1[0].#subform[0].Pt1Line3a_GivenName[0]"},
    {"text", "form1[0].#subform[0].Pt1Line3a_MiddleName[0]"},
    {"text", "form1[0].#subform[0].P1_Line4_DateOfBirth[0]"},
    {"checkbox", "form1[0].#subform[0].Part1_5_checkboxes[0]"},
    {"checkbox", "form1[0].#subform[0].Part1_5_checkboxes[1]"},
    {"text", "form1[0].#subform[0].Pt2Line1_CertifyingAgency[0]"},
    {"text", "form1[0].#subform[0].Pt2Line2c_FamilyName[0]"},
    {"text", "form1[0].#subform[0].Pt2Line2c_GivenName[0]"},
    {"text", "form1[0].#subform[0].Pt2Line2c_MiddleName[0]"},
    {"text", "form1[0].#subform[0].Pt2Line3_TitleandDivisionOffice[0]"},
    {"text", "form1[0].#subform[0].Pt2Line4a_FamilyName[0]"},
    {"text", "form1[0].#subform[0].Pt2Line4a_GivenName[0]"},
    {"text", "form1[0].#subform[0].Pt2Line4a_MiddleName[0]"},
    {"text", "form1[0].#subform[0].StreetNumberName[0]"},
    {"text", "form1[0].#subform[0].AptSteFlrNumber[0]"},
    {"text", "form1[0].#subform[0].CityTown[0]"},
    {"checkbox", "form1[0].#subform[0].P3_Line4c_Unit[0]"},
    {"checkbox", "form1[0].#subform[0].P3_Line4c_Unit[1]"},
    {"checkbox", "form1[0].#subform[0].P3_Line4c_Unit[2]"},
    {"dropdown", "form1[0].#subform[0].Pt2Line5_State[0]"},
    {"text", "form1[0].#subform[0].Pt2Line5_ZipCode[0]"},
    {"text", "form1[0].#subform[0].Pt2Line5_Province[0]"},
    {"text", "form1[0].#subform[0].Pt2Line5_PostalCode[0]"},
    {"text", "form1[0].#subform[0].Pt2Line5_Country[0]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line6_checkboxes[0]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line6_checkboxes[1]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line6_checkboxes[2]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line7_checkboxes[0]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line7_checkboxes[1]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line7_checkboxes[2]"},
    {"text", "form1[0].#subform[0].Part2_Line7_Other[0]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line8_checkboxes[0]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line8_checkboxes[1]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line8_checkboxes[2]"},
    {"checkbox", "form1[0].#subform[0].Part2_Line8_checkboxes[3]"},
    {"text", "form1[0].#subform[0].Part2_Line8_Other[0]"},
    {"text", "form1[0].#subform[0].Part2_Line9_CaseNumber[0]"},
    {"text", "form1[0].#subform[0].Part2_Line10_FBIorSIDNumber[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[1]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[2]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[3]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[4]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[5]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[6]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[7]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[8]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[9]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[10]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[11]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[12]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[13]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[14]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[15]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[16]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[17]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[18]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[19]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[20]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[21]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[22]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[23]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[24]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[25]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[26]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[27]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[28]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[29]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line1_checkboxes[30]"},
    {"text", "form1[0].#subform[1].Part3_Line2a_Date[0]"},
    {"text", "form1[0].#subform[1].Part3_Line2b_Date[0]"},
    {"text", "form1[0].#subform[1].Part3_Line2c_Date[0]"},
    {"text", "form1[0].#subform[1].Part3_Line2d_Date[0]"},
    {"text", "form1[0].#subform[1].Part3_Line3_Citations[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line4a_chbxyesno[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line4a_chbxyesno[1]"},
    {"text", "form1[0].#subform[1].Part3_Line4b_Explanation[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line5a_chbxyesno[0]"},
    {"checkbox", "form1[0].#subform[1].Part3_Line5a_chbxyesno[1]"},
    {"text", "form1[0].#subform[1].Part3_Line5b_Explanation[0]"},
    {"text", "form1[0].#subform[1].Part3_Line6_Explanation[0]"},
    {"text", "form1[0].#subform[1].Part3_Line7_Explanation[0]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line1_chbxyesno[0]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line1_chbxyesno[1]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line2_chbxyesno[0]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line2_chbxyesno[1]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line3_chbxyesno[0]"},
    {"checkbox", "form1[0].#subform[2].Part4_Line3_chbxyesno[1]"},
    {"text", "form1[0].#subform[2].Part4_Line3_Other[0]"},
    {"text", "form1[0].#subform[2].Part4_Line5_Other[0]"},
    {"checkbox", "form1[0].pg4[0].Part5_Line1_chbxyesno[0]"},
    {"checkbox", "form1[0].pg4[0].Part5_Line1_chbxyesno[1]"},
    {"text", "form1[0].pg4[0].Part5_Line2_FamilyName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line2_GivenName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line2_MiddleName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line2_Relationship[0]"},
    {"text", "form1[0].pg4[0].Part5_Line2_Involvement[0]"},
    {"text", "form1[0].pg4[0].Part5_Line3_FamilyName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line3_GivenName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line3_MiddleName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line3_Relationship[0]"},
    {"text", "form1[0].pg4[0].Part5_Line3_Involvement[0]"},
    {"text", "form1[0].pg4[0].Part5_Line4_FamilyName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line4_GivenName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line4_MiddleName[0]"},
    {"text", "form1[0].pg4[0].Part5_Line4_Relationship[0]"},
    {"text", "form1[0].pg4[0].Part5_Line4_Involvement[0]"},
    {"text", "form1[0].pg4[0].Pt1Line13_ApplicantSignature[0]"},
    {"text", "form1[0].pg4[0].Part6_Line2_Date[0]"},
    {"text", "form1[0].pg4[0].Part6_Line3_DaytimePhoneNumber[0]"},
    {"text", "form1[0].pg4[0].P5_Line4_faxNumber[0]"},
    {"text", "form1[0].#subform[4].Pt1Line2a_FamilyName[1]"},
    {"text", "form1[0].#subform[4].Pt1Line2a_GivenName[1]"},
    {"text", "form1[0].#subform[4].Pt1Line2a_MiddleName[1]"},
    {"text", "form1[0].#subform[4].Part1_Line1_AlienNumber[1]"},
    {"text", "form1[0].#subform[4].Pt2Line1_CertifyingAgency[1]"},
    {"text", "form1[0].#subform[4].P8_Line4a_PageNumber[0]"},
    {"text", "form1[0].#subform[4].P8_Line4b_PartNumber[0]"},
    {"text", "form1[0].#subform[4].P8_Line4c_ItemNumber[0]"},
    {"text", "form1[0].#subform[4].Part7_Line4d_AdditionalInfo[0]"},
    {"text", "form1[0].#subform[4].Part7_Line5a_PageNumber[0]"},
    {"text", "form1[0].#subform[4].Part7_Line5a_PartNumber[0]"},
    {"text", "form1[0].#subform[4].Part7_Line5a_ItemNumber[0]"},
    {"text", "form1[0].#subform[4].Part7_Line5d_AdditionalInfo[0]"},
    {"text", "form1[0].#subform[4].P8_Line6a_PageNumber[0]"},
    {"text", "form1[0].#subform[4].P8_Line6b_PartNumber[0]"},
    {"text", "form1[0].#subform[4].P8_Line6c_ItemNumber[0]"},
    {"text", "form1[0].#subform[4].Part7_Line6d_AdditionalInfo[0]"},
};

using OH = QPDFObjectHandle;

int pageOf(const std::string& name) {
    if (name.find("#subform[0]") != std::string::npos) return 0;
    if (name.find("#subform[1]") != std::string::npos) return 1;
    if (name.find("#subform[2]") != std::string::npos) return 2;
    if (name.find("pg4[0]") != std::string::npos) return 3;
    return 4;
}

bool isMultiline(const std::string& n) {
    for (const char* m :
         {"Explanation", "AdditionalInfo", "Part4_Line3_Other", "Part4_Line5_Other"})
        if (n.find(m) != std::string::npos) return true;
    return false;
}

// The on-state a box exports. Only the gender pair is known from the real file; the others
// are names as LiveCycle exports them (never /Yes), so a filler that assumes /Yes fails.
std::string onStateFor(const std::string& n, int index) {
    if (n.find("Part1_5_checkboxes[0]") != std::string::npos) return "Female";
    if (n.find("Part1_5_checkboxes[1]") != std::string::npos) return "Male";
    if (n.find("chbxyesno") != std::string::npos) return index == 0 ? "Y" : "N";
    if (n.find("P3_Line4c_Unit") != std::string::npos)
        return index == 0 ? "APT" : index == 1 ? "STE" : "FLR";
    return std::to_string(index + 1);
}

int indexOf(const std::string& n) {
    const auto open = n.rfind('[');
    return std::stoi(n.substr(open + 1));
}

std::string terminalName(const std::string& full) {
    return full.substr(full.rfind('.') + 1);
}
std::string parentName(const std::string& full) {
    return full.substr(0, full.rfind('.'));
}

std::string pdfString(const std::string& s) {
    std::string out = "(";
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

struct Layout {
    double x = 0, y = 0;
    int column = 0;
};

struct Builder {
    QPDF pdf;
    std::vector<OH> pages;
    std::vector<OH> annots;  // per page: array
    std::vector<std::string> content;
    std::vector<Layout> cursor;
    std::map<std::string, OH> nodes;  // non-terminal fields by full name
    OH fieldsArray = OH::newArray();
    OH helv;
    bool renamed = false;

    void start() {
        pdf.emptyPDF();
        helv = pdf.makeIndirectObject(OH::parse(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
        for (int p = 0; p < 5; ++p) {
            annots.push_back(OH::newArray());
            content.push_back("");
            cursor.push_back({36, 740, 0});
            char head[256];
            std::snprintf(head, sizeof head,
                          "BT /F1 9 Tf 36 765 Td (Form I-918 Supplement B   Edition 01/20/25   "
                          "Page %d of 5   [lecert test stand-in, not the USCIS form]) Tj ET\n",
                          p + 1);
            content[p] += head;
        }
    }

    OH node(const std::string& full) {
        if (auto it = nodes.find(full); it != nodes.end()) return it->second;
        OH n = pdf.makeIndirectObject(OH::newDictionary());
        n.replaceKey("/T", OH::newUnicodeString(terminalName(full)));
        n.replaceKey("/Kids", OH::newArray());
        if (full.find('.') == std::string::npos) {
            fieldsArray.appendItem(n);
        } else {
            OH parent = node(parentName(full));
            n.replaceKey("/Parent", parent);
            parent.getKey("/Kids").appendItem(n);
        }
        nodes[full] = n;
        return n;
    }

    // Next box position on the page: two columns flowing down.
    void place(int page, double w, double h, double& x, double& y) {
        Layout& c = cursor[page];
        const double need = h + 10;
        if (c.y - need < 50) {
            c.column = 1;
            c.x = 316;
            c.y = 740;
        }
        x = c.x;
        y = c.y - need + 1;
        c.y -= need + 2;
        (void)w;
    }

    void add(const std::string& kind, std::string full) {
        if (renamed) {
            const auto pos = full.find("Pt1Line2a_FamilyName");
            if (pos != std::string::npos) full.replace(pos, 20, "Pt1Line2a_LastName");
        }
        const int page = pageOf(full);
        const std::string term = terminalName(full);
        const bool box = kind == "checkbox";
        const bool multi = isMultiline(full);
        const double w = box ? 11 : 250;
        const double h = box ? 11 : multi ? 64 : 16;
        double x = 0, y = 0;
        place(page, w, h, x, y);
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "BT /F1 5.5 Tf %.1f %.1f Td %s Tj ET\n0.4 w %.1f %.1f %.1f %.1f re S\n",
                      box ? x + 14 : x, box ? y + 2 : y + h + 1.5, pdfString(term).c_str(), x, y, w,
                      h);
        content[page] += buf;

        OH f = pdf.makeIndirectObject(OH::newDictionary());
        OH parent = node(parentName(full));
        f.replaceKey("/Parent", parent);
        parent.getKey("/Kids").appendItem(f);
        f.replaceKey("/T", OH::newUnicodeString(term));
        f.replaceKey("/TU", OH::newUnicodeString("Enter " + term + "."));
        f.replaceKey("/Type", OH::newName("/Annot"));
        f.replaceKey("/Subtype", OH::newName("/Widget"));
        f.replaceKey("/F", OH::newInteger(4));
        f.replaceKey("/P", pages[static_cast<std::size_t>(page)]);
        f.replaceKey("/Rect", OH::newArray(QPDFObjectHandle::Rectangle(x, y, x + w, y + h)));
        f.replaceKey("/MK", OH::parse("<< /BC [0 0 0] >>"));
        if (box) {
            const std::string on = onStateFor(full, indexOf(full));
            f.replaceKey("/FT", OH::newName("/Btn"));
            f.replaceKey("/DA", OH::newString("/ZaDb 0 Tf 0 g"));
            OH onAp = OH::newStream(&pdf, "q 0 g 1.2 w 2 2 m 9 9 l S 2 9 m 9 2 l S Q\n");
            onAp.replaceDict(OH::parse("<< /Type /XObject /Subtype /Form /BBox [0 0 11 11] >>"));
            OH offAp = OH::newStream(&pdf, "% off\n");
            offAp.replaceDict(OH::parse("<< /Type /XObject /Subtype /Form /BBox [0 0 11 11] >>"));
            OH n = OH::newDictionary();
            n.replaceKey("/" + on, onAp);
            n.replaceKey("/Off", offAp);
            OH ap = OH::newDictionary();
            ap.replaceKey("/N", n);
            f.replaceKey("/AP", ap);
            f.replaceKey("/AS", OH::newName("/Off"));
            f.replaceKey("/V", OH::newName("/Off"));
        } else {
            f.replaceKey("/FT", OH::newName(kind == "dropdown" ? "/Ch" : "/Tx"));
            f.replaceKey("/DA", OH::newString("/Helv 0 Tf 0 g"));
            if (kind == "dropdown") {
                f.replaceKey("/Ff", OH::newInteger(1 << 17));  // combo
                OH opt = OH::newArray();
                for (const char* s :
                     {"AL", "AK", "AS", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA",
                      "GU", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA",
                      "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
                      "ND", "MP", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
                      "VI", "UT", "VT", "VA", "WA", "WV", "WI", "WY"})
                    opt.appendItem(OH::newString(s));
                f.replaceKey("/Opt", opt);
            } else if (multi) {
                f.replaceKey("/Ff", OH::newInteger(4096));
            }
            if (term.find("AlienNumber") != std::string::npos)
                f.replaceKey("/MaxLen", OH::newInteger(9));
            if (term.find("Date") != std::string::npos) f.replaceKey("/MaxLen", OH::newInteger(10));
        }
        annots[static_cast<std::size_t>(page)].appendItem(f);
    }

    void makePages() {
        for (int p = 0; p < 5; ++p) {
            OH page =
                pdf.makeIndirectObject(OH::parse("<< /Type /Page /MediaBox [0 0 612 792] >>"));
            pages.push_back(page);
        }
    }

    void finish() {
        QPDFPageDocumentHelper dh(pdf);
        for (int p = 0; p < 5; ++p) {
            OH page = pages[static_cast<std::size_t>(p)];
            OH res = OH::newDictionary();
            OH fonts = OH::newDictionary();
            fonts.replaceKey("/F1", helv);
            res.replaceKey("/Font", fonts);
            page.replaceKey("/Resources", res);
            page.replaceKey("/Contents", OH::newStream(&pdf, content[static_cast<std::size_t>(p)]));
            page.replaceKey("/Annots", annots[static_cast<std::size_t>(p)]);
            dh.addPage(page, false);
        }
        OH dr = OH::newDictionary();
        OH drFonts = OH::newDictionary();
        drFonts.replaceKey("/Helv", helv);
        drFonts.replaceKey(
            "/ZaDb", pdf.makeIndirectObject(
                         OH::parse("<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>")));
        dr.replaceKey("/Font", drFonts);
        OH acro = pdf.makeIndirectObject(OH::newDictionary());
        acro.replaceKey("/Fields", fieldsArray);
        acro.replaceKey("/DA", OH::newString("/Helv 0 Tf 0 g"));
        acro.replaceKey("/DR", dr);
        OH xfa = OH::newArray();
        const char* packets[][2] = {
            {"preamble", "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">"},
            {"template",
             "<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"><subform "
             "name=\"form1\"/></template>"},
            {"datasets",
             "<xfa:datasets "
             "xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><xfa:data/></xfa:datasets>"},
            {"postamble", "</xdp:xdp>"}};
        for (auto& pk : packets) {
            xfa.appendItem(OH::newString(pk[0]));
            xfa.appendItem(pdf.makeIndirectObject(OH::newStream(&pdf, pk[1])));
        }
        acro.replaceKey("/XFA", xfa);
        pdf.getRoot().replaceKey("/AcroForm", acro);
        pdf.getRoot().replaceKey("/NeedsRendering", OH::newBool(false));
        pdf.getTrailer().replaceKey(
            "/Info", pdf.makeIndirectObject(OH::parse(
                         "<< /Title (I-918, Supplement B, U Nonimmigrant Status Certification) "
                         "/Producer (lecert test stand-in; Adobe LiveCycle Designer layout) >>")));
    }
};

enum class Variant { Plain, Owner128, Owner256, Renamed };

void write(Variant v, const std::string& path) {
    Builder b;
    b.renamed = v == Variant::Renamed;
    b.start();
    b.makePages();
    for (const auto& f : kFields) b.add(f.kind, f.name);
    b.finish();
    QPDFWriter w(b.pdf, path.c_str());
    w.setObjectStreamMode(qpdf_o_generate);  // object streams + xref stream, as LiveCycle
    w.setMinimumPDFVersion("1.7");
    if (v == Variant::Owner128) {
        w.setR4EncryptionParametersInsecure("", "owner-secret", true, true, true, true, true, false,
                                            qpdf_r3p_full, true, true);
    } else if (v == Variant::Owner256) {
        w.setR6EncryptionParameters("", "owner-secret", true, true, true, true, true, false,
                                    qpdf_r3p_full, true);
    } else {
        w.setStaticID(true);  // same bytes every run
    }
    w.write();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_official_standin OUTDIR\n";
        return 2;
    }
    const std::string dir = argv[1];
    try {
        write(Variant::Plain, dir + "/i918b-standin.pdf");
        write(Variant::Owner128, dir + "/i918b-standin-owner.pdf");
        write(Variant::Owner256, dir + "/i918b-standin-owner256.pdf");
        write(Variant::Renamed, dir + "/i918b-standin-renamed.pdf");
    } catch (const std::exception& e) {
        std::cerr << "make_official_standin: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
