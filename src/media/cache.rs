//! The image cache: processed variants kept in `<root>/.sitroom-cache/images-v1/` under a
//! key made of the image's bytes and the settings (widths, qualities, encoder versions), so
//! a rebuild, or a CI run that restores the folder, encodes only new or changed images.
//!
//! Takes the images to publish and returns, for each, its variants as files in the cache;
//! the caller copies them into the site. Writes nowhere but inside the cache folder, and
//! never trusts an entry it cannot verify: each entry lists every file with its length and
//! hash, and an entry that does not match is thrown away and encoded again. An entry is
//! written in a folder of its own and renamed into place whole, so a build cut short leaves
//! no half entry that looks complete.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use super::images::{self, Encoded, Format, ImageError, ImageSettings, Kind};
use crate::Error;

/// The cache folder, at the root of the archive. `init` git-ignores it.
pub const CACHE_DIR: &str = ".sitroom-cache";
/// Bumped whenever the layout or the manifest changes: an old cache is then simply unused.
const IMAGES_DIR: &str = "images-v1";
const MANIFEST: &str = "manifest";
const MANIFEST_HEADER: &str = "sitroom image cache 1";

/// The image cache of one archive.
#[derive(Debug, Clone)]
pub struct ImageCache {
    /// `<root>/.sitroom-cache`
    top: PathBuf,
    /// `<root>/.sitroom-cache/images-v1`
    dir: PathBuf,
    /// Whether a cache that cannot be written is done without (see [`ImageCache::optional`]).
    optional: bool,
}

/// An image to publish.
#[derive(Debug, Clone)]
pub struct SourceImage {
    /// Where to read it.
    pub path: PathBuf,
    /// How the editor knows it (relative to the site root), for messages.
    pub name: PathBuf,
}

/// One published file of an image, held in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Its length in bytes.
    pub len: u64,
    /// xxh3 of its bytes.
    pub hash: u64,
    /// The file in the cache to copy into the site.
    pub path: PathBuf,
}

impl Variant {
    /// The name it is published under next to the page: `delegations-960.webp` for an
    /// image whose file stem is `delegations`.
    pub fn file_name(&self, stem: &str) -> String {
        format!("{stem}-{}.{}", self.width, self.format.extension())
    }
}

/// An image ready to publish: its size upright and its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    pub name: PathBuf,
    /// The cache key (32 hex digits).
    pub key: String,
    /// The upright picture's size; the largest variant may be narrower.
    pub width: u32,
    pub height: u32,
    pub kind: Kind,
    /// By width, then format (the fallback first).
    pub variants: Vec<Variant>,
}

impl ProcessedImage {
    /// The JPEG or PNG variants, narrowest first: every browser shows these.
    pub fn fallbacks(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.format != Format::WebP)
    }

    /// The WebP variants, narrowest first (only those smaller than their fallback exist).
    pub fn webps(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.format == Format::WebP)
    }

    /// The widest fallback: the `<img src>`, `og:image` and feed enclosure.
    pub fn fallback(&self) -> Option<&Variant> {
        self.fallbacks().last()
    }
}

/// A `srcset` value: `url 480w, url 960w`, with each variant's URL from `url_of`.
pub fn srcset<'a>(
    variants: impl IntoIterator<Item = &'a Variant>,
    url_of: impl Fn(&Variant) -> String,
) -> String {
    variants
        .into_iter()
        .map(|v| format!("{} {}w", url_of(v), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An image that cannot be published, named as the editor knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageProblem {
    pub name: PathBuf,
    pub error: ImageError,
}

impl fmt::Display for ImageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.name.display(), self.error)
    }
}

/// What one run did.
#[derive(Debug)]
pub struct Batch {
    /// One result for each source, in the order given.
    pub images: Vec<Result<ProcessedImage, ImageProblem>>,
    /// The names of the images encoded in this run, because the cache had none of them;
    /// sorted. A rebuild with unchanged images has none.
    pub encoded: Vec<PathBuf>,
}

