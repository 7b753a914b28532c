//! One raster image in, the variants sitroom publishes out. Takes the bytes of a JPEG, PNG
//! or WebP and returns freshly encoded files; reads and writes nothing.
//!
//! The order matters: the picture is turned upright by its EXIF orientation first (the
//! orientation lives in the metadata that is about to be dropped), converted to sRGB, then
//! resized and encoded by encoders that write no metadata at all. No byte of the original
//! file is copied into a variant, so EXIF (GPS, camera serial, artist), XMP, IPTC, ICC
//! profiles, PNG text chunks and JPEG comments cannot survive.
//!
//! The size of an image is read from its header and checked before any pixel is decoded,
//! so a small file that declares a huge picture (a decompression bomb) is refused without
//! allocating for it. Peak memory for one image is about 16 bytes per pixel.

use std::io::Cursor;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
use rayon::prelude::*;

use super::encode;

/// The widths sitroom makes by default: a phone, a laptop, a wide screen.
pub const DEFAULT_WIDTHS: [u32; 3] = [480, 960, 1600];

/// The encoders and their versions, part of every cache key: a new encoder makes new bytes.
/// Bump this when a dependency below changes in Cargo.lock.
pub const ENCODERS: &str = "image-0.25.10 jpeg-encoder-0.7.1 webp-0.3.1 libwebp-sys-0.9.6 fast_image_resize-6.1.0 moxcms-0.8.1";

/// How images are processed. Everything here changes the bytes of a variant, so all of it
/// is part of the cache key ([`ImageSettings::fingerprint`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Widths to make, in pixels; none wider than the original is made.
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
    /// Lossy WebP quality, 0–100.
    pub webp_quality: u8,
    /// The longest side accepted, in pixels.
    pub max_side: u32,
    /// The most pixels accepted (width × height).
    pub max_pixels: u64,
    /// Make one file in the image's own format at its own size, to publish in place of the
    /// original (an image under `static/`, whose path and name pages and stylesheets may
    /// use), instead of variants at `widths`.
    pub in_place: bool,
}

impl Default for ImageSettings {
    fn default() -> ImageSettings {
        ImageSettings {
            widths: DEFAULT_WIDTHS.to_vec(),
            jpeg_quality: 80,
            webp_quality: 75,
            // 20,000 px a side is refused; a 50-megapixel camera's photo (8,688 × 5,792) is not.
            max_side: 16_384,
            max_pixels: 64_000_000,
            in_place: false,
        }
    }
}

impl ImageSettings {
    /// Everything that decides the bytes of a variant, as text for the cache key.
    pub fn fingerprint(&self) -> String {
        let ImageSettings {
            widths,
            jpeg_quality,
            webp_quality,
            max_side: _,
            max_pixels: _,
            in_place,
        } = self;
        let shape = match in_place {
            true => "in-place".to_string(),
            false => format!("widths={widths:?}"),
        };
        format!("{shape} jpeg={jpeg_quality} webp={webp_quality} {ENCODERS}")
    }

    /// The widths to make for an image `width` pixels wide: every step narrower than it,
    /// and the original width itself when it is not wider than the largest step (so a
    /// 1000 px image gets 480, 960 and 1000, and a 4000 px one 480, 960 and 1600).
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let mut widths: Vec<u32> = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < width)
            .collect();
        let largest = self.widths.iter().copied().max().unwrap_or(width);
        if width <= largest {
            widths.push(width);
        }
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    fn check_size(&self, width: u32, height: u32) -> Result<(), ImageError> {
        let pixels = u64::from(width) * u64::from(height);
        if width > self.max_side || height > self.max_side || pixels > self.max_pixels {
            return Err(ImageError::TooLarge {
                width,
                height,
                max_side: self.max_side,
                max_pixels: self.max_pixels,
            });
        }
        Ok(())
    }
}

/// What is wrong with one image. The caller names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("is not a JPEG, PNG or WebP image")]
    Unsupported,
    #[error("cannot be decoded: {0}")]
    Undecodable(String),
    #[error("is {width} × {height} pixels, more than sitroom accepts")]
    TooLarge {
        width: u32,
        height: u32,
        max_side: u32,
        max_pixels: u64,
    },
    #[error("cannot be encoded: {0}")]
    Unencodable(String),
}

