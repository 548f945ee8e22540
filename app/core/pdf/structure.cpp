// SPDX-License-Identifier: MIT
// The tagged structure of a Document (PDF/UA): structure elements opened and closed by the
// layout, marked content around every drawn text, artifacts around everything else. The writer
// (document_writer.cpp) turns `elems` into the StructTreeRoot and its ParentTree.
#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_out.h"
#include "core/pdf/pdf_syntax.h"

namespace lecert::pdf {

namespace {
// The tag of marked content inside containers, and of a flattened field's element.
const std::string kSpan = "Span";
}  // namespace

int Document::beginElement(const std::string& type, const std::string& altText) {
    Impl::StructElem e;
    e.type = type;
    e.alt = altText;
    e.parent = m->openElems.empty() ? -1 : m->openElems.back();
    if (e.parent < 0 && !m->openElems.empty()) {
        // Inside an artifact: nothing to tag; keep the stack balanced for endElement().
        m->openElems.push_back(-1);
        return -1;
    }
    const int id = static_cast<int>(m->elems.size());
    if (e.parent >= 0) {
        Impl::StructKid k;
        k.kind = Impl::StructKid::Kind::Element;
        k.element = id;
        m->elems[static_cast<std::size_t>(e.parent)].kids.push_back(k);
    }
    m->elems.push_back(std::move(e));
    m->openElems.push_back(id);
    return id;
}

void Document::reopenElement(int id) {
    if (id >= 0 && id < static_cast<int>(m->elems.size())) m->openElems.push_back(id);
}

void Document::beginArtifact() {
    m->openElems.push_back(-1);
}

void Document::endElement() {
    if (!m->openElems.empty()) m->openElems.pop_back();
}

int Document::openElement() const {
    return m->openElems.empty() ? -1 : m->openElems.back();  // -1 also inside beginArtifact()
}

void Document::Impl::beginText(int page, Canvas& cv) {
    closeArtifact(cv);
    if (openElems.empty() || openElems.back() < 0 || page < 0 ||
        page >= static_cast<int>(pages.size())) {
        cv.ops += "/Artifact BMC\n";
        return;
    }
    const int el = openElems.back();
    auto& owners = pages[static_cast<std::size_t>(page)].mcidOwner;
    StructKid k;
    k.kind = StructKid::Kind::Mcid;
    k.page = page;
    k.mcid = static_cast<int>(owners.size());
    owners.push_back(el);
    elems[static_cast<std::size_t>(el)].kids.push_back(k);
    // The tag names the element's type; Form/Table containers hold their text as a Span.
    const std::string& type = elems[static_cast<std::size_t>(el)].type;
    const bool inline_ = type == "Form" || type == "Table" || type == "TR" || type == "Div";
    cv.ops.push_back('/');
    cv.ops += inline_ ? kSpan : type;
    cv.ops += " <</MCID ";
    detail::appendInt(cv.ops, k.mcid);
    cv.ops += ">> BDC\n";
}

void Document::Impl::endText(Canvas& cv) {
    cv.ops += "EMC\n";
}

void Document::Impl::beginArtifact(Canvas& cv) {
    if (cv.inArtifact) return;
    cv.ops += "/Artifact BMC\n";
    cv.inArtifact = true;
}

void Document::Impl::closeArtifact(Canvas& cv) {
    if (!cv.inArtifact) return;
    cv.ops += "EMC\n";
    cv.inArtifact = false;
}

int Document::Impl::elementForWidget(int requested) {
    if (requested >= 0 && requested < static_cast<int>(elems.size())) return requested;
    if (openElems.empty() || openElems.back() < 0) return -1;
    const int open = openElems.back();
    const StructElem& e = elems[static_cast<std::size_t>(open)];
    bool hasWidget = false;
    for (const StructKid& k : e.kids) hasWidget = hasWidget || k.kind == StructKid::Kind::Widget;
    if (e.type == "Form" && !hasWidget) return open;
    // A Form element of its own inside the open element.
    StructElem f;
    f.type = "Form";
    f.parent = open;
    const int id = static_cast<int>(elems.size());
    StructKid k;
    k.kind = StructKid::Kind::Element;
    k.element = id;
    elems[static_cast<std::size_t>(open)].kids.push_back(k);
    elems.push_back(std::move(f));
    return id;
}

void Document::Impl::attachWidget(std::size_t field, std::size_t widget, int requested) {
    Widget& w = fields[field].widgets[widget];
    w.element = elementForWidget(requested);
    if (w.element < 0) return;
    StructKid k;
    k.kind = StructKid::Kind::Widget;
    k.page = w.page;
    k.field = static_cast<int>(field);
    k.widget = static_cast<int>(widget);
    elems[static_cast<std::size_t>(w.element)].kids.push_back(k);
}

void Document::Impl::markFlattened(int page, Canvas& cv, const Widget& w) {
    if (w.element < 0) {
        beginArtifact(cv);
        return;
    }
    openElems.push_back(w.element);
    beginText(page, cv);
    openElems.pop_back();
}

}  // namespace lecert::pdf

