//! Drawing one map: the region around the places, the countries clipped to it, the
//! markers and the labels, as SVG text. Pure arithmetic on the embedded outlines; every
//! number is written with one decimal, so the same places give the same bytes.

use std::fmt::Write;

use super::outlines::{self, Country, Detail, Point};
use super::{Map, MapPlace, Style};

/// The colours, also exposed as classes (`map-water`, `map-land`, …) so a site's CSS can
/// restyle them. Chosen for contrast (tested): labels reach 4.5:1 on land and water,
/// markers 3:1.
pub(crate) const WATER: &str = "#d3e3ee";
pub(crate) const LAND: &str = "#f4f1ea";
pub(crate) const BORDER: &str = "#9d978a";
pub(crate) const COUNTRY_LABEL: &str = "#5a5448";
pub(crate) const MARKER: &str = "#b42318";
pub(crate) const PLACE_LABEL: &str = "#1a1a1a";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// How one kind of map is laid out, in SVG user units.
struct Layout {
    width: f64,
    /// width / height
    aspect: f64,
    /// The least region shown, in degrees of longitude at the equator (east–west).
    min_span: f64,
    /// Space around the places' bounding box, as a share of its size.
    padding: f64,
    font: f64,
    marker: (f64, f64),
    class: &'static str,
}

fn layout(style: Style) -> Layout {
    match style {
        Style::Place => Layout {
            width: 640.0,
            aspect: 1.6,
            min_span: 9.0,
            padding: 0.0,
            font: 13.0,
            marker: (6.0, 6.0),
            class: "map map-place",
        },
        Style::Overview => Layout {
            width: 800.0,
            aspect: 1.6,
            min_span: 8.0,
            padding: 0.12,
            font: 12.0,
            marker: (3.5, 14.0),
            class: "map map-overview",
        },
        Style::Locator => Layout {
            width: 320.0,
            aspect: 1.4,
            min_span: 8.0,
            padding: 0.25,
            font: 11.0,
            marker: (4.0, 4.0),
            class: "map map-locator",
        },
    }
}

/// The part of the world shown and how it maps to the picture.
struct Region {
    /// Centre longitude (may lie beyond ±180 for a region across the antimeridian).
    lon0: f64,
    lat0: f64,
    /// cos(lat0): degrees of longitude to degrees of latitude at the middle.
    k: f64,
    /// Size in projected degrees.
    w: f64,
    h: f64,
    /// User units per projected degree.
    scale: f64,
    width: f64,
    height: f64,
}

impl Region {
    fn around(places: &[MapPlace], l: &Layout) -> Region {
        let (lon_min, lon_max) = longitude_span(places);
        let lat_min = places.iter().map(|p| p.at.lat).fold(f64::MAX, f64::min);
        let lat_max = places.iter().map(|p| p.at.lat).fold(f64::MIN, f64::max);
        let lat0 = (lat_min + lat_max) / 2.0;
        let k = lat0.clamp(-70.0, 70.0).to_radians().cos();
        let mut w = ((lon_max - lon_min) * k * (1.0 + 2.0 * l.padding)).max(l.min_span);
        let mut h = ((lat_max - lat_min) * (1.0 + 2.0 * l.padding)).max(l.min_span / l.aspect);
        if w / h < l.aspect {
            w = h * l.aspect;
        } else {
            h = w / l.aspect;
        }
        // Never more than the world: a region wider than it shows it all, and one taller
        // than pole to pole (a world overview) gets a wider picture instead.
        if w > 360.0 * k {
            w = 360.0 * k;
            h = w / l.aspect;
        }
        h = h.min(170.0);
        // Keep the region within the outlines' latitudes.
        let lat0 = lat0.clamp(-85.0 + h / 2.0, 85.0 - h / 2.0);
        let width = l.width;
        let height = (width * h / w).round();
        Region {
            lon0: (lon_min + lon_max) / 2.0,
            lat0,
            k,
            w,
            h,
            scale: width / w,
            width,
            height,
        }
    }

    fn detail(&self) -> Detail {
        if self.h < 25.0 {
            Detail::Fine
        } else {
            Detail::Coarse
        }
    }

    fn project(&self, (lon, lat): Point) -> Point {
        (
            ((lon - self.lon0) * self.k + self.w / 2.0) * self.scale,
            (self.lat0 + self.h / 2.0 - lat) * self.scale,
        )
    }

    /// Longitudes and latitudes shown, for culling.
    fn bounds(&self) -> [f64; 4] {
        let half_lon = self.w / 2.0 / self.k;
        [
            self.lon0 - half_lon,
            self.lat0 - self.h / 2.0,
            self.lon0 + half_lon,
            self.lat0 + self.h / 2.0,
        ]
    }
}

