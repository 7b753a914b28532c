//! What metadata a JPEG, PNG or WebP file carries, read from its structure without decoding
//! it: for a warning about images under `static/`, which sitroom copies as they are. Takes
//! the bytes, returns the kinds found; reads and writes nothing.

/// The kinds of metadata in `bytes` (`EXIF`, `XMP`, `IPTC`, `PNG text`, `a comment`), in a
/// fixed order, without repeats. Empty for other files and for clean images.
pub fn carried(bytes: &[u8]) -> Vec<&'static str> {
    let mut found = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)
    } else {
        Vec::new()
    };
    let order = ["EXIF", "XMP", "IPTC", "PNG text", "a comment"];
    found.sort_by_key(|kind| order.iter().position(|o| o == kind));
    found.dedup();
    found
}

/// The segments before the picture's scan: APP1 (EXIF, XMP), APP13 (IPTC), COM.
fn jpeg(bytes: &[u8]) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let data = &bytes[(at + 4).min(bytes.len())..(at + 2 + len).min(bytes.len())];
        match marker {
            0xE1 if data.starts_with(b"Exif\0") => found.push("EXIF"),
            0xE1 if data.starts_with(b"http://ns.adobe.com/xap/1.0/") => found.push("XMP"),
            0xED => found.push("IPTC"),
            0xFE => found.push("a comment"),
            _ => {}
        }
        at += 2 + len.max(2);
    }
    found
}

/// The chunks: `tEXt`, `zTXt`, `iTXt` (text, which XMP is written in too) and `eXIf`.
fn png(bytes: &[u8]) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[(at + 8).min(bytes.len())..(at + 8 + len as usize).min(bytes.len())];
        match kind {
            b"tEXt" | b"zTXt" => found.push("PNG text"),
            b"iTXt" if data.starts_with(b"XML:com.adobe.xmp") => found.push("XMP"),
            b"iTXt" => found.push("PNG text"),
            b"eXIf" => found.push("EXIF"),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len as usize;
    }
    found
}

/// The RIFF chunks `EXIF` and `XMP `.
fn webp(bytes: &[u8]) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = &bytes[at..at + 4];
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        match kind {
            b"EXIF" => found.push("EXIF"),
            b"XMP " => found.push("XMP"),
            _ => {}
        }
        at += 8 + len as usize + (len as usize & 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
        std::fs::read(dir.join(name)).unwrap()
    }

    #[test]
    fn planted_metadata_is_found() {
        let jpeg = carried(&fixture("oriented-gps.jpg"));
        for kind in ["EXIF", "XMP", "IPTC", "a comment"] {
            assert!(jpeg.contains(&kind), "{kind}: {jpeg:?}");
        }
        let png = carried(&fixture("text-chunks.png"));
        for kind in ["EXIF", "XMP", "PNG text"] {
            assert!(png.contains(&kind), "{kind}: {png:?}");
        }
        assert_eq!(carried(&fixture("planted.webp")), ["EXIF", "XMP"]);
    }

    #[test]
    fn clean_and_other_files_carry_nothing() {
        assert!(carried(b"not really a PNG").is_empty());
        assert!(carried(&fixture("clean.pdf")).is_empty());
        // What sitroom publishes carries nothing either.
        let encoded = super::super::images::process(
            &fixture("oriented-gps.jpg"),
            &super::super::ImageSettings::default(),
        )
        .unwrap();
        for variant in encoded.variants {
            assert!(carried(&variant.bytes).is_empty(), "{}", variant.width);
        }
    }
}
