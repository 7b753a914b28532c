//! Names that an attachment carries in its own metadata. sitroom publishes a PDF or an SVG
//! as it is (it does not rewrite documents), so `check` warns when one names an author:
//! a statement exported by a stringer's word processor often does. Takes the file's bytes,
//! returns the names; reads and writes nothing.
//!
//! A PDF keeps its author in the document information dictionary (`/Author (…)`) and in
//! an XMP packet (`<dc:creator>`). Both may sit inside compressed object or metadata
//! streams, which are inflated here, with a bound on how much, so that a small file cannot
//! make `check` exhaust memory. An SVG keeps it in `<metadata>` as RDF (`<dc:creator>`).

use std::io::Read;
use std::path::Path;

/// A stream inflates to at most this many bytes, and a file to at most four times that.
const STREAM_LIMIT: u64 = 16 << 20;

/// The authors an attachment names in its own metadata, without duplicates, in the order
/// found. Empty for file types that carry no such field here, and for encrypted PDFs.
pub fn authors(file_name: &Path, bytes: &[u8]) -> Vec<String> {
    let extension = file_name
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let mut names = match extension.as_deref() {
        Some("pdf") => pdf_authors(bytes),
        Some("svg") => xmp_creators(&String::from_utf8_lossy(bytes)),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// The warning `check` gives for an attachment with authors.
pub fn warning(names: &[String]) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "this file names its author in its own metadata ({}), and is published as it is",
        list.join(", ")
    )
}

/// What to do about it.
pub const HELP: &str = "remove the author from the document's properties and export it again, \
                        if that name must not be published";

fn pdf_authors(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut texts = vec![bytes.to_vec()];
    texts.extend(inflated_streams(bytes));
    for text in &texts {
        names.extend(info_authors(text, bytes));
        names.extend(xmp_creators(&String::from_utf8_lossy(text)));
    }
    names
}

/// Every `/Author` value in `text`, as a literal or hex string, or through a reference
/// (`/Author 12 0 R`) to an object in `file`.
fn info_authors(text: &[u8], file: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let key = b"/Author";
    let mut at = 0;
    while let Some(found) = find(&text[at..], key) {
        let start = at + found + key.len();
        at = start;
        // `/AuthorX` is another key.
        if text.get(start).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = skip_space(&text[start..]);
        let value = pdf_string(rest).or_else(|| {
            let target = reference(rest)?;
            let object = find(file, target.as_bytes())?;
            pdf_string(skip_space(&file[object + target.len()..]))
        });
        if let Some(name) = value.filter(|n| !n.trim().is_empty()) {
            names.push(name.trim().to_string());
        }
    }
    names
}

/// `12 0 R` → `12 0 obj`, the text that starts the referred object.
fn reference(text: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&text[..text.len().min(24)]).into_owned();
    let mut parts = head.split_ascii_whitespace();
    let number: u32 = parts.next()?.parse().ok()?;
    let generation: u32 = parts.next()?.parse().ok()?;
    (parts.next()?.starts_with('R')).then(|| format!("{number} {generation} obj"))
}

/// A PDF literal `(…)` or hex `<…>` string at the start of `text`, decoded.
fn pdf_string(text: &[u8]) -> Option<String> {
    let raw = match text.first()? {
        b'(' => literal(&text[1..])?,
        b'<' if text.get(1) != Some(&b'<') => hex(&text[1..])?,
        _ => return None,
    };
    Some(decode_text(&raw))
}

fn literal(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut bytes = text.iter().copied();
    while let Some(c) = bytes.next() {
        match c {
            b'\\' => match bytes.next()? {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'\n' | b'\r' => {}
                d @ b'0'..=b'7' => {
                    // Up to three octal digits; the first is taken, later ones are rare
                    // enough in names that a short read is acceptable.
                    out.push(d - b'0');
                    let mut value = u32::from(d - b'0');
                    let mut rest = bytes.clone();
                    for _ in 0..2 {
                        match rest.next() {
                            Some(o @ b'0'..=b'7') => {
                                value = value * 8 + u32::from(o - b'0');
                                bytes.next();
                            }
                            _ => break,
                        }
                    }
                    if let Some(last) = out.last_mut() {
                        *last = (value & 0xff) as u8;
                    }
                }
                other => out.push(other),
            },
            b'(' => {
                depth += 1;
                out.push(c);
            }
            b')' if depth == 0 => return Some(out),
            b')' => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    None
}

fn hex(text: &[u8]) -> Option<Vec<u8>> {
    let end = text.iter().position(|&c| c == b'>')?;
    let digits: Vec<u8> = text[..end]
        .iter()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    Some(
        digits
            .chunks(2)
            .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
            .collect(),
    )
}

/// UTF-16BE with a byte-order mark, UTF-8 with one (PDF 2.0), or PDFDocEncoding, which
/// matches Latin-1 for the letters of names.
fn decode_text(raw: &[u8]) -> String {
    if let Some(rest) = raw.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = raw.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    raw.iter().map(|&b| b as char).collect()
}

/// The inflated contents of the object and metadata streams, where PDF 1.5 and later keep
/// the information dictionary and XMP; other streams (pages, images, fonts) are skipped.
fn inflated_streams(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut budget = STREAM_LIMIT * 4;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let keyword = at + found;
        at = keyword + 6;
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let dict_start = rfind(&bytes[..keyword], b"<<").unwrap_or(0);
        let dict = &bytes[dict_start..keyword];
        let wanted = find(dict, b"ObjStm").is_some() || find(dict, b"Metadata").is_some();
        if !wanted || find(dict, b"FlateDecode").is_none() {
            continue;
        }
        let mut data = &bytes[at..];
        data = data.strip_prefix(b"\r").unwrap_or(data);
        data = data.strip_prefix(b"\n").unwrap_or(data);
        let end = find(data, b"endstream").unwrap_or(data.len());
        let mut inflated = Vec::new();
        let limit = STREAM_LIMIT.min(budget);
        let reader = flate2::read::ZlibDecoder::new(&data[..end]);
        // A stream cut short or corrupt still yields what inflated before the fault.
        let _ = reader.take(limit).read_to_end(&mut inflated);
        budget = budget.saturating_sub(inflated.len() as u64);
        if !inflated.is_empty() {
            out.push(inflated);
        }
        if budget == 0 {
            break;
        }
    }
    out
}

/// The names in every `<dc:creator>` of an XMP or RDF packet: its `<rdf:li>` items, or the
/// `<dc:title>` of a `<cc:Agent>` as Inkscape writes it.
fn xmp_creators(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<dc:creator") {
        let after = &rest[start..];
        let Some(end) = after.find("</dc:creator>") else {
            break;
        };
        let block = &after[..end];
        for tag in ["rdf:li", "dc:title"] {
            names.extend(element_texts(block, tag));
        }
        rest = &after[end..];
    }
    names
}

