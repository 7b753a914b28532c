//! Pixels in, file bytes out: the encoders sitroom publishes with. Each writes the pixel
//! data and the headers its format requires, and nothing else: no EXIF, XMP, IPTC, ICC
//! profile, text chunk or comment, whatever the source carried.

use super::images::{EncodedVariant, Format, ImageError, ImageSettings, Kind, Pixels};

/// The fallback for one width, then the WebP when it is smaller.
pub(super) fn encode_width(
    pixels: &Pixels,
    kind: Kind,
    settings: &ImageSettings,
) -> Result<Vec<EncodedVariant>, ImageError> {
    let (fallback, format) = if kind == Kind::Graphic || pixels.alpha {
        (encode_png(pixels)?, Format::Png)
    } else {
        (encode_jpeg(pixels, settings.jpeg_quality)?, Format::Jpeg)
    };
    let webp = encode_webp(pixels, kind, settings.webp_quality)?;
    let variant = |format, bytes| EncodedVariant {
        width: pixels.width,
        height: pixels.height,
        format,
        bytes,
    };
    let mut out = Vec::with_capacity(2);
    let webp_smaller = webp.len() < fallback.len();
    out.push(variant(format, fallback));
    if webp_smaller {
        out.push(variant(Format::WebP, webp));
    }
    Ok(out)
}

/// One file in `format` at the picture's size: a JPEG at the JPEG quality, a PNG, or a
/// WebP, lossless for a graphic.
pub(super) fn encode_as(
    pixels: &Pixels,
    format: Format,
    kind: Kind,
    settings: &ImageSettings,
) -> Result<EncodedVariant, ImageError> {
    let bytes = match format {
        Format::Jpeg => encode_jpeg(pixels, settings.jpeg_quality)?,
        Format::Png => encode_png(pixels)?,
        Format::WebP => encode_webp(pixels, kind, settings.webp_quality)?,
    };
    Ok(EncodedVariant {
        width: pixels.width,
        height: pixels.height,
        format,
        bytes,
    })
}

/// Baseline-compatible progressive JPEG with optimised Huffman tables and 4:2:0 chroma:
/// the smallest JPEG every browser shows. Writes a JFIF header and nothing else.
fn encode_jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    let (width, height) = dimensions_u16(pixels)?;
    // A JPEG decodes without alpha; should pixels have it, JPEG has no place for it.
    let color = match pixels.alpha {
        true => jpeg_encoder::ColorType::Rgba,
        false => jpeg_encoder::ColorType::Rgb,
    };
    encoder
        .encode(&pixels.data, width, height, color)
        .map_err(|e| ImageError::Unencodable(e.to_string()))?;
    Ok(out)
}

fn dimensions_u16(pixels: &Pixels) -> Result<(u16, u16), ImageError> {
    match (u16::try_from(pixels.width), u16::try_from(pixels.height)) {
        (Ok(w), Ok(h)) => Ok((w, h)),
        _ => Err(ImageError::Unencodable(
            "JPEG allows at most 65,535 px a side".to_string(),
        )),
    }
}

/// PNG with the best deflate level and adaptive filters; only IHDR, IDAT and IEND.
fn encode_png(pixels: &Pixels) -> Result<Vec<u8>, ImageError> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if pixels.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive)
        .write_image(&pixels.data, pixels.width, pixels.height, color)
        .map_err(|e| ImageError::Unencodable(e.to_string()))?;
    Ok(out)
}

/// libwebp: lossy for photos, lossless for graphics. The simple encoder writes a RIFF
/// container with the bitstream (and ALPH) only: no EXIF, XMP or ICCP chunk.
fn encode_webp(pixels: &Pixels, kind: Kind, quality: u8) -> Result<Vec<u8>, ImageError> {
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(&pixels.data, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(&pixels.data, pixels.width, pixels.height)
    };
    let memory = encoder
        .encode_simple(kind == Kind::Graphic, f32::from(quality))
        .map_err(|e| ImageError::Unencodable(format!("WebP: {e:?}")))?;
    Ok(memory.to_vec())
}
