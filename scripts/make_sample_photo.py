#!/usr/bin/env python3
"""Draws the sample archive's lead photo: an abstract picture of two delegations facing
each other across a table, made here from shapes and noise (the project's own work, no
one else's photograph). Run with Pillow installed:

    python3 scripts/make_sample_photo.py content/briefings/2025/05/2025-05-16-istanbul-talks-resume/table.jpg
"""

import random
import sys

from PIL import Image, ImageDraw, ImageFilter

W, H = 2400, 1500
random.seed(16052025)

img = Image.new("RGB", (W, H))
px = img.load()
# A warm hall: a vertical gradient from a dark ceiling to a lit floor.
for y in range(H):
    t = y / H
    row = (int(40 + 120 * t), int(34 + 90 * t), int(52 + 60 * t))
    for x in range(W):
        px[x, y] = row

draw = ImageDraw.Draw(img)
# Tall windows at the back.
for i in range(7):
    x = 150 + i * 320
    draw.rectangle([x, 120, x + 170, 720], fill=(196, 186, 150))
    draw.rectangle([x + 10, 130, x + 160, 710], fill=(226, 214, 172))
# The long table, in perspective.
draw.polygon([(250, 1050), (2150, 1050), (1850, 820), (550, 820)], fill=(92, 52, 36))
draw.polygon([(250, 1050), (2150, 1050), (2150, 1090), (250, 1090)], fill=(64, 36, 26))
# Two rows of figures: simple heads and shoulders, one side in blue, one in grey.
for side, colour, y in (("far", (70, 86, 120), 760), ("near", (58, 58, 64), 1150)):
    for i in range(6):
        x = 470 + i * 270 + random.randint(-20, 20)
        scale = 1.0 if side == "far" else 1.5
        r = int(42 * scale)
        draw.ellipse([x - r, y - 3 * r, x + r, y - r], fill=(150, 118, 96))
        draw.rounded_rectangle([x - 2 * r, y - r, x + 2 * r, y + 3 * r], radius=r, fill=colour)
# Two small flags in the middle of the table.
draw.rectangle([1130, 880, 1190, 920], fill=(0, 87, 183))
draw.rectangle([1130, 900, 1190, 920], fill=(255, 215, 0))
draw.rectangle([1210, 880, 1270, 920], fill=(255, 255, 255))
draw.rectangle([1210, 893, 1270, 907], fill=(0, 57, 166))
draw.rectangle([1210, 907, 1270, 920], fill=(213, 43, 30))

img = img.filter(ImageFilter.GaussianBlur(3))
# Film grain, so that it is a photo-like picture rather than flat colour.
noise = Image.effect_noise((W, H), 18).convert("RGB")
img = Image.blend(img, noise, 0.08)
img.save(sys.argv[1], "JPEG", quality=88)
