//! Maps of places as inline SVG, drawn from the country outlines that ship with sitroom:
//! no tile server, no JavaScript, the same bytes for the same places. Takes places with
//! coordinates, returns markup and its text alternative; reads and writes nothing.
//!
//! Three kinds: a place's own map (one marker and the region around it), the overview of
//! every place (markers sized by a count, such as briefings), and a briefing's small
//! locator map. The region is the places' bounding box with padding, widened to a fixed
//! aspect ratio, in an equirectangular projection whose scale is true at the region's
//! middle latitude, which keeps a country's shape at the sizes a briefing needs. Regions
//! less than 25° tall use the 1:50m outlines, larger ones the 1:110m outlines.

mod draw;
pub mod outlines;

use std::fmt;

pub use outlines::Detail;

/// A latitude and longitude in degrees, known to be in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

/// Why a `coordinates: [lat, lon]` pair is not a place on Earth.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CoordinateError {
    #[error("latitude `{0}` is out of range")]
    Latitude(f64),
    #[error("longitude `{0}` is out of range")]
    Longitude(f64),
}

impl CoordinateError {
    /// What the editor can do about it.
    pub fn help(&self, lat: f64, lon: f64) -> String {
        let range = "latitude from -90 to 90, then longitude from -180 to 180, \
                     as in `coordinates: [41.0082, 28.9784]`";
        if lat.abs() > 90.0 && lon.abs() <= 90.0 {
            format!("latitude comes first: did you mean `[{lon}, {lat}]`? ({range})")
        } else {
            format!("write {range}")
        }
    }
}

impl Coordinates {
    /// `[lat, lon]` checked: latitude within ±90, longitude within ±180, both finite.
    pub fn new(lat: f64, lon: f64) -> Result<Coordinates, CoordinateError> {
        if !lat.is_finite() || lat.abs() > 90.0 {
            return Err(CoordinateError::Latitude(lat));
        }
        if !lon.is_finite() || lon.abs() > 180.0 {
            return Err(CoordinateError::Longitude(lon));
        }
        Ok(Coordinates { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }
}

/// `41.01° N, 28.98° E`
impl fmt::Display for Coordinates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.lat < 0.0 { 'S' } else { 'N' };
        let ew = if self.lon < 0.0 { 'W' } else { 'E' };
        write!(
            f,
            "{:.2}° {ns}, {:.2}° {ew}",
            self.lat.abs(),
            self.lon.abs()
        )
    }
}

/// A place to mark.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPlace {
    /// As the page shows it (already in the page's language).
    pub name: String,
    pub at: Coordinates,
    /// What the marker's size shows on the overview (the place's briefings); ignored on
    /// the other maps.
    pub count: usize,
}

/// A drawn map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map {
    /// `<svg role="img" aria-label="Map of …">…</svg>`, to put inline in a page.
    pub svg: String,
    /// The text alternative, also the SVG's `<desc>`: every place, where it is, and (on
    /// the overview) its count. Pages show it beside the map or in a caption.
    pub alt: String,
}

/// The three kinds of map, with their sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Place,
    Overview,
    Locator,
}

/// A map's title in a language other than English, given by the page (the theme's
/// `map_of…` words). Its text alternative then names each place with its coordinates and
/// no English words; the English one also says which country each place is in, as
/// Natural Earth's country names are English.
pub type Title<'a> = Option<&'a str>;

/// A place's own map: its marker and label, and the region around it.
pub fn place_map(place: &MapPlace) -> Map {
    titled_place_map(place, None)
}

/// `place_map`, titled in the page's language.
pub fn titled_place_map(place: &MapPlace, title: Title<'_>) -> Map {
    if let Some(title) = title {
        let alt = format!("{title} ({}).", place.at);
        return draw::draw(Style::Place, std::slice::from_ref(place), title, &alt);
    }
    let country = outlines::country_at((place.at.lon, place.at.lat));
    let alt = match country {
        Some(c) => format!("{} is at {}, in {c}.", place.name, place.at),
        None => format!("{} is at {}.", place.name, place.at),
    };
    let title = format!("Map of {}", place.name);
    draw::draw(Style::Place, std::slice::from_ref(place), &title, &alt)
}