namespace lecert::pdf {

using namespace detail;

namespace {
void addRefTo(std::string& list, int obj) {
    if (!list.empty()) list.push_back(' ');
    appendRef(list, obj);
}
}  // namespace

namespace {

using StructElem = Document::Impl::StructElem;
using StructKid = Document::Impl::StructKid;

// The page an element's content is on when it is all on one page, else -1.
int onlyPage(const StructElem& e) {
    int page = -1;
    for (const StructKid& kid : e.kids) {
        if (kid.kind == StructKid::Kind::Element) continue;
        if (page >= 0 && kid.page != page) return -1;
        page = kid.page;
    }
    return page;
}

// The element's /K entries, appended: bare MCIDs when it is on one page (the compact form, /Pg
// then given once), marked-content references otherwise; its widgets and child elements.
void appendKids(std::string& d, const StructElem& e, const Tagging& tags,
                const std::vector<int>& pageObj, bool onePage) {
    auto pageRef = [&](int page) { appendRef(d, pageObj[static_cast<std::size_t>(page)]); };
    bool first = true;
    for (const StructKid& kid : e.kids) {
        const auto widget = kid.kind == StructKid::Kind::Widget
                                ? tags.widgetObj.find({kid.field, kid.widget})
                                : tags.widgetObj.end();
        if (kid.kind == StructKid::Kind::Widget && widget == tags.widgetObj.end())
            continue;  // flattened: no annotation
        if (!first) d.push_back(' ');
        first = false;
        if (kid.kind == StructKid::Kind::Mcid && onePage) {
            appendInt(d, kid.mcid);
        } else if (kid.kind == StructKid::Kind::Mcid) {
            d += "<< /Type /MCR /Pg ";
            pageRef(kid.page);
            d += " /MCID ";
            appendInt(d, kid.mcid);
            d += " >>";
        } else if (kid.kind == StructKid::Kind::Widget) {
            d += "<< /Type /OBJR";
            if (!onePage) {
                d += " /Pg ";
                pageRef(kid.page);
            }
            d += " /Obj ";
            appendRef(d, widget->second);
            d += " >>";
        } else {
            appendRef(d, tags.elemObj[static_cast<std::size_t>(kid.element)]);
        }
    }
}

// The ParentTree's /Nums: page i (key i) -> its MCIDs' elements; each widget's key -> its
// element.
std::string parentTreeNums(const std::vector<Document::Impl::Page>& pages, const Tagging& tags) {
    std::string nums = "<< /Nums [";
    for (std::size_t p = 0; p < pages.size(); ++p) {
        appendInt(nums, static_cast<long long>(p));
        nums += " [";
        const auto& owners = pages[p].mcidOwner;
        for (std::size_t k = 0; k < owners.size(); ++k) {
            if (k) nums.push_back(' ');
            appendRef(nums, tags.elemObj[static_cast<std::size_t>(owners[k])]);
        }
        nums += "] ";
    }
    for (const auto& [key, obj] : tags.widgetKeys) {
        appendInt(nums, key);
        nums.push_back(' ');
        appendRef(nums, obj);
        nums.push_back(' ');
    }
    return nums + "] >>";
}

}  // namespace

// Dictionaries are appended in place (a form has ~700 elements; temporaries per reference
// were a tenth of writing a file).
std::string Document::Impl::writeStructTree(PdfOut& out, const Tagging& tags,
                                            const std::vector<int>& pageObj, bool flattened) const {
    const int root = out.reserve(), docElem = out.reserve(), parentTree = out.reserve();
    std::string topKids, d;
    for (std::size_t i = 0; i < elems.size(); ++i) {
        const StructElem& e = elems[i];
        if (e.parent < 0) addRefTo(topKids, tags.elemObj[i]);
        const int page = onlyPage(e);
        // A flattened field is page content, no longer a widget: a Form element would promise
        // one.
        const std::string& type = flattened && e.type == "Form" ? kSpan : e.type;
        d.assign("<< /Type /StructElem /S ");
        appendName(d, type);
        d += " /P ";
        appendRef(d, e.parent < 0 ? docElem : tags.elemObj[static_cast<std::size_t>(e.parent)]);
        d += " /K [";
        appendKids(d, e, tags, pageObj, page >= 0);
        d += "]";
        if (page >= 0) {
            d += " /Pg ";
            appendRef(d, pageObj[static_cast<std::size_t>(page)]);
        }
        if (!e.alt.empty()) {
            d += " /Alt ";
            appendTextString(d, e.alt);
        }
        d += " >>";
        out.object(tags.elemObj[i], d);
    }
    out.object(docElem,
               "<< /Type /StructElem /S /Document /P " + ref(root) + " /K [" + topKids + "] >>");
    out.object(parentTree, parentTreeNums(pages, tags));
    out.object(root, "<< /Type /StructTreeRoot /K " + ref(docElem) + " /ParentTree " +
                         ref(parentTree) + " /ParentTreeNextKey " + std::to_string(tags.nextKey) +
                         " >>");
    return " /StructTreeRoot " + ref(root) + " /MarkInfo << /Marked true >>";
}

}  // namespace lecert::pdf
