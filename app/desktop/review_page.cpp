// SPDX-License-Identifier: MIT
#include "desktop/review_page.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

#include "desktop/field_box.h"
#include "desktop/icons.h"
#include "desktop/qt_text.h"
#include "desktop/record_model.h"

namespace lecert::desktop {

namespace {

// "Item 2.a  Victim's Family Name (entry 2)" for an issue's field.
QString fieldLabel(const FormDefinition& form, const std::string& path) {
    const FormItem* item = form.itemForPath(path);
    if (!item) return path.empty() ? QObject::tr("Whole record") : qs(path);
    QString label = FieldBox::displayLabel(*item);
    const auto open = path.find('[');
    if (open != std::string::npos) {
        const std::size_t index = std::stoul(path.substr(open + 1));
        // Sub-field of a row: name the group item too.
        label = QObject::tr("%1 (entry %2)").arg(label).arg(index + 1);
        const std::string groupPath = path.substr(0, open);
        if (const FormItem* group = form.itemForPath(groupPath); group && group != item) {
            label = FieldBox::displayLabel(*group) + QStringLiteral(" › ") + label;
        }
    }
    return label;
}

}  // namespace

ReviewPage::ReviewPage(RecordModel* model, QWidget* parent) : QWidget(parent), m_model(model) {
    setObjectName(QStringLiteral("step:review"));
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, Qt::white);
    setPalette(pal);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(28, 20, 28, 20);
    layout->setSpacing(8);
    auto* kicker = new QLabel(tr("Last step"), this);
    kicker->setProperty("role", QStringLiteral("kicker"));
    layout->addWidget(kicker);
    auto* title = new QLabel(tr("Review and export"), this);
    title->setProperty("role", QStringLiteral("title"));
    title->setObjectName(QStringLiteral("stepTitle"));
    layout->addWidget(title);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("reviewSummary"));
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_summary);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("issueList"));
    m_list->setAccessibleName(tr("Issues to check"));
    m_list->setRootIsDecorated(true);
    m_list->setHeaderLabels({tr("Item"), tr("Message")});
    m_list->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_list->header()->setStretchLastSection(true);
    m_list->setWordWrap(true);
    m_list->setUniformRowHeights(false);
    m_list->setAlternatingRowColors(true);
    layout->addWidget(m_list, 1);

    auto* hint = new QLabel(
        tr("Click an issue (or select it and press Enter) to go to its field. Errors must be "
           "fixed before the final PDF; warnings are worth a second look."),
        this);
    hint->setWordWrap(true);
    hint->setProperty("role", QStringLiteral("hint"));
    layout->addWidget(hint);

    auto jump = [this](QTreeWidgetItem* item) {
        if (!item) return;
        const QVariant path = item->data(0, Qt::UserRole);
        if (path.isValid()) Q_EMIT jumpRequested(path.toString());
    };
    connect(m_list, &QTreeWidget::itemClicked, this, jump);
    connect(m_list, &QTreeWidget::itemActivated, this, jump);
}

void ReviewPage::refresh() {
    m_list->clear();
    if (!m_model->isLoaded()) return;
    const FormDefinition& form = m_model->form();
    const auto& issues = m_model->issues();
    const auto errors = countIssues(issues, Severity::Error);
    const auto warnings = countIssues(issues, Severity::Warning);

    // One branch per step, in the order of the worksheet; record-level issues last.
    std::map<std::size_t, QTreeWidgetItem*> branches;
    auto branchFor = [&](const std::string& partId) {
        std::size_t index = form.parts.size();
        for (std::size_t i = 0; i < form.parts.size(); ++i) {
            if (form.parts[i].id == partId) index = i;
        }
        auto it = branches.find(index);
        if (it != branches.end()) return it->second;
        auto* branch = new QTreeWidgetItem;
        branch->setText(0,
                        index < form.parts.size() ? qs(form.parts[index].stepTitle) : tr("Record"));
        branch->setFirstColumnSpanned(true);
        QFont f = branch->font(0);
        f.setBold(true);
        branch->setFont(0, f);
        branches.emplace(index, branch);
        return branch;
    };
    for (int pass = 0; pass < 2; ++pass) {
        const Severity wanted = pass == 0 ? Severity::Error : Severity::Warning;
        for (const Issue& i : issues) {
            if (i.severity != wanted) continue;
            QTreeWidgetItem* branch = branchFor(m_model->partIdFor(i.field));
            auto* item = new QTreeWidgetItem(branch);
            item->setIcon(0, stepStateIcon(wanted == Severity::Error ? StepState::HasErrors
                                                                     : StepState::HasWarnings));
            item->setText(0, fieldLabel(form, i.field));
            QString message = qs(i.message);
            if (!i.citation.empty())
                message += QStringLiteral("  (") + qs(i.citation) + QStringLiteral(")");
            item->setText(1, message);
            item->setToolTip(1, message);
            item->setData(0, Qt::UserRole, qs(i.field));
            item->setData(0, Qt::AccessibleTextRole,
                          QString((wanted == Severity::Error ? tr("Error") : tr("Warning")) +
                                  QStringLiteral(": ") + item->text(0)));
        }
    }
    for (auto& [index, branch] : branches) {
        branch->setText(0, branch->text(0) + QStringLiteral("  (%1)").arg(branch->childCount()));
        m_list->addTopLevelItem(branch);
        branch->setExpanded(true);
    }
    m_list->resizeColumnToContents(0);
    if (m_list->columnWidth(0) > 380) m_list->setColumnWidth(0, 380);

    if (errors == 0 && warnings == 0) {
        m_summary->setText(
            QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> %3")
                .arg(okColor().name(), tr("No issues."),
                     tr("The worksheet is complete. Preview the form and the cover summary, "
                        "then save them as PDF.")));
    } else if (errors == 0) {
        m_summary->setText(QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> %3")
                               .arg(okColor().name(), tr("Ready to print."),
                                    tr("%1 below worth a second look.")
                                        .arg(warningsText(static_cast<long>(warnings)))));
    } else {
        m_summary->setText(
            QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> %3")
                .arg(
                    errorColor().name(),
                    tr("%1 to fix").arg(errorsText(static_cast<long>(errors))) +
                        (warnings ? QStringLiteral(", ") + warningsText(static_cast<long>(warnings))
                                  : QString()) +
                        QStringLiteral("."),
                    tr("Until the errors are fixed you can preview and save only a draft marked "
                       "\"DRAFT – NOT FOR SIGNATURE\".")));
    }
}

}  // namespace lecert::desktop
