//! The country outlines that ship with sitroom: Natural Earth (public domain) at 1:110m and
//! 1:50m, from the npm package `world-atlas`, converted by `scripts/maps/build_outlines.py`
//! into the compact form described there (about 21 kB and 127 kB). Decoded once, on first
//! use, into degrees; never changed after.

use std::sync::LazyLock;

/// The level of detail of the outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// 1:110m, for continents and large regions.
    Coarse,
    /// 1:50m, for a country and its neighbours.
    Fine,
}

/// A longitude and latitude in degrees.
pub type Point = (f64, f64);

/// One country: its name, where its label goes, and its polygons (each an outer ring and
/// its holes), with the bounding box of each polygon for quick culling.
#[derive(Debug)]
pub struct Country {
    pub name: String,
    pub label: Point,
    pub polygons: Vec<Polygon>,
}

#[derive(Debug)]
pub struct Polygon {
    pub rings: Vec<Vec<Point>>,
    /// min lon, min lat, max lon, max lat
    pub bounds: [f64; 4],
}

static COARSE: LazyLock<Vec<Country>> =
    LazyLock::new(|| decode(include_bytes!("../../../data/maps/countries-110m.bin")));
static FINE: LazyLock<Vec<Country>> =
    LazyLock::new(|| decode(include_bytes!("../../../data/maps/countries-50m.bin")));

/// The countries at one level of detail, sorted by name.
pub fn countries(detail: Detail) -> &'static [Country] {
    match detail {
        Detail::Coarse => &COARSE,
        Detail::Fine => &FINE,
    }
}

/// The sizes of the embedded data, in bytes (coarse, fine).
pub fn embedded_sizes() -> (usize, usize) {
    (
        include_bytes!("../../../data/maps/countries-110m.bin").len(),
        include_bytes!("../../../data/maps/countries-50m.bin").len(),
    )
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        value
    }

    fn signed(&mut self) -> i64 {
        let n = self.varint();
        (n >> 1) as i64 ^ -((n & 1) as i64)
    }

    fn count(&mut self) -> usize {
        self.varint() as usize
    }
}

/// Decodes data written by the build script, which the tests check in full; the data is
/// part of the binary, so there is no malformed input to report to an editor.
fn decode(bytes: &[u8]) -> Vec<Country> {
    let mut r = Reader { bytes, at: 6 };
    let q = r.varint().max(1) as f64;
    let arcs: Vec<Vec<Point>> = (0..r.count())
        .map(|_| {
            let (mut x, mut y) = (0i64, 0i64);
            (0..r.count())
                .map(|_| {
                    x += r.signed();
                    y += r.signed();
                    (x as f64 / q, y as f64 / q)
                })
                .collect()
        })
        .collect();
    (0..r.count())
        .map(|_| {
            let len = r.count();
            let end = (r.at + len).min(bytes.len());
            let name = String::from_utf8_lossy(&bytes[r.at..end]).into_owned();
            r.at = end;
            let label = (r.signed() as f64 / q, r.signed() as f64 / q);
            let polygons = (0..r.count())
                .map(|_| {
                    let rings: Vec<Vec<Point>> = (0..r.count())
                        .map(|_| {
                            let arcs_in_ring: Vec<i64> =
                                (0..r.count()).map(|_| r.signed()).collect();
                            ring(&arcs, &arcs_in_ring)
                        })
                        .collect();
                    let bounds = bounds(rings.first().map_or(&[][..], |r| r));
                    Polygon { rings, bounds }
                })
                .collect();
            Country {
                name,
                label,
                polygons,
            }
        })
        .collect()
}

fn ring(arcs: &[Vec<Point>], indices: &[i64]) -> Vec<Point> {
    let mut points: Vec<Point> = Vec::new();
    for &index in indices {
        let arc: Vec<Point> = if index >= 0 {
            arcs.get(index as usize).cloned().unwrap_or_default()
        } else {
            let mut a = arcs.get(!index as usize).cloned().unwrap_or_default();
            a.reverse();
            a
        };
        let skip = usize::from(!points.is_empty());
        points.extend(arc.into_iter().skip(skip));
    }
    unwrap_longitudes(&mut points);
    points
}

/// Natural Earth's rings are spherical: Russia's mainland steps from 179.9° to -180° and
/// back, and Antarctica runs all the way round. Drawn on a plane, such a ring must keep
/// going past 180° instead (Chukotka at 190°), and a ring that goes all the way round is
/// closed along the pole it encircles.
fn unwrap_longitudes(points: &mut Vec<Point>) {
    let mut offset = 0.0;
    let mut prev: Option<f64> = None;
    for p in points.iter_mut() {
        if let Some(q) = prev {
            let step = p.0 + offset - q;
            if step > 180.0 {
                offset -= 360.0;
            } else if step < -180.0 {
                offset += 360.0;
            }
        }
        p.0 += offset;
        prev = Some(p.0);
    }
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return;
    };
    if (last.0 - first.0).abs() > 180.0 {
        let mean = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
        let pole = if mean < 0.0 { -90.0 } else { 90.0 };
        points.push((last.0, pole));
        points.push((first.0, pole));
    }
}