/// The text of every `<tag …>text</tag>` in `block`, entities decoded.
fn element_texts(block: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let (Some(gt), Some(end)) = (after.find('>'), after.find(&close)) else {
            break;
        };
        if gt < end && !after[..gt].ends_with('/') {
            let text = unescape(after[gt + 1..end].trim());
            // Inside an `<rdf:li>` may sit a nested element; only plain text is a name.
            if !text.is_empty() && !text.contains('<') {
                out.push(text);
            }
        }
        rest = &after[end..];
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn skip_space(text: &[u8]) -> &[u8] {
    let n = text.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &text[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn pdf(name: &str, bytes: &[u8]) -> Vec<String> {
        authors(Path::new(name), bytes)
    }

    #[test]
    fn info_dictionary_literal_hex_and_utf16() {
        let text =
            b"%PDF-1.4\n1 0 obj\n<< /Title (Statement) /Author (Olena \\(Kyiv\\) K.) >>\nendobj";
        assert_eq!(pdf("a.pdf", text), vec!["Olena (Kyiv) K."]);
        let hexed = b"<< /Author <4A6F686E20446F65> >>";
        assert_eq!(pdf("a.PDF", hexed), vec!["John Doe"]);
        // UTF-16BE with a BOM: "Олена"
        let utf16 = b"<< /Author <FEFF041E043B0435043D0430> >>";
        assert_eq!(pdf("a.pdf", utf16), vec!["Олена"]);
        let octal = b"<< /Author (Jos\\351) >>";
        assert_eq!(pdf("a.pdf", octal), vec!["José"]);
    }

    #[test]
    fn empty_authors_and_other_keys_are_not_names() {
        assert!(pdf("a.pdf", b"<< /Author () /Creator (Word) >>").is_empty());
        assert!(pdf("a.pdf", b"<< /AuthorX (no) >>").is_empty());
        assert!(pdf("a.txt", b"<< /Author (Jane) >>").is_empty());
    }

    #[test]
    fn indirect_author() {
        let text = b"1 0 obj << /Author 7 0 R >> endobj\n7 0 obj (Jane Roe) endobj";
        assert_eq!(pdf("a.pdf", text), vec!["Jane Roe"]);
    }

    #[test]
    fn author_inside_a_compressed_object_stream() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<< /Producer (x) /Author (Hidden Name) >>")
            .unwrap();
        let body = z.finish().unwrap();
        let mut file =
            b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
                .to_vec();
        file.extend(&body);
        file.extend(b"\nendstream\nendobj\n");
        assert_eq!(pdf("a.pdf", &file), vec!["Hidden Name"]);
    }

    #[test]
    fn xmp_creator_in_pdf_and_inkscape_svg() {
        let xmp = "<x:xmpmeta><rdf:RDF><rdf:Description><dc:creator><rdf:Seq>\
                   <rdf:li>A. B&amp;C</rdf:li><rdf:li>Second</rdf:li></rdf:Seq></dc:creator>\
                   </rdf:Description></rdf:RDF></x:xmpmeta>";
        assert_eq!(pdf("a.pdf", xmp.as_bytes()), vec!["A. B&C", "Second"]);
        let svg = "<svg><metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent>\
                   <dc:title>Map Maker</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF>\
                   </metadata></svg>";
        assert_eq!(pdf("chart.svg", svg.as_bytes()), vec!["Map Maker"]);
        assert!(pdf("plain.svg", b"<svg><title>x</title></svg>").is_empty());
    }

    #[test]
    fn duplicates_are_listed_once_and_the_warning_names_them() {
        let text = b"<< /Author (Jane) >> <dc:creator><rdf:Seq><rdf:li>Jane</rdf:li></rdf:Seq></dc:creator>";
        let names = pdf("a.pdf", text);
        assert_eq!(names, vec!["Jane"]);
        assert!(warning(&names).contains("(`Jane`)"));
    }

    #[test]
    fn truncated_input_does_not_panic() {
        for text in [
            &b"/Author"[..],
            b"/Author (",
            b"/Author <4A",
            b"/Author 7 0",
            b"stream",
        ] {
            let _ = pdf("a.pdf", text);
        }
    }
}