impl ImageCache {
    /// The cache of the archive at `root`. Touches nothing until images are processed.
    pub fn new(root: &Path) -> ImageCache {
        let top = root.join(CACHE_DIR);
        let dir = top.join(IMAGES_DIR);
        ImageCache {
            top,
            dir,
            optional: false,
        }
    }

    /// The cache of the archive at `root`, used where it can be written and done without
    /// where it cannot (a read-only checkout, a file in its place): for `check`, which
    /// publishes nothing. An image it cannot store is encoded in memory and kept nowhere;
    /// its variants then have no file (their `path` is empty), so nothing can copy them.
    pub fn optional(root: &Path) -> ImageCache {
        ImageCache {
            optional: true,
            ..ImageCache::new(root)
        }
    }

    /// `<root>/.sitroom-cache/images-v1`
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Processes every image, on all cores: from the cache when it holds a valid entry for
    /// the image's bytes and these settings, encoded (and stored) otherwise. An image that
    /// cannot be processed is a problem in its slot, and nothing is written for it; a
    /// cache that cannot be written fails the whole run, unless it is optional.
    pub fn process(
        &self,
        sources: &[SourceImage],
        settings: &ImageSettings,
    ) -> Result<Batch, Error> {
        let writable = match sources.is_empty() {
            true => false,
            false => match self.prepare() {
                Ok(()) => true,
                Err(_) if self.optional => false,
                Err(e) => return Err(e),
            },
        };
        let fingerprint = settings.fingerprint();
        let results: Vec<Result<Outcome, Error>> = sources
            .par_iter()
            .enumerate()
            .map(|(index, source)| {
                self.process_one(index, source, settings, &fingerprint, writable)
            })
            .collect();
        let mut images = Vec::with_capacity(sources.len());
        let mut encoded = Vec::new();
        for (result, source) in results.into_iter().zip(sources) {
            let (image, was_encoded) = result?;
            if was_encoded {
                encoded.push(source.name.clone());
            }
            images.push(image);
        }
        encoded.sort();
        Ok(Batch { images, encoded })
    }

    /// The image and whether it was encoded in this run; stored when the cache is
    /// `writable`, else (or when storing fails in an optional cache) held in memory.
    fn process_one(
        &self,
        index: usize,
        source: &SourceImage,
        settings: &ImageSettings,
        fingerprint: &str,
        writable: bool,
    ) -> Result<Outcome, Error> {
        let bytes = fs::read(&source.path).map_err(|e| Error::io("reading", &source.path, e))?;
        let key = key(fingerprint, &bytes);
        if let Some(image) = self.load(&key, &source.name) {
            return Ok((Ok(image), false));
        }
        let encoded = match images::process(&bytes, settings) {
            Ok(encoded) => encoded,
            Err(error) => {
                let problem = ImageProblem {
                    name: source.name.clone(),
                    error,
                };
                return Ok((Err(problem), false));
            }
        };
        drop(bytes);
        let image = match writable {
            true => match self.store(index, &key, &source.name, &encoded) {
                Ok(image) => image,
                Err(_) if self.optional => in_memory(&key, &source.name, &encoded),
                Err(e) => return Err(e),
            },
            false => in_memory(&key, &source.name, &encoded),
        };
        Ok((Ok(image), true))
    }

    /// Makes the cache folder, refusing a symbolic link there (sitroom writes only inside
    /// a folder of its own), and marks it as a cache for backup tools and git.
    fn prepare(&self) -> Result<(), Error> {
        if let Ok(meta) = fs::symlink_metadata(&self.top)
            && !meta.is_dir()
        {
            return Err(Error::machine(
                format!("using the image cache `{}`", self.top.display()),
                io::Error::other("it is not a folder; remove it and build again"),
            ));
        }
        fs::create_dir_all(self.dir.join("tmp"))
            .map_err(|e| Error::io("making the image cache", &self.dir, e))?;
        let tag = self.top.join("CACHEDIR.TAG");
        if !tag.exists() {
            let text = "Signature: 8a477f597d28d172789f06886806bc55\n\
                        # sitroom's cache of processed images; safe to delete.\n";
            fs::write(&tag, text).map_err(|e| Error::io("writing", &tag, e))?;
            let ignore = self.top.join(".gitignore");
            fs::write(&ignore, "*\n").map_err(|e| Error::io("writing", &ignore, e))?;
        }
        Ok(())
    }

