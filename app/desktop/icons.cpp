// SPDX-License-Identifier: MIT
#include "desktop/icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace lecert::desktop {

QColor errorColor() {
    return QColor(0xc6, 0x28, 0x28);
}
QColor warningColor() {
    return QColor(0xb2, 0x6a, 0x00);
}
QColor okColor() {
    return QColor(0x2e, 0x7d, 0x32);
}
QColor accentColor() {
    return QColor(0x1a, 0x5f, 0xb4);
}

namespace {

// Draws at several sizes so the icon stays sharp at 125-200 % scaling.
template <class Paint>
QIcon drawnIcon(Paint paint) {
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 24.0, size / 24.0);
        paint(p);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

}  // namespace

QIcon stepStateIcon(StepState state) {
    return drawnIcon([state](QPainter& p) {
        const QRectF circle(2.5, 2.5, 19, 19);
        switch (state) {
            case StepState::NotStarted:
                p.setPen(QPen(QColor(0x9a, 0xa0, 0xa6), 2));
                p.setBrush(Qt::NoBrush);
                p.drawEllipse(circle);
                break;
            case StepState::HasErrors:
            case StepState::HasWarnings: {
                const QColor c = state == StepState::HasErrors ? errorColor() : warningColor();
                p.setPen(Qt::NoPen);
                p.setBrush(c);
                p.drawEllipse(circle);
                p.setPen(QPen(Qt::white, 2.6, Qt::SolidLine, Qt::RoundCap));
                p.drawLine(QPointF(12, 7), QPointF(12, 13.5));
                p.drawPoint(QPointF(12, 17));
                break;
            }
            case StepState::Complete: {
                p.setPen(Qt::NoPen);
                p.setBrush(okColor());
                p.drawEllipse(circle);
                p.setPen(QPen(Qt::white, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
                QPainterPath tick;
                tick.moveTo(7.5, 12.5);
                tick.lineTo(10.5, 15.5);
                tick.lineTo(16.5, 8.5);
                p.setBrush(Qt::NoBrush);
                p.drawPath(tick);
                break;
            }
            case StepState::Review:
                p.setPen(Qt::NoPen);
                p.setBrush(accentColor());
                p.drawEllipse(circle);
                p.setPen(QPen(Qt::white, 2));
                p.setBrush(Qt::NoBrush);
                p.drawEllipse(QRectF(7, 7, 8, 8));
                p.drawLine(QPointF(14, 14), QPointF(17, 17));
                break;
        }
    });
}

QIcon calendarIcon() {
    return drawnIcon([](QPainter& p) {
        p.setPen(QPen(QColor(0x44, 0x4c, 0x56), 1.6));
        p.setBrush(Qt::white);
        p.drawRoundedRect(QRectF(3.5, 5, 17, 15.5), 2, 2);
        p.setBrush(accentColor());
        p.setPen(Qt::NoPen);
        p.drawRect(QRectF(4.3, 5.8, 15.4, 4));
        p.setPen(QPen(QColor(0x44, 0x4c, 0x56), 1.8, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(8, 3), QPointF(8, 7));
        p.drawLine(QPointF(16, 3), QPointF(16, 7));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x44, 0x4c, 0x56));
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < 3; ++c) p.drawRect(QRectF(6.5 + c * 4, 12 + r * 4, 2.4, 2.4));
        }
    });
}

QIcon plusIcon() {
    return drawnIcon([](QPainter& p) {
        p.setPen(QPen(accentColor(), 2.6, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(12, 5), QPointF(12, 19));
        p.drawLine(QPointF(5, 12), QPointF(19, 12));
    });
}

}  // namespace lecert::desktop
