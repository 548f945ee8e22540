// SPDX-License-Identifier: MIT
#include "desktop/step_page.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

#include "desktop/field_box.h"
#include "desktop/field_editors.h"
#include "desktop/qt_text.h"

namespace lecert::desktop {

namespace {

std::string parentOf(const std::string& path) {
    if (path.empty()) return {};
    if (path.back() == ']') return path.substr(0, path.rfind('['));
    const auto cut = path.find_last_of('.');
    return cut == std::string::npos ? std::string() : path.substr(0, cut);
}

// Keeps the input boxes of one row of items level: a label that wraps to two lines would
// otherwise push its box below its neighbours'. Every label of the row gets the height of the
// tallest at the current width.
class RowAligner : public QObject {
public:
    RowAligner(std::vector<FieldBox*> boxes, QObject* parent)
        : QObject(parent), m_boxes(std::move(boxes)) {
        for (FieldBox* b : m_boxes) b->installEventFilter(this);
    }
    bool eventFilter(QObject* watched, QEvent* event) override {
        if ((event->type() == QEvent::Resize || event->type() == QEvent::Show ||
             event->type() == QEvent::Hide) &&
            !m_busy)
            QTimer::singleShot(0, this, [this] { align(); });
        return QObject::eventFilter(watched, event);
    }

private:
    void align() {
        m_busy = true;
        int tallest = 0;
        for (FieldBox* b : m_boxes) {
            if (b->isHidden() || !b->label()) continue;
            tallest = std::max(tallest, b->label()->heightForWidth(b->label()->width()));
        }
        for (FieldBox* b : m_boxes) {
            if (b->label() && b->label()->minimumHeight() != tallest)
                b->label()->setMinimumHeight(tallest);
        }
        m_busy = false;
    }

    std::vector<FieldBox*> m_boxes;
    bool m_busy = false;
};

}  // namespace

QString StepPage::pageTitle(const FormPart& part) {
    if (part.number.empty()) return qs(part.title);
    return tr("Part %1. %2").arg(qs(part.number), qs(part.title));
}

StepPage::StepPage(RecordModel* model, const FormPart& part, QWidget* parent)
    : QScrollArea(parent), m_model(model), m_part(part) {
    setObjectName(QStringLiteral("step:") + qs(part.id));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);

    auto* outer = new QWidget(this);
    outer->setObjectName(QStringLiteral("stepCanvas"));
    auto* centerer = new QHBoxLayout(outer);
    centerer->setContentsMargins(0, 0, 0, 0);
    auto* content = new QWidget(outer);
    content->setMaximumWidth(content->fontMetrics().averageCharWidth() * 110);
    centerer->addStretch(0);
    centerer->addWidget(content, 1);
    centerer->addStretch(0);

    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(28, 20, 28, 24);
    layout->setSpacing(6);

    auto* kicker = new QLabel(part.number.empty() ? tr("Cover summary (not printed on the form)")
                                                  : tr("Part %1 of the form").arg(qs(part.number)),
                              content);
    kicker->setProperty("role", QStringLiteral("kicker"));
    layout->addWidget(kicker);
    auto* title = new QLabel(pageTitle(part), content);
    title->setProperty("role", QStringLiteral("title"));
    title->setWordWrap(true);
    title->setObjectName(QStringLiteral("stepTitle"));
    layout->addWidget(title);
    layout->addSpacing(8);

    QHBoxLayout* line = nullptr;
    std::string lineRow;
    std::vector<FieldBox*> rowBoxes;
    auto endRow = [&] {
        if (rowBoxes.size() > 1) new RowAligner(rowBoxes, this);
        rowBoxes.clear();
    };
    for (const FormItem& item : part.items) {
        auto* box = new FieldBox(model, item, item.path, false, content);
        const std::string& r = item.layout.row;
        if (r.empty() || r != lineRow || !line) {
            endRow();
            line = new QHBoxLayout;
            line->setSpacing(14);
            layout->addLayout(line);
            lineRow = r;
        }
        line->addWidget(box, std::max(1, static_cast<int>(item.layout.width * 100)), Qt::AlignTop);
        rowBoxes.push_back(box);
        if (r.empty()) line = nullptr;
    }
    endRow();
    layout->addStretch(1);
    setWidget(outer);
}

QList<FieldBox*> StepPage::fieldBoxes() const {
    return widget()->findChildren<FieldBox*>();
}

FieldBox* StepPage::boxForPath(const std::string& path) const {
    const QList<FieldBox*> boxes = fieldBoxes();
    for (std::string p = path; !p.empty(); p = parentOf(p)) {
        for (FieldBox* b : boxes) {
            if (b->path() == p) return b;
        }
    }
    // An object ("agency.head"): the first item under it.
    for (FieldBox* b : boxes) {
        if (b->path().rfind(path + ".", 0) == 0) return b;
    }
    return nullptr;
}

void StepPage::focusBox(FieldBox* box) {
    if (!box) return;
    QWidget* target = box->editor()->focusTarget();
    ensureWidgetVisible(box, 40, 60);
    if (target) target->setFocus(Qt::OtherFocusReason);
    // Layout of a page just shown settles after this event; scroll again once it has.
    QTimer::singleShot(0, this, [this, box] { ensureWidgetVisible(box, 40, 60); });
}

}  // namespace lecert::desktop