    fn entry_dir(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    /// A valid entry, or none. An entry that does not match its manifest is removed so
    /// that it is encoded again.
    fn load(&self, key: &str, name: &Path) -> Option<ProcessedImage> {
        let dir = self.entry_dir(key);
        let manifest = fs::read_to_string(dir.join(MANIFEST)).ok();
        let image = manifest.and_then(|text| parse_manifest(&text, &dir, key, name));
        match image {
            Some(image) if image.variants.iter().all(verify) => Some(image),
            _ => {
                // Nothing there, or something unreadable: either way it is rebuilt. If the
                // removal fails the store below will report why.
                let _ = fs::remove_dir_all(&dir);
                None
            }
        }
    }

    /// Writes an entry into a folder of its own, then renames it into place.
    fn store(
        &self,
        index: usize,
        key: &str,
        name: &Path,
        encoded: &Encoded,
    ) -> Result<ProcessedImage, Error> {
        let tmp = self
            .dir
            .join("tmp")
            .join(format!("{key}-{}-{index}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).map_err(|e| Error::io("making", &tmp, e))?;
        let mut manifest = format!(
            "{MANIFEST_HEADER}\nimage {} {} {}\n",
            encoded.width,
            encoded.height,
            kind_name(encoded.kind)
        );
        for v in &encoded.variants {
            let file = tmp.join(variant_file(v.width, v.format));
            fs::write(&file, &v.bytes).map_err(|e| Error::io("writing", &file, e))?;
            manifest.push_str(&format!(
                "{} {} {} {} {:016x}\n",
                v.width,
                v.height,
                v.format.extension(),
                v.bytes.len(),
                xxh3_64(&v.bytes)
            ));
        }
        let file = tmp.join(MANIFEST);
        fs::write(&file, &manifest).map_err(|e| Error::io("writing", &file, e))?;

        let dir = self.entry_dir(key);
        let parent = self.dir.join(&key[..2]);
        fs::create_dir_all(&parent).map_err(|e| Error::io("making", &parent, e))?;
        if let Err(e) = fs::rename(&tmp, &dir) {
            // Another build stored the same image meanwhile; keep theirs if it is sound.
            let _ = fs::remove_dir_all(&tmp);
            if let Some(image) = self.load(key, name) {
                return Ok(image);
            }
            return Err(Error::io("storing in the image cache", &dir, e));
        }
        parse_manifest(&manifest, &dir, key, name).ok_or_else(|| {
            Error::machine(
                format!("reading back `{}`", dir.display()),
                io::Error::other("the manifest just written does not parse"),
            )
        })
    }

    /// Removes every entry whose key is not in `keep` (the images of the current build),
    /// and returns how many it removed. A build that publishes every image can call it to
    /// keep the cache from growing without bound.
    pub fn prune(&self, keep: &[&str]) -> Result<usize, Error> {
        let keep: std::collections::HashSet<&str> = keep.iter().copied().collect();
        let mut removed = 0;
        let Ok(shards) = fs::read_dir(&self.dir) else {
            return Ok(0);
        };
        for shard in shards.flatten() {
            if shard.file_name() == "tmp" {
                continue;
            }
            let Ok(entries) = fs::read_dir(shard.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                if !keep.contains(name.to_string_lossy().as_ref()) {
                    let path = entry.path();
                    fs::remove_dir_all(&path).map_err(|e| Error::io("removing", &path, e))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// An image encoded but kept nowhere: its variants have no file.
fn in_memory(key: &str, name: &Path, encoded: &Encoded) -> ProcessedImage {
    let variants = encoded
        .variants
        .iter()
        .map(|v| Variant {
            width: v.width,
            height: v.height,
            format: v.format,
            len: v.bytes.len() as u64,
            hash: xxh3_64(&v.bytes),
            path: PathBuf::new(),
        })
        .collect();
    ProcessedImage {
        name: name.to_path_buf(),
        key: key.to_string(),
        width: encoded.width,
        height: encoded.height,
        kind: encoded.kind,
        variants,
    }
}

/// One image's result, and whether it was encoded in this run.
type Outcome = (Result<ProcessedImage, ImageProblem>, bool);

/// The cache key: the image's bytes and everything that decides the variants' bytes.
fn key(fingerprint: &str, bytes: &[u8]) -> String {
    let mut input = Vec::with_capacity(fingerprint.len() + 1 + bytes.len());
    input.extend_from_slice(fingerprint.as_bytes());
    input.push(0);
    input.extend_from_slice(bytes);
    format!("{:032x}", xxh3_128(&input))
}

fn variant_file(width: u32, format: Format) -> String {
    format!("{width}.{}", format.extension())
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo => "photo",
        Kind::Graphic => "graphic",
    }
}

/// The entry a manifest describes, or none when any line is not as written by `store`.
fn parse_manifest(text: &str, dir: &Path, key: &str, name: &Path) -> Option<ProcessedImage> {
    let mut lines = text.lines();
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    let head: Vec<&str> = lines.next()?.split(' ').collect();
    let [_, width, height, kind] = head.as_slice() else {
        return None;
    };
    let kind = match *kind {
        "photo" => Kind::Photo,
        "graphic" => Kind::Graphic,
        _ => return None,
    };
    let mut variants = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split(' ').collect();
        let [w, h, ext, len, hash] = fields.as_slice() else {
            return None;
        };
        let format = Format::from_extension(ext)?;
        let width = w.parse().ok()?;
        variants.push(Variant {
            width,
            height: h.parse().ok()?,
            format,
            len: len.parse().ok()?,
            hash: u64::from_str_radix(hash, 16).ok()?,
            path: dir.join(variant_file(width, format)),
        });
    }
    if variants.is_empty() {
        return None;
    }
    Some(ProcessedImage {
        name: name.to_path_buf(),
        key: key.to_string(),
        width: width.parse().ok()?,
        height: height.parse().ok()?,
        kind,
        variants,
    })
}

/// True when the file holds exactly the bytes the manifest lists.
fn verify(variant: &Variant) -> bool {
    fs::read(&variant.path)
        .is_ok_and(|bytes| bytes.len() as u64 == variant.len && xxh3_64(&bytes) == variant.hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_bytes_and_settings() {
        let a = key("s1", b"image");
        assert_eq!(a.len(), 32);
        assert_eq!(a, key("s1", b"image"));
        assert_ne!(a, key("s2", b"image"));
        assert_ne!(a, key("s1", b"imagf"));
    }

    #[test]
    fn a_manifest_that_is_not_ours_is_not_trusted() {
        let dir = Path::new("/x");
        let good = format!("{MANIFEST_HEADER}\nimage 10 5 photo\n10 5 jpg 3 00000000000000ff\n");
        let image = parse_manifest(&good, dir, "k", Path::new("a.jpg")).unwrap();
        assert_eq!(image.variants[0].path, Path::new("/x/10.jpg"));
        assert_eq!(image.variants[0].hash, 255);
        for bad in [
            "",
            "sitroom image cache 0\nimage 10 5 photo\n10 5 jpg 3 ff\n",
            &format!("{MANIFEST_HEADER}\nimage 10 5 photo\n"),
            &format!("{MANIFEST_HEADER}\nimage 10 5 photo\n10 5 gif 3 ff\n"),
            &format!("{MANIFEST_HEADER}\nimage 10 5 photo\n10 5 jpg 3\n"),
            &format!("{MANIFEST_HEADER}\nimage ten 5 photo\n10 5 jpg 3 ff\n"),
        ] {
            assert!(
                parse_manifest(bad, dir, "k", Path::new("a")).is_none(),
                "{bad}"
            );
        }
    }

    #[test]
    fn srcset_lists_widths() {
        let v = |width| Variant {
            width,
            height: 1,
            format: Format::Jpeg,
            len: 0,
            hash: 0,
            path: PathBuf::new(),
        };
        let list = [v(480), v(960)];
        assert_eq!(
            srcset(&list, |v| v.file_name("a")),
            "a-480.jpg 480w, a-960.jpg 960w"
        );
    }
}