/// The narrowest run of longitudes that holds every place, across the antimeridian when
/// that is narrower (places in Chukotka and Alaska): (west, east) with east ≥ west.
fn longitude_span(places: &[MapPlace]) -> (f64, f64) {
    let mut lons: Vec<f64> = places.iter().map(|p| p.at.lon).collect();
    lons.sort_by(f64::total_cmp);
    let (Some(&first), Some(&last)) = (lons.first(), lons.last()) else {
        return (0.0, 0.0);
    };
    // The widest gap between neighbours (the one around the back counts too) is left out.
    let mut gap = (first + 360.0 - last, first, last);
    for pair in lons.windows(2) {
        if pair[1] - pair[0] > gap.0 {
            gap = (pair[1] - pair[0], pair[1], pair[0] + 360.0);
        }
    }
    (gap.1, gap.2)
}

pub(super) fn draw(style: Style, places: &[MapPlace], title: &str, alt: &str) -> Map {
    let l = layout(style);
    let region = Region::around(places, &l);
    let mut svg = String::with_capacity(16 * 1024);
    let (w, h) = (region.width, region.height);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" class=\"{}\" role=\"img\" aria-label=\"{}\">\
         <title>{}</title><desc>{}</desc>\
         <rect class=\"map-water\" width=\"{}\" height=\"{}\" fill=\"{WATER}\"/>",
        num(w),
        num(h),
        l.class,
        escape(title),
        escape(title),
        escape(alt),
        num(w),
        num(h),
    );
    let countries = visible_countries(&region);
    svg.push_str(&format!(
        "<g class=\"map-land\" fill=\"{LAND}\" stroke=\"{BORDER}\" stroke-width=\"0.7\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">"
    ));
    for c in &countries {
        let _ = write!(svg, "<path d=\"{}\"/>", c.path);
    }
    svg.push_str("</g>");

    let markers = markers(places, &region, &l);
    let mut taken: Vec<[f64; 4]> = markers
        .iter()
        .map(|m| [m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r])
        .collect();
    let place_labels = place_labels(&markers, &l, &mut taken, w, h);
    let country_labels = country_labels(&countries, &l, &mut taken, w, h);

    if !country_labels.is_empty() {
        let _ = write!(
            svg,
            "<g class=\"map-country-labels\" fill=\"{COUNTRY_LABEL}\" font-family=\"{FONT}\" font-size=\"{}\" text-anchor=\"middle\" letter-spacing=\"0.5\">",
            num(l.font - 2.0)
        );
        svg.push_str(&country_labels);
        svg.push_str("</g>");
    }
    let _ = write!(
        svg,
        "<g class=\"map-markers\" fill=\"{MARKER}\" stroke=\"#ffffff\" stroke-width=\"1.5\">"
    );
    for m in &markers {
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            num(m.x),
            num(m.y),
            num(m.r)
        );
    }
    svg.push_str("</g>");
    if !place_labels.is_empty() {
        let _ = write!(
            svg,
            "<g class=\"map-labels\" fill=\"{PLACE_LABEL}\" font-family=\"{FONT}\" font-size=\"{}\" font-weight=\"600\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">",
            num(l.font)
        );
        svg.push_str(&place_labels);
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    Map {
        svg,
        alt: alt.to_string(),
    }
}

/// A country as drawn: its path and where its name could go.
struct Drawn<'a> {
    country: &'a Country,
    path: String,
    /// The label point in user units, when inside the picture.
    label: Option<Point>,
    /// Visible area in square user units.
    area: f64,
}

fn visible_countries(region: &Region) -> Vec<Drawn<'static>> {
    let [x0, y0, x1, y1] = region.bounds();
    let (w, h) = (region.width, region.height);
    let margin = 4.0;
    let mut drawn = Vec::new();
    for country in outlines::countries(region.detail()) {
        let mut path = String::new();
        let mut area = 0.0;
        let mut best: Option<(f64, Point)> = None;
        let mut label = None;
        for shift in [-360.0, 0.0, 360.0] {
            let label_at = region.project((country.label.0 + shift, country.label.1));
            if (0.0..=w).contains(&label_at.0) && (0.0..=h).contains(&label_at.1) {
                label = Some(label_at);
            }
            for polygon in &country.polygons {
                let [a, b, c, d] = polygon.bounds;
                if a + shift > x1 || c + shift < x0 || b > y1 || d < y0 {
                    continue;
                }
                for (i, ring) in polygon.rings.iter().enumerate() {
                    let projected: Vec<Point> = ring
                        .iter()
                        .map(|&(lon, lat)| region.project((lon + shift, lat)))
                        .collect();
                    let clipped = thin(clip(&projected, -margin, -margin, w + margin, h + margin));
                    if clipped.len() < 3 {
                        continue;
                    }
                    if i == 0 {
                        let a = ring_area(&clipped).abs();
                        area += a;
                        if best.is_none_or(|(b, _)| a > b) {
                            best = Some((a, centroid(&clipped)));
                        }
                    }
                    write_ring(&mut path, &clipped);
                }
            }
        }
        if path.is_empty() {
            continue;
        }
        // A country whose own label point is off the picture (Russia on a map of
        // Ukraine) is named at the middle of the part that shows.
        let label = label
            .or_else(|| best.map(|(_, p)| p))
            .filter(|&(x, y)| x > margin && x < w - margin && y > margin && y < h - margin);
        drawn.push(Drawn {
            country,
            path,
            label,
            area,
        });
    }
    drawn
}