impl ImageError {
    /// What the editor can do about it.
    pub fn help(&self) -> String {
        match self {
            ImageError::Unsupported => {
                "save it as JPEG, PNG or WebP, or link it as an attachment".to_string()
            }
            ImageError::Undecodable(_) => {
                "the file may be cut short or not an image; export it again".to_string()
            }
            ImageError::TooLarge {
                max_side,
                max_pixels,
                ..
            } => format!(
                "scale it down to at most {max_side} px a side and {} megapixels",
                max_pixels / 1_000_000
            ),
            ImageError::Unencodable(_) => "export the image again in another format".to_string(),
        }
    }
}

/// A file format sitroom writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    /// For `<source type="…">`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    pub(crate) fn from_extension(text: &str) -> Option<Format> {
        [Format::Jpeg, Format::Png, Format::WebP]
            .into_iter()
            .find(|f| f.extension() == text)
    }
}

/// What kind of picture it is, which decides the encoders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Continuous tone: JPEG (PNG when it has transparency) and lossy WebP.
    Photo,
    /// Few colours (a chart, a logo, a diagram): PNG and lossless WebP, which keep edges sharp.
    Graphic,
}

/// The pixels of an upright sRGB picture, 8 bits a channel, rows packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    /// RGBA when true, RGB otherwise. Only pictures with a pixel that is not fully opaque
    /// keep their alpha channel.
    pub alpha: bool,
    pub data: Vec<u8>,
}

impl Pixels {
    fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }

    /// The colour of the pixel at (x, y), as RGBA.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let c = self.channels();
        let i = (y as usize * self.width as usize + x as usize) * c;
        match self.data.get(i..i + c) {
            Some([r, g, b]) => [*r, *g, *b, 255],
            Some([r, g, b, a]) => [*r, *g, *b, *a],
            _ => [0, 0, 0, 0],
        }
    }
}

/// One encoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedVariant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Everything made from one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The upright picture's size.
    pub width: u32,
    pub height: u32,
    pub kind: Kind,
    /// By width, then format: for each width the fallback (JPEG or PNG), then the WebP
    /// when it is smaller than the fallback.
    pub variants: Vec<EncodedVariant>,
}

/// Decodes, turns upright, resizes and encodes one image.
pub fn process(bytes: &[u8], settings: &ImageSettings) -> Result<Encoded, ImageError> {
    let pixels = decode(bytes, settings)?;
    if settings.in_place {
        return in_place(pixels, format_of(bytes), settings);
    }
    let widths = settings.widths_for(pixels.width);
    let resized = resize_all(&pixels, &widths)?;
    let (width, height) = (pixels.width, pixels.height);
    // The full-size picture is no longer needed while the variants are encoded.
    drop(pixels);
    // The smallest variant stands for the whole picture: counting its colours is cheap.
    let kind = resized.first().map_or(Kind::Photo, classify);
    let per_width: Vec<Vec<EncodedVariant>> = resized
        .par_iter()
        .map(|p| encode::encode_width(p, kind, settings))
        .collect::<Result<_, _>>()?;
    Ok(Encoded {
        width,
        height,
        kind,
        variants: per_width.into_iter().flatten().collect(),
    })
}

/// One file in `format` at the picture's own (upright) size.
fn in_place(
    pixels: Pixels,
    format: Format,
    settings: &ImageSettings,
) -> Result<Encoded, ImageError> {
    let kind = classify(&pixels);
    let variant = encode::encode_as(&pixels, format, kind, settings)?;
    Ok(Encoded {
        width: pixels.width,
        height: pixels.height,
        kind,
        variants: vec![variant],
    })
}

/// The format of bytes that `decode` has read (so one of the three).
fn format_of(bytes: &[u8]) -> Format {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => Format::Png,
        Ok(ImageFormat::WebP) => Format::WebP,
        _ => Format::Jpeg,
    }
}

/// The upright sRGB pixels of a JPEG, PNG or WebP, after checking its declared size.
pub fn decode(bytes: &[u8], settings: &ImageSettings) -> Result<Pixels, ImageError> {
    let undecodable = |e: image::ImageError| ImageError::Undecodable(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Undecodable(e.to_string()))?;
    let reader_format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => f,
        _ => return Err(ImageError::Unsupported),
    };
    // The width and height are checked below, with a message of our own; this limit only
    // bounds what a decoder may allocate besides the picture.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(settings.max_pixels.saturating_mul(8));
    reader.limits(limits);
    // Reads the header only: no pixel buffer exists yet.
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    let (width, height) = decoder.dimensions();
    settings.check_size(width, height)?;
    if reader_format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        // The JPEG decoder fills a missing end with grey rather than failing.
        return Err(ImageError::Undecodable(
            "the file ends before the picture does".to_string(),
        ));
    }
    // A broken EXIF block must not stop the picture: it is shown as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    image.apply_orientation(orientation);
    let mut pixels = into_pixels(image);
    if let Some(icc) = icc {
        to_srgb(&mut pixels, &icc);
    }
    Ok(pixels)
}