/// A map of every place, each marked by a circle whose area grows with its count. None
/// when no place has coordinates.
pub fn overview_map(places: &[MapPlace]) -> Option<Map> {
    titled_overview_map(places, None)
}

/// `overview_map`, titled in the page's language.
pub fn titled_overview_map(places: &[MapPlace], title: Title<'_>) -> Option<Map> {
    if places.is_empty() {
        return None;
    }
    let sorted = by_count(places);
    if let Some(title) = title {
        let list: Vec<String> = sorted
            .iter()
            .map(|p| format!("{} ({})", p.name, p.count))
            .collect();
        let alt = format!("{title}: {}.", list.join("; "));
        return Some(draw::draw(Style::Overview, &sorted, title, &alt));
    }
    let list: Vec<String> = sorted
        .iter()
        .map(|p| format!("{} ({})", p.name, p.count))
        .collect();
    let title = match places.len() {
        1 => format!("Map of {}", places[0].name),
        n => format!("Map of {n} places"),
    };
    let alt = format!(
        "{}, each marked by a circle sized by its number of briefings: {}.",
        title,
        list.join(", ")
    );
    Some(draw::draw(Style::Overview, &sorted, &title, &alt))
}

/// A briefing's small map of its places. None when none has coordinates.
pub fn locator_map(places: &[MapPlace]) -> Option<Map> {
    titled_locator_map(places, None)
}

/// `locator_map`, titled in the page's language.
pub fn titled_locator_map(places: &[MapPlace], title: Title<'_>) -> Option<Map> {
    if places.is_empty() {
        return None;
    }
    if let Some(title) = title {
        let list: Vec<String> = places
            .iter()
            .map(|p| format!("{} ({})", p.name, p.at))
            .collect();
        let alt = format!("{title}: {}.", list.join("; "));
        return Some(draw::draw(Style::Locator, places, title, &alt));
    }
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    let title = format!("Map of {}", join_names(&names));
    let located: Vec<String> = places
        .iter()
        .map(|p| match outlines::country_at((p.at.lon, p.at.lat)) {
            Some(c) => format!("{} ({}, in {c})", p.name, p.at),
            None => format!("{} ({})", p.name, p.at),
        })
        .collect();
    let alt = format!("{}: {}.", title, located.join("; "));
    Some(draw::draw(Style::Locator, places, &title, &alt))
}

/// Largest count first, then by name, so that the output does not depend on input order.
fn by_count(places: &[MapPlace]) -> Vec<MapPlace> {
    let mut sorted = places.to_vec();
    sorted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    sorted
}

/// `A`, `A and B`, `A, B and C`, `A, B, C and 4 more places`.
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [first @ .., last] if names.len() <= 3 => format!("{} and {last}", first.join(", ")),
        _ => format!(
            "{} and {} more places",
            names[..3].join(", "),
            names.len() - 3
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_out_of_range_are_errors() {
        assert!(Coordinates::new(41.0082, 28.9784).is_ok());
        assert!(Coordinates::new(90.0, -180.0).is_ok());
        assert_eq!(
            Coordinates::new(90.5, 0.0),
            Err(CoordinateError::Latitude(90.5))
        );
        assert_eq!(
            Coordinates::new(0.0, -180.01),
            Err(CoordinateError::Longitude(-180.01))
        );
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(0.0, f64::INFINITY).is_err());
        let swapped = CoordinateError::Latitude(128.9).help(128.9, 41.0);
        assert!(swapped.contains("`[41, 128.9]`"), "{swapped}");
    }

    #[test]
    fn coordinates_read_as_degrees() {
        let c = Coordinates::new(-33.8688, 151.2093).unwrap();
        assert_eq!(c.to_string(), "33.87° S, 151.21° E");
        let c = Coordinates::new(41.0082, -8.6).unwrap();
        assert_eq!(c.to_string(), "41.01° N, 8.60° W");
    }

    #[test]
    fn names_join_in_prose() {
        assert_eq!(join_names(&["A"]), "A");
        assert_eq!(join_names(&["A", "B"]), "A and B");
        assert_eq!(join_names(&["A", "B", "C"]), "A, B and C");
        assert_eq!(
            join_names(&["A", "B", "C", "D", "E"]),
            "A, B, C and 2 more places"
        );
    }
}