/// One side of the clipping rectangle: which points are inside, where an edge crosses it.
type Edge = (fn(Point, f64) -> bool, fn(Point, Point, f64) -> Point, f64);

/// Sutherland–Hodgman: the ring cut to the rectangle (a ring that leaves and re-enters
/// gets edges along the border, which the fill hides).
fn clip(ring: &[Point], x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Point> {
    let mut points = ring.to_vec();
    let edges: [Edge; 4] = [
        (|p, v| p.0 >= v, cut_x, x0),
        (|p, v| p.0 <= v, cut_x, x1),
        (|p, v| p.1 >= v, cut_y, y0),
        (|p, v| p.1 <= v, cut_y, y1),
    ];
    for (keep, cut, v) in edges {
        if points.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(points.len());
        let mut prev = points[points.len() - 1];
        for &p in &points {
            match (keep(p, v), keep(prev, v)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cut(prev, p, v));
                    out.push(p);
                }
                (false, true) => out.push(cut(prev, p, v)),
                (false, false) => {}
            }
            prev = p;
        }
        points = out;
    }
    points
}

fn cut_x(a: Point, b: Point, x: f64) -> Point {
    let t = (x - a.0) / (b.0 - a.0);
    (x, a.1 + t * (b.1 - a.1))
}

fn cut_y(a: Point, b: Point, y: f64) -> Point {
    let t = (y - a.1) / (b.1 - a.1);
    (a.0 + t * (b.0 - a.0), y)
}

/// Drops points closer than 0.7 units to the last one kept: detail finer than a pixel
/// only costs bytes.
fn thin(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_none_or(|q| (p.0 - q.0).abs() + (p.1 - q.1).abs() >= 0.7)
        {
            out.push(p);
        }
    }
    out
}

fn ring_area(points: &[Point]) -> f64 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

fn centroid(points: &[Point]) -> Point {
    let a = ring_area(points);
    if a.abs() < 1e-9 {
        return points[0];
    }
    let n = points.len();
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (p, q) = (points[i], points[(i + 1) % n]);
        let cross = p.0 * q.1 - q.0 * p.1;
        cx += (p.0 + q.0) * cross;
        cy += (p.1 + q.1) * cross;
    }
    (cx / (6.0 * a), cy / (6.0 * a))
}

fn write_ring(path: &mut String, points: &[Point]) {
    for (i, p) in points.iter().enumerate() {
        path.push(if i == 0 { 'M' } else { ' ' });
        path.push_str(&num(p.0));
        path.push(' ');
        path.push_str(&num(p.1));
    }
    path.push('Z');
}

struct Marker<'a> {
    place: &'a MapPlace,
    x: f64,
    y: f64,
    r: f64,
}

/// Markers largest first, so that small ones are drawn on top of big ones.
fn markers<'a>(places: &'a [MapPlace], region: &Region, l: &Layout) -> Vec<Marker<'a>> {
    let most = places.iter().map(|p| p.count).max().unwrap_or(0).max(1) as f64;
    let (west, _) = longitude_span(places);
    let mut markers: Vec<Marker> = places
        .iter()
        .map(|place| {
            // Across the antimeridian, a place west of the span's start is beyond 180°.
            let lon = if place.at.lon() < west - 1e-9 {
                place.at.lon() + 360.0
            } else {
                place.at.lon()
            };
            let (x, y) = region.project((lon, place.at.lat()));
            let share = (place.count as f64 / most).sqrt();
            let r = l.marker.0 + (l.marker.1 - l.marker.0) * share;
            Marker { place, x, y, r }
        })
        .collect();
    markers.sort_by(|a, b| {
        b.r.total_cmp(&a.r)
            .then_with(|| a.place.name.cmp(&b.place.name))
    });
    markers
}

