// SPDX-License-Identifier: MIT
// XMP metadata of a Document: the same title, dates and tools as /Info (PDF/A requires them to
// agree), the PDF/UA-1 claim of a tagged document, and for archival copies the PDF/A-2b claim
// with its sRGB output intent.
#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_out.h"
#include "core/pdf/pdf_syntax.h"

namespace lecert::pdf {

using namespace detail;

namespace {

std::string xmlEscape(std::string_view s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            default:
                // Control characters are not allowed in XML 1.0; the metadata never needs them.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') o.push_back(c);
        }
    }
    return o;
}

// "D:20261128000000Z" -> "2026-11-28T00:00:00Z" (pdfDate's fixed format).
std::string xmpDate(const std::string& pdf) {
    return pdf.substr(2, 4) + "-" + pdf.substr(6, 2) + "-" + pdf.substr(8, 2) + "T00:00:00Z";
}

std::string langAlt(const std::string& tag, const std::string& value) {
    return "<" + tag + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xmlEscape(value) +
           "</rdf:li></rdf:Alt></" + tag + ">\n";
}

}  // namespace

std::string Document::Impl::writeMetadata(PdfOut& out, const WriteOptions& options,
                                          bool tagged) const {
    const bool pdfa = !options.pdfaIccProfile.empty();
    const std::string date = xmpDate(pdfDate(info.date));
    std::string x =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
        "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" "
        "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "<dc:format>application/pdf</dc:format>\n";
    if (!info.title.empty()) x += langAlt("dc:title", info.title);
    if (!info.subject.empty()) x += langAlt("dc:description", info.subject);
    if (!info.author.empty())
        x += "<dc:creator><rdf:Seq><rdf:li>" + xmlEscape(info.author) +
             "</rdf:li></rdf:Seq></dc:creator>\n";
    if (!info.language.empty())
        x += "<dc:language><rdf:Bag><rdf:li>" + xmlEscape(info.language) +
             "</rdf:li></rdf:Bag></dc:language>\n";
    x += "<xmp:CreateDate>" + date + "</xmp:CreateDate>\n<xmp:ModifyDate>" + date +
         "</xmp:ModifyDate>\n<xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n";
    x += "<xmp:CreatorTool>" + xmlEscape(info.creator) + "</xmp:CreatorTool>\n";
    x += "<pdf:Producer>" + xmlEscape(info.producer) + "</pdf:Producer>\n";
    if (!info.keywords.empty())
        x += "<pdf:Keywords>" + xmlEscape(info.keywords) + "</pdf:Keywords>\n";
    if (tagged) x += "<pdfuaid:part>1</pdfuaid:part>\n";
    if (pdfa) x += "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n";
    x += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>";

    const int meta = out.reserve();
    // Uncompressed, so that archive tools find the packet without a PDF parser.
    out.rawStream(meta, "/Type /Metadata /Subtype /XML", x, false);
    std::string entries = " /Metadata " + ref(meta);
    if (pdfa) {
        const int icc = out.reserve(), intent = out.reserve();
        out.stream(icc, "/N 3", options.pdfaIccProfile, false);
        out.object(intent, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier " +
                               textString("sRGB IEC61966-2.1") + " /Info " +
                               textString("sRGB IEC61966-2.1") + " /DestOutputProfile " + ref(icc) +
                               " >>");
        entries += " /OutputIntents [" + ref(intent) + "]";
    }
    return entries;
}

}  // namespace lecert::pdf
