#!/usr/bin/env python3
"""Make sitroom's embedded country outlines from Natural Earth (public domain), as the npm
package `world-atlas` ships them in TopoJSON.

    python3 scripts/maps/build_outlines.py            # fetches world-atlas with `npm pack`
    python3 scripts/maps/build_outlines.py DIR        # or reads DIR/countries-*.json

Writes data/maps/countries-110m.bin and data/maps/countries-50m.bin, which
src/media/maps/outlines.rs reads. Run it again only to change the data; the output is
the same bytes for the same input.

The format keeps TopoJSON's topology (a border shared by two countries is stored once),
simplified with Douglas–Peucker and quantised to a grid of 1/Q degree, with every number
a LEB128 varint (signed ones zigzag-encoded, points as deltas from the one before):

    "SRMAP1"  Q  arc-count  { point-count  lon lat  { dlon dlat }* }*
    country-count  { name-length name  label-lon label-lat
                     polygon-count { ring-count { arc-count { arc }* }* }* }*

A ring lists arc numbers; a negative number ~i means arc i reversed, as in TopoJSON.
"""

import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = "2.0.2"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "data", "maps")

# level: (grid per degree, simplification tolerance in degrees, smallest polygon kept in
# square degrees). 110m draws continents and large regions (a pixel is ~0.06 degrees);
# 50m draws a country and its neighbours (a pixel is ~0.01 degrees).
LEVELS = {
    "110m": (20, 0.06, 0.02),
    "50m": (100, 0.012, 0.002),
}


def fetch(tmp):
    subprocess.run(
        ["npm", "pack", f"world-atlas@{VERSION}", "--silent"],
        cwd=tmp, check=True, stdout=subprocess.DEVNULL,
    )
    with tarfile.open(os.path.join(tmp, f"world-atlas-{VERSION}.tgz")) as tar:
        tar.extractall(tmp, filter="data")
    return os.path.join(tmp, "package")


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def perpendicular(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points, tolerance):
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def simplify(points, tolerance):
    """Endpoints stay, so arcs that meet still meet; a closed ring is split at its
    farthest point so that it keeps an area."""
    if len(points) > 3 and points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: math.hypot(
            points[i][0] - points[0][0], points[i][1] - points[0][1]))
        return douglas_peucker(points[: far + 1], tolerance)[:-1] + douglas_peucker(
            points[far:], tolerance)
    return douglas_peucker(points, tolerance)


def quantise(points, q):
    out = []
    for lon, lat in points:
        p = (round(lon * q), round(lat * q))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return out


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points):
    return 0.5 * sum(
        points[i][0] * points[(i + 1) % len(points)][1]
        - points[(i + 1) % len(points)][0] * points[i][1]
        for i in range(len(points)))


def inside(point, ring):
    x, y = point
    result = False
    for i in range(len(ring)):
        (ax, ay), (bx, by) = ring[i], ring[i - 1]
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            result = not result
    return result


def unwrap(ring, half):
    """Longitudes made continuous across the antimeridian (Russia steps from 179.9 to
    -180), as src/media/maps/outlines.rs does before drawing; `half` is 180 degrees in
    grid units."""
    out, offset = [], 0.0
    for lon, lat in ring:
        if out:
            step = lon + offset - out[-1][0]
            if step > half:
                offset -= 2 * half
            elif step < -half:
                offset += 2 * half
        out.append((lon + offset, lat))
    return out


def label_point(ring):
    """The point of a grid over the ring that lies inside it farthest from its edges, so
    that a label sits within the country even when its shape is concave."""
    scale = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, point = -1.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    n = 24
    for i in range(1, n):
        for j in range(1, n):
            p = (min(xs) + (max(xs) - min(xs)) * i / n, min(ys) + (max(ys) - min(ys)) * j / n)
            if not inside(p, ring):
                continue
            d = min(perpendicular((p[0] * scale, p[1]), (a[0] * scale, a[1]), (b[0] * scale, b[1]))
                    for a, b in zip(ring, ring[1:] + ring[:1]))
            if d > best:
                best, point = d, p
    return point


def varint(n, out):
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def zigzag(n, out):
    varint((n << 1) ^ (n >> 63) if n < 0 else n << 1, out)


def build(path, q, tolerance, min_area):
    topology = json.load(open(path, encoding="utf-8"))
    arcs = [quantise(simplify(a, tolerance), q) for a in decode_arcs(topology)]
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        if not name or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        kept = []
        for polygon in polygons:
            outer = ring_points(polygon[0], arcs)
            if abs(area(outer)) / (q * q) >= min_area:
                kept.append(polygon)
        if not kept:
            # A country made only of small islands keeps its largest one.
            kept = [max(polygons, key=lambda p: abs(area(ring_points(p[0], arcs))))]
        largest = max(kept, key=lambda p: abs(area(ring_points(p[0], arcs))))
        label = label_point(unwrap(ring_points(largest[0], arcs), 180 * q))
        if label[0] > 180 * q:
            label = (label[0] - 360 * q, label[1])
        countries.append((name, (round(label[0]), round(label[1])), kept))
    countries.sort(key=lambda c: c[0])

    # Only the arcs still used, renumbered in order of first use.
    numbers = {}
    for _, _, polygons in countries:
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    numbers.setdefault(index if index >= 0 else ~index, len(numbers))
    order = sorted(numbers, key=numbers.get)

    out = bytearray(b"SRMAP1")
    varint(q, out)
    varint(len(order), out)
    for old in order:
        points = arcs[old]
        varint(len(points), out)
        px = py = 0
        for x, y in points:
            zigzag(x - px, out)
            zigzag(y - py, out)
            px, py = x, y
    varint(len(countries), out)
    for name, (lx, ly), polygons in countries:
        encoded = name.encode("utf-8")
        varint(len(encoded), out)
        out.extend(encoded)
        zigzag(lx, out)
        zigzag(ly, out)
        varint(len(polygons), out)
        for polygon in polygons:
            varint(len(polygon), out)
            for ring in polygon:
                varint(len(ring), out)
                for index in ring:
                    n = numbers[index] if index >= 0 else ~numbers[~index]
                    zigzag(n, out)
    return bytes(out), len(countries), len(order), sum(len(arcs[i]) for i in order)


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = sys.argv[1] if len(sys.argv) > 1 else fetch(tmp)
        for level, (q, tolerance, min_area) in LEVELS.items():
            data, countries, arcs, points = build(
                os.path.join(source, f"countries-{level}.json"), q, tolerance, min_area)
            target = os.path.join(OUT, f"countries-{level}.bin")
            with open(target, "wb") as f:
                f.write(data)
            print(f"{target}: {len(data)} bytes, {countries} countries, {arcs} arcs, {points} points")


if __name__ == "__main__":
    main()