/// Each place's name beside its marker, on the right, else the left, else above; left
/// out when it would cover another label or marker (the text alternative has them all).
fn place_labels(
    markers: &[Marker],
    l: &Layout,
    taken: &mut Vec<[f64; 4]>,
    w: f64,
    h: f64,
) -> String {
    let mut out = String::new();
    for (i, m) in markers.iter().enumerate() {
        let text_w = text_width(&m.place.name, l.font);
        let gap = m.r + 3.0;
        let candidates = [
            (m.x + gap, m.y + l.font * 0.35, "start", m.x + gap),
            (m.x - gap, m.y + l.font * 0.35, "end", m.x - gap - text_w),
            (m.x, m.y - gap - 2.0, "middle", m.x - text_w / 2.0),
        ];
        for (x, y, anchor, left) in candidates {
            let rect = [
                left - 1.0,
                y - l.font * 0.8,
                left + text_w + 1.0,
                y + l.font * 0.25,
            ];
            let inside = rect[0] >= 0.0 && rect[2] <= w && rect[1] >= 0.0 && rect[3] <= h;
            let own = [m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r];
            let clear = taken
                .iter()
                .enumerate()
                .all(|(j, t)| (j == i && *t == own) || !overlaps(*t, rect));
            if inside && clear {
                let anchor_attr = if anchor == "start" {
                    String::new()
                } else {
                    format!(" text-anchor=\"{anchor}\"")
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\"{anchor_attr}>{}</text>",
                    num(x),
                    num(y),
                    escape(&m.place.name)
                );
                taken.push(rect);
                break;
            }
        }
    }
    out
}

/// Country names where they fit: inside a country large enough to hold the name, clear
/// of the places' labels and markers.
fn country_labels(
    countries: &[Drawn],
    l: &Layout,
    taken: &mut Vec<[f64; 4]>,
    w: f64,
    h: f64,
) -> String {
    let font = l.font - 2.0;
    let mut order: Vec<&Drawn> = countries.iter().filter(|c| c.label.is_some()).collect();
    order.sort_by(|a, b| {
        b.area
            .total_cmp(&a.area)
            .then_with(|| a.country.name.cmp(&b.country.name))
    });
    let mut out = String::new();
    for c in order {
        let Some((x, y)) = c.label else { continue };
        let text_w =
            text_width(&c.country.name, font) + c.country.name.chars().count() as f64 * 0.5;
        if c.area < text_w * font * 3.0 {
            continue;
        }
        let rect = [
            x - text_w / 2.0,
            y - font * 0.8,
            x + text_w / 2.0,
            y + font * 0.3,
        ];
        let inside = rect[0] >= 0.0 && rect[2] <= w && rect[1] >= 0.0 && rect[3] <= h;
        if inside && !taken.iter().any(|t| overlaps(*t, rect)) {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(x),
                num(y + font * 0.35),
                escape(&c.country.name)
            );
            taken.push(rect);
        }
    }
    out
}

fn overlaps(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// A rough width of a label: sans-serif letters average a bit over half the font size;
/// CJK ideographs are square.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars()
        .map(|c| if c as u32 >= 0x2E80 { 1.0 } else { 0.58 })
        .sum::<f64>()
        * font
}

/// One decimal, without a trailing `.0` or a negative zero.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-2.56), "-2.6");
        assert_eq!(num(640.0), "640");
    }

    #[test]
    fn clipping_keeps_the_inside() {
        let square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let c = clip(&square, 0.0, 0.0, 5.0, 5.0);
        assert!((ring_area(&c).abs() - 25.0).abs() < 1e-9);
        assert!(clip(&square, 20.0, 20.0, 30.0, 30.0).is_empty());
    }

    #[test]
    fn spans_cross_the_antimeridian_when_narrower() {
        let place = |lon| MapPlace {
            name: String::new(),
            at: super::super::Coordinates::new(60.0, lon).unwrap(),
            count: 1,
        };
        assert_eq!(longitude_span(&[place(10.0), place(30.0)]), (10.0, 30.0));
        assert_eq!(
            longitude_span(&[place(170.0), place(-170.0)]),
            (170.0, 190.0)
        );
    }

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn colours_pass_contrast() {
        for ground in [WATER, LAND] {
            assert!(contrast(PLACE_LABEL, ground) >= 4.5, "{ground}");
            assert!(contrast(COUNTRY_LABEL, ground) >= 4.5, "{ground}");
            assert!(contrast(MARKER, ground) >= 3.0, "{ground}");
        }
        assert!(contrast(PLACE_LABEL, "#ffffff") >= 4.5);
    }
}