/// True when a JPEG's scan data is followed by its end marker. The segments before the
/// first scan are walked by their lengths, since an EXIF thumbnail inside them has an end
/// marker of its own; after it, `FF D9` cannot occur inside entropy-coded data (every `FF`
/// there is followed by `00` or a restart marker).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xff {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xff {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if marker == 0xda {
            return bytes[at + 2 + len.min(bytes.len() - at - 2)..]
                .windows(2)
                .any(|w| w == [0xff, 0xd9]);
        }
        at += 2 + len;
    }
    false
}

/// 8-bit RGB, or RGBA when some pixel is not fully opaque.
fn into_pixels(image: DynamicImage) -> Pixels {
    let (width, height) = (image.width(), image.height());
    if image.color().has_alpha() {
        let rgba = image.into_rgba8().into_raw();
        if rgba.chunks_exact(4).any(|p| p[3] != 255) {
            return Pixels {
                width,
                height,
                alpha: true,
                data: rgba,
            };
        }
        let data = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        return Pixels {
            width,
            height,
            alpha: false,
            data,
        };
    }
    Pixels {
        width,
        height,
        alpha: false,
        data: image.into_rgb8().into_raw(),
    }
}

/// Converts pixels in the colour space of an embedded RGB profile (Display P3 from a phone,
/// Adobe RGB from a camera) to sRGB, so the variants need no profile. A profile that is
/// sRGB already, not RGB, or cannot be read is dropped: the pixels are taken as sRGB.
fn to_srgb(pixels: &mut Pixels, icc: &[u8]) {
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    let srgb = ColorProfile::new_srgb();
    if profile.color_space != DataColorSpace::Rgb || same_primaries(&profile, &srgb) {
        return;
    }
    let layout = if pixels.alpha {
        Layout::Rgba
    } else {
        Layout::Rgb
    };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let row = pixels.width as usize * pixels.channels();
    let mut out = vec![0u8; pixels.data.len()];
    let converted = out
        .par_chunks_mut(row * 64)
        .zip(pixels.data.par_chunks(row * 64))
        .all(|(dst, src)| transform.transform(src, dst).is_ok());
    if converted {
        pixels.data = out;
    }
}

/// True when a profile's primaries and white point are sRGB's, so a transform would only
/// cost time.
fn same_primaries(a: &ColorProfile, b: &ColorProfile) -> bool {
    let close = |p: &moxcms::Xyzd, q: &moxcms::Xyzd| {
        (p.x - q.x).abs() < 2e-3 && (p.y - q.y).abs() < 2e-3 && (p.z - q.z).abs() < 2e-3
    };
    close(&a.red_colorant, &b.red_colorant)
        && close(&a.green_colorant, &b.green_colorant)
        && close(&a.blue_colorant, &b.blue_colorant)
}

/// The picture scaled to each width (height in proportion) with a Lanczos filter; the
/// picture itself at its own width. The resizer is built for four channels only (its code
/// for every other pixel type would add 3 MB to the binary), so RGB goes through it as
/// RGBX, padded once for all widths.
pub fn resize_all(pixels: &Pixels, widths: &[u32]) -> Result<Vec<Pixels>, ImageError> {
    let padded;
    let rgba: &[u8] = if pixels.alpha {
        &pixels.data
    } else {
        padded = pixels
            .data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect::<Vec<u8>>();
        &padded
    };
    widths
        .par_iter()
        .map(|&width| {
            if width == pixels.width {
                Ok(pixels.clone())
            } else {
                resize_rgba(pixels, rgba, width)
            }
        })
        .collect()
}

