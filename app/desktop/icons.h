// SPDX-License-Identifier: MIT
#pragma once
// Small icons drawn in code (no image files to ship): step states and the calendar button.

#include <QIcon>

namespace lecert::desktop {

enum class StepState { NotStarted, HasErrors, HasWarnings, Complete, Review };

QIcon stepStateIcon(StepState state);
QIcon calendarIcon();
QIcon plusIcon();
QColor errorColor();
QColor warningColor();
QColor okColor();
QColor accentColor();

}  // namespace lecert::desktop