fn bounds(points: &[Point]) -> [f64; 4] {
    points.iter().fold(
        [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        |[a, b, c, d], &(x, y)| [a.min(x), b.min(y), c.max(x), d.max(y)],
    )
}

/// True when the point lies inside the ring (even-odd rule).
pub fn inside(point: Point, ring: &[Point]) -> bool {
    let (x, y) = point;
    let mut result = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let ((ax, ay), (bx, by)) = (ring[i], ring[j]);
        if (ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax {
            result = !result;
        }
        j = i;
    }
    result
}

/// The country a point lies in, at the fine level; for a point on a coast that the
/// simplified outline puts in the sea (Istanbul on the Bosphorus), the nearest country
/// within a quarter of a degree.
pub fn country_at(point: Point) -> Option<&'static str> {
    [0.0, 360.0, -360.0]
        .into_iter()
        .find_map(|shift| country_containing((point.0 + shift, point.1)))
        .or_else(|| country_near(point))
}

fn country_containing(point: Point) -> Option<&'static str> {
    countries(Detail::Fine)
        .iter()
        .find(|c| c.polygons.iter().any(|p| contains(p, point)))
        .map(|c| c.name.as_str())
}

fn contains(p: &Polygon, point: Point) -> bool {
    let [x0, y0, x1, y1] = p.bounds;
    point.0 >= x0
        && point.0 <= x1
        && point.1 >= y0
        && point.1 <= y1
        && p.rings.first().is_some_and(|outer| inside(point, outer))
        && !p.rings[1..].iter().any(|hole| inside(point, hole))
}

/// The country whose outline passes nearest the point, within a quarter of a degree.
fn country_near(point: Point) -> Option<&'static str> {
    let list = countries(Detail::Fine);
    let within = |p: &Polygon, margin: f64| {
        let [x0, y0, x1, y1] = p.bounds;
        point.0 >= x0 - margin
            && point.0 <= x1 + margin
            && point.1 >= y0 - margin
            && point.1 <= y1 + margin
    };
    const NEAR: f64 = 0.25;
    let mut nearest: Option<(f64, &str)> = None;
    for c in list {
        for p in c.polygons.iter().filter(|p| within(p, NEAR)) {
            let Some(outer) = p.rings.first() else {
                continue;
            };
            for (i, &a) in outer.iter().enumerate() {
                let b = outer[(i + 1) % outer.len()];
                let d = segment_distance(point, a, b);
                if d <= NEAR && nearest.is_none_or(|(n, _)| d < n) {
                    nearest = Some((d, &c.name));
                }
            }
        }
    }
    nearest.map(|(_, name)| name)
}

fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx * dx + dy * dy;
    let t = if len == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len).clamp(0.0, 1.0)
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_levels_decode_whole() {
        for (detail, at_least) in [(Detail::Coarse, 170), (Detail::Fine, 230)] {
            let list = countries(detail);
            assert!(list.len() >= at_least, "{}", list.len());
            for c in list {
                assert!(!c.name.is_empty());
                assert!(!c.polygons.is_empty(), "{}", c.name);
                for p in &c.polygons {
                    for ring in &p.rings {
                        assert!(ring.len() >= 3, "{}", c.name);
                        for &(lon, lat) in ring {
                            assert!((-360.0..=360.0).contains(&lon), "{} {lon}", c.name);
                            assert!((-90.0..=90.0).contains(&lat), "{} {lat}", c.name);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn cities_lie_in_their_countries() {
        assert_eq!(country_at((30.52, 50.45)), Some("Ukraine"));
        assert_eq!(country_at((28.98, 41.01)), Some("Turkey"));
        assert_eq!(country_at((37.62, 55.75)), Some("Russia"));
        assert_eq!(country_at((-30.0, 40.0)), None);
        // Chukotka east of the antimeridian.
        assert_eq!(country_at((-172.0, 66.0)), Some("Russia"));
    }

    #[test]
    fn labels_lie_inside_their_country() {
        let ukraine = countries(Detail::Fine)
            .iter()
            .find(|c| c.name == "Ukraine")
            .unwrap();
        assert_eq!(country_at(ukraine.label), Some("Ukraine"));
    }
}
