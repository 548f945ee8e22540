#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Drives an X display (e.g. Xvfb) like a user, through the XTest extension, to try the desktop
# app as a new user would and take the screenshots in docs/ (with ImageMagick import):
#   Xvfb :99 -screen 0 1400x900x24 & DISPLAY=:99 lecert-desktop -qwindowgeometry 1400x900+0+0 &
#   DISPLAY=:99 xdrive.py click 200 215; xdrive.py type "Morales"; xdrive.py key Tab
#   DISPLAY=:99 import -window root docs/desktop-worksheet.png
# Commands: click X Y | type TEXT | key KEYSYM [KEYSYM...] (pressed together, e.g. Control_L r)
import ctypes, sys, time
x11 = ctypes.CDLL("libX11.so.6"); xtst = ctypes.CDLL("libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
d = ctypes.c_void_p(x11.XOpenDisplay(None))
def flush(): x11.XFlush(d); time.sleep(0.05)
def click(x, y, button=1):
    xtst.XTestFakeMotionEvent(d, -1, int(x), int(y), 0); flush()
    xtst.XTestFakeButtonEvent(d, button, 1, 0); flush()
    xtst.XTestFakeButtonEvent(d, button, 0, 0); flush()
def keycode(name):
    return x11.XKeysymToKeycode(d, x11.XStringToKeysym(name.encode()))
def combo(names):
    codes = [keycode(n) for n in names]
    for c in codes: xtst.XTestFakeKeyEvent(d, c, 1, 0); flush()
    for c in reversed(codes): xtst.XTestFakeKeyEvent(d, c, 0, 0); flush()
special = {' ': 'space', '-': 'minus', '/': 'slash', '.': 'period', ',': 'comma', '@': 'at', "'": 'apostrophe'}
def type_text(t):
    for ch in t:
        name = special.get(ch, ch)
        if ch.isupper(): combo(['Shift_L', ch])
        elif ch == '@': combo(['Shift_L', '2'])
        else: combo([name])
cmd = sys.argv[1]
if cmd == 'click': click(sys.argv[2], sys.argv[3])
elif cmd == 'type': type_text(sys.argv[2])
elif cmd == 'key': combo(sys.argv[2:])
x11.XCloseDisplay(d)
