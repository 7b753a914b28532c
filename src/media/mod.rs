//! Media: what sitroom does to the files that come with a briefing or profile, and the maps
//! it draws. Self-contained: it takes file paths and bytes and returns values; the stages
//! decide what to publish where.
//!
//! - [`images`]: a JPEG, PNG or WebP becomes a set of re-encoded variants (upright, sRGB,
//!   resized, with no metadata at all). The original bytes of a raster image are never
//!   published, because a photo's EXIF data can carry the GPS position where it was taken,
//!   the camera's serial number and the photographer's name.
//! - [`cache`]: those variants kept in `<root>/.sitroom-cache/` by the image's bytes and
//!   the settings, so a rebuild encodes only new images; it writes nowhere else.
//! - [`attachments`]: the author's name that a PDF or SVG carries in its own metadata, for
//!   a `check` warning (sitroom does not rewrite such files).
//! - [`maps`]: inline SVG maps of places from country outlines that ship with sitroom.
//! - [`publish`]: the media stage of a build, between resolve and render: the files each
//!   page brings, checked, and its images through the cache.

pub mod attachments;
pub mod cache;
mod encode;
pub mod images;
pub mod maps;
pub mod publish;

pub use cache::{Batch, ImageCache, ProcessedImage, SourceImage, Variant};
pub use images::{Format, ImageError, ImageSettings, Kind};
pub use maps::{CoordinateError, Coordinates, Map, MapPlace};