fn resize_rgba(pixels: &Pixels, rgba: &[u8], width: u32) -> Result<Pixels, ImageError> {
    let height = ((u64::from(pixels.height) * u64::from(width) + u64::from(pixels.width) / 2)
        / u64::from(pixels.width))
    .max(1) as u32;
    let failed = |e: &dyn std::fmt::Display| ImageError::Unencodable(e.to_string());
    let source = ImageRef::new(pixels.width, pixels.height, rgba, PixelType::U8x4)
        .map_err(|e| failed(&e))?;
    let mut target = Image::new(width, height, PixelType::U8x4);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        // Transparent pixels must not bleed their (invisible) colour into the edges.
        .use_alpha(pixels.alpha);
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| failed(&e))?;
    let data = if pixels.alpha {
        target.into_vec()
    } else {
        target
            .buffer()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    };
    Ok(Pixels {
        width,
        height,
        alpha: pixels.alpha,
        data,
    })
}

/// A picture with at most this many colours is a graphic. Photos have tens of thousands even
/// at 480 px; a chart with anti-aliased text has a few hundred.
const GRAPHIC_COLOURS: usize = 2048;

fn classify(pixels: &Pixels) -> Kind {
    let mut seen = std::collections::HashSet::new();
    for p in pixels.data.chunks_exact(pixels.channels()) {
        let colour = p.iter().fold(0u32, |acc, &c| (acc << 8) | u32::from(c));
        if seen.insert(colour) && seen.len() > GRAPHIC_COLOURS {
            return Kind::Photo;
        }
    }
    Kind::Graphic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_original_and_include_it_when_small() {
        let s = ImageSettings::default();
        assert_eq!(s.widths_for(4000), vec![480, 960, 1600]);
        assert_eq!(s.widths_for(1600), vec![480, 960, 1600]);
        assert_eq!(s.widths_for(1000), vec![480, 960, 1000]);
        assert_eq!(s.widths_for(960), vec![480, 960]);
        assert_eq!(s.widths_for(300), vec![300]);
        assert_eq!(s.widths_for(1), vec![1]);
    }

    #[test]
    fn fingerprint_changes_with_every_setting_that_changes_bytes() {
        let a = ImageSettings::default();
        let b = ImageSettings {
            jpeg_quality: 81,
            ..a.clone()
        };
        let c = ImageSettings {
            widths: vec![480],
            ..a.clone()
        };
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        // Limits only decide what is accepted, not the bytes.
        let d = ImageSettings {
            max_side: 100,
            ..a.clone()
        };
        assert_eq!(a.fingerprint(), d.fingerprint());
        let e = ImageSettings {
            in_place: true,
            ..a.clone()
        };
        assert_ne!(a.fingerprint(), e.fingerprint());
    }

    #[test]
    fn in_place_keeps_the_format_and_the_upright_size() {
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 100);
        encoder.add_exif_metadata(&exif_orientation(6)).unwrap();
        encoder
            .encode(&quadrants(), 32, 16, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let settings = ImageSettings {
            in_place: true,
            ..ImageSettings::default()
        };
        let out = process(&jpeg, &settings).unwrap();
        let [variant] = out.variants.as_slice() else {
            panic!("{:?}", out.variants.len());
        };
        assert_eq!(
            (variant.format, variant.width, variant.height),
            (Format::Jpeg, 16, 32)
        );
        assert!(!variant.bytes.windows(5).any(|w| w == b"Exif\0"));
        let png =
            encode::encode_as(&gradient(700, 10), Format::Png, Kind::Photo, &settings).unwrap();
        let out = process(&png.bytes, &settings).unwrap();
        assert_eq!(
            (out.variants.len(), out.variants[0].format, out.width),
            (1, Format::Png, 700)
        );
    }

    fn gradient(width: u32, height: u32) -> Pixels {
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 23;
                data.extend([(x % 256) as u8, (y % 256) as u8, (n * 11) as u8]);
            }
        }
        Pixels {
            width,
            height,
            alpha: false,
            data,
        }
    }

    #[test]
    fn resize_keeps_the_aspect_ratio() {
        let p = gradient(400, 300);
        let r = resize_all(&p, &[200]).unwrap().remove(0);
        assert_eq!((r.width, r.height), (200, 150));
        assert_eq!(r.data.len(), 200 * 150 * 3);
        let thin = resize_all(&gradient(1000, 1), &[10]).unwrap().remove(0);
        assert_eq!(thin.data.len(), 10 * 3);
        // Transparency survives.
        let clear = Pixels {
            width: 4,
            height: 4,
            alpha: true,
            data: [10, 20, 30, 0].repeat(16),
        };
        assert_eq!(resize_all(&clear, &[2]).unwrap()[0].pixel(1, 1)[3], 0);
        assert_eq!(thin.height, 1);
    }

    #[test]
    fn photos_and_graphics_are_told_apart() {
        assert_eq!(classify(&gradient(200, 200)), Kind::Photo);
        let flat = Pixels {
            width: 100,
            height: 100,
            alpha: false,
            data: (0..10_000)
                .flat_map(|i| {
                    if i % 7 == 0 {
                        [0, 0, 0]
                    } else {
                        [255, 255, 255]
                    }
                })
                .collect(),
        };
        assert_eq!(classify(&flat), Kind::Graphic);
    }

    /// A 32 × 16 picture in four flat quadrants: red, green / blue, white.
    fn quadrants() -> Vec<u8> {
        let mut data = Vec::new();
        for y in 0..16 {
            for x in 0..32 {
                data.extend(match (x < 16, y < 8) {
                    (true, true) => [255, 0, 0],
                    (false, true) => [0, 255, 0],
                    (true, false) => [0, 0, 255],
                    (false, false) => [255, 255, 255],
                });
            }
        }
        data
    }

    /// An EXIF block (TIFF, big-endian) holding only an orientation.
    fn exif_orientation(value: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
        tiff.extend(value.to_be_bytes());
        tiff.extend([0, 0, 0, 0, 0, 0]);
        tiff
    }

    fn corner_colours(p: &Pixels) -> [char; 4] {
        let name = |[r, g, b, _]: [u8; 4]| match (r > 128, g > 128, b > 128) {
            (true, false, false) => 'R',
            (false, true, false) => 'G',
            (false, false, true) => 'B',
            (true, true, true) => 'W',
            _ => '?',
        };
        let (w, h) = (p.width, p.height);
        [
            name(p.pixel(w / 4, h / 4)),
            name(p.pixel(w * 3 / 4, h / 4)),
            name(p.pixel(w / 4, h * 3 / 4)),
            name(p.pixel(w * 3 / 4, h * 3 / 4)),
        ]
    }

    #[test]
    fn all_eight_orientations_come_out_upright() {
        // Corners top-left, top-right, bottom-left, bottom-right once shown as EXIF says.
        let expected = [
            (1, (32, 16), ['R', 'G', 'B', 'W']),
            (2, (32, 16), ['G', 'R', 'W', 'B']),
            (3, (32, 16), ['W', 'B', 'G', 'R']),
            (4, (32, 16), ['B', 'W', 'R', 'G']),
            (5, (16, 32), ['R', 'B', 'G', 'W']),
            (6, (16, 32), ['B', 'R', 'W', 'G']),
            (7, (16, 32), ['W', 'G', 'B', 'R']),
            (8, (16, 32), ['G', 'W', 'R', 'B']),
        ];
        for (value, size, corners) in expected {
            let mut jpeg = Vec::new();
            let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 100);
            encoder.add_exif_metadata(&exif_orientation(value)).unwrap();
            encoder
                .encode(&quadrants(), 32, 16, jpeg_encoder::ColorType::Rgb)
                .unwrap();
            let p = decode(&jpeg, &ImageSettings::default()).unwrap();
            assert_eq!((p.width, p.height), size, "orientation {value}");
            assert_eq!(corner_colours(&p), corners, "orientation {value}");
        }
    }

    #[test]
    fn a_display_p3_picture_is_converted_to_srgb() {
        use image::ImageEncoder;
        let colour = [200u8, 100, 50];
        let data: Vec<u8> = colour.repeat(16 * 16);
        let icc = ColorProfile::new_display_p3().encode().unwrap();
        let mut png = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
        encoder.set_icc_profile(icc).unwrap();
        encoder
            .write_image(&data, 16, 16, image::ExtendedColorType::Rgb8)
            .unwrap();
        let p = decode(&png, &ImageSettings::default()).unwrap();
        let [r, g, b, _] = p.pixel(8, 8);
        // P3 is wider: the same numbers in sRGB are a stronger orange.
        assert!(r > 205 && g < 100 && b < 45, "{r} {g} {b}");
    }

    #[test]
    fn a_truncated_jpeg_is_not_taken_for_a_grey_one() {
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 90)
            .encode(&quadrants(), 32, 16, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        assert!(decode(&jpeg, &ImageSettings::default()).is_ok());
        let cut = &jpeg[..jpeg.len() - 40];
        assert!(matches!(
            decode(cut, &ImageSettings::default()),
            Err(ImageError::Undecodable(_))
        ));
    }
}
