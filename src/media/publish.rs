//! The media stage, between `graph::resolve` and render: finds every file a page brings
//! (its bundle, its lead image), checks the references to them, and turns every raster
//! image into variants through the cache. Render gets the result ([`Published`]) and reads
//! no file; output copies [`Published::files`] into the site.
//!
//! A bundle's files are published next to its page (`briefings/<slug>/statement.pdf`); a
//! raster image never as it is, only as its variants (`briefings/<slug>/chart-960.png`),
//! so that no byte of its metadata reaches the site. A raster image under `static/` is
//! re-encoded at its own path in its own format and size; as a lead image it also gets
//! variants next to it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::cache::{ImageCache, ProcessedImage, SourceImage, Variant};
use super::images::ImageSettings;
use crate::Error;
use crate::content::bundle::{Bundle, BundleFile, LeadImage, Media};
use crate::diagnostics::{self, Diagnostic};
use crate::model::{BriefingId, EntityId, Site};
use crate::render::markdown::line_and_column;
use crate::urls::path;

/// What the media stage made, for render and output.
#[derive(Debug, Default)]
pub struct Published {
    briefings: BTreeMap<BriefingId, PageMedia>,
    entities: BTreeMap<EntityId, PageMedia>,
    /// Every file to put into the site, by site-relative path.
    pub files: Vec<OutFile>,
    /// The images encoded in this run (the cache had none of them), sorted.
    pub encoded: Vec<PathBuf>,
    /// The media of the site's other languages, in `Site::translations` order. A
    /// translation shares its original's folder, so their files are published once, in
    /// `files` above.
    pub translations: Vec<Published>,
}

/// One file to publish: its site-relative path and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub source: PathBuf,
    /// An SVG attachment, which loses its scripts under `sanitize_html`.
    pub svg: bool,
}

/// The media of one page.
#[derive(Debug, Default)]
pub struct PageMedia {
    /// The page's bundle files, by the name Markdown gives them.
    pub files: BTreeMap<String, Item>,
    pub lead: Option<Lead>,
}

/// A bundle file as published.
#[derive(Debug)]
pub enum Item {
    Image(Picture),
    /// Its site-relative path.
    Attachment(String),
}

/// A raster image's variants, published in `folder` as `<stem>-<width>.<ext>`.
#[derive(Debug, Clone)]
pub struct Picture {
    pub image: ProcessedImage,
    /// Site-relative, ending in `/` (empty for the site's root).
    pub folder: String,
    pub stem: String,
}

impl Picture {
    /// The site-relative path of one variant.
    pub fn path_of(&self, variant: &Variant) -> String {
        format!("{}{}", self.folder, variant.file_name(&self.stem))
    }
}

/// A lead image, portrait or logo, ready to show.
#[derive(Debug)]
pub struct Lead {
    pub picture: Picture,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Which page media belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    Briefing(BriefingId),
    Entity(EntityId),
}

impl Published {
    /// Nothing: a site without media, or a render that publishes none.
    pub const EMPTY: Published = Published {
        briefings: BTreeMap::new(),
        entities: BTreeMap::new(),
        files: Vec::new(),
        encoded: Vec::new(),
        translations: Vec::new(),
    };

    pub fn page(&self, owner: Owner) -> Option<&PageMedia> {
        match owner {
            Owner::Briefing(id) => self.briefings.get(&id),
            Owner::Entity(id) => self.entities.get(&id),
        }
    }

    fn page_mut(&mut self, owner: Owner) -> &mut PageMedia {
        match owner {
            Owner::Briefing(id) => self.briefings.entry(id).or_default(),
            Owner::Entity(id) => self.entities.entry(id).or_default(),
        }
    }
}

/// A page that has media, as the stage reads it.
struct Source<'a> {
    owner: Owner,
    /// The page's site-relative folder: `briefings/<slug>/`.
    folder: String,
    media: &'a Media,
    path: &'a Path,
    text: &'a str,
    body_start: usize,
    body_line: usize,
}

/// An image to encode and where its variants go.
struct Wanted {
    source: PathBuf,
    owner: Owner,
    /// `Some(name)` for a bundle file, `None` for the lead image.
    name: Option<String>,
    folder: String,
    lead: Option<LeadImage>,
}

/// Runs the media stage over `site`: every problem comes back as a diagnostic (errors for
/// missing files and images that cannot be published, warnings for a missing `alt` or
/// `credit`); only a cache that cannot be written fails it.
pub fn prepare(site: &Site, root: &Path) -> Result<(Published, Vec<Diagnostic>), Error> {
    let images = Images {
        root,
        cache: ImageCache::new(root),
    };
    prepare_with(site, &images)
}

/// The media stage as `check` runs it: the same problems, but a cache that cannot be
/// written (a read-only checkout) is done without, since nothing is published. The
/// variants of images encoded then have no file to copy.
pub fn prepare_to_check(site: &Site, root: &Path) -> Result<(Published, Vec<Diagnostic>), Error> {
    let images = Images {
        root,
        cache: ImageCache::optional(root),
    };
    prepare_with(site, &images)
}

/// Where the stage reads images (paths relative to `root`) and keeps their variants.
struct Images<'a> {
    root: &'a Path,
    cache: ImageCache,
}

fn prepare_with(site: &Site, images: &Images<'_>) -> Result<(Published, Vec<Diagnostic>), Error> {
    let mut problems = Vec::new();
    let mut published = pages_media(site, images, false, &mut problems)?;
    static_images(site, images, &mut published, &mut problems)?;
    for translation in &site.translations {
        let mut media = pages_media(translation, images, true, &mut problems)?;
        published.files.append(&mut media.files);
        published.encoded.append(&mut media.encoded);
        published.translations.push(media);
    }
    published.encoded.sort();
    published.encoded.dedup();
    published.files.sort_by(|a, b| a.path.cmp(&b.path));
    published.files.dedup_by(|a, b| a.path == b.path);
    // A translation shares its original's bundle, and so the warnings about its files.
    diagnostics::sort(&mut problems);
    problems.dedup();
    Ok((published, problems))
}

/// The media of one language's pages: their bundles and lead images. In a `translation`,
/// a profile's lead image is its original's (with the original's positions), already
/// checked in the default language: only its picture is made again.
fn pages_media(
    site: &Site,
    images: &Images<'_>,
    translation: bool,
    problems: &mut Vec<Diagnostic>,
) -> Result<Published, Error> {
    let root = images.root;
    let mut published = Published::default();
    let mut wanted = Vec::new();
    for source in sources(site) {
        if let Some(bundle) = &source.media.bundle {
            problems.extend(check_references(&source, bundle));
            problems.extend(same_stems(bundle));
            for file in &bundle.files {
                if !is_raster(&file.name) {
                    problems.extend(author_warning(root, &file.path));
                }
                match take_file(root, &source, file, &mut published) {
                    Ok(Some(image)) => wanted.push(image),
                    Ok(None) => {}
                    Err(problem) => problems.push(problem),
                }
            }
        }
        if let Some(lead) = &source.media.image {
            let checked = translation && matches!(source.owner, Owner::Entity(_));
            match lead_source(site, &source, lead) {
                Ok((file, folder)) => wanted.push(Wanted {
                    source: file,
                    owner: source.owner,
                    name: None,
                    folder,
                    lead: Some(lead.clone()),
                }),
                Err(problem) if !checked => problems.push(problem),
                Err(_) => {}
            }
            if !checked {
                problems.extend(lead_warnings(&source, lead));
            }
        }
    }
    encode(images, wanted, &mut published, problems)?;
    Ok(published)
}

/// Puts every published file into the site through `put` (site-relative path, bytes): the
/// variants from the cache, the other files as they are, an SVG without its scripts when
/// `sanitize` (`sanitize_html: true`) is on.
pub fn write(
    published: &Published,
    sanitize: bool,
    put: impl Fn(&str, &[u8]) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    use rayon::prelude::*;
    published.files.par_iter().try_for_each(|file| {
        let bytes =
            std::fs::read(&file.source).map_err(|e| Error::io("copying", &file.source, e))?;
        match (file.svg && sanitize, std::str::from_utf8(&bytes)) {
            (true, Ok(text)) => put(&file.path, clean_svg(text).as_bytes()),
            _ => put(&file.path, &bytes),
        }
    })
}

/// An SVG without what could run in a reader's browser: `<script>` and `<foreignObject>`
/// elements, `on…=` handlers and `javascript:` URLs. Everything else is kept as written.
pub fn clean_svg(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = tag_end(rest);
        let tag = &rest[..end];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "script" || name == "foreignobject" {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match tag.ends_with("/>") {
                true => &rest[end..],
                false => match lower.find(&close) {
                    Some(at) => &rest[at + tag_end(&rest[at..])..],
                    None => "",
                },
            };
            continue;
        }
        out.push_str(&clean_attributes(tag));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the tag at the start of `text` ends, past its `>` (quotes respected).
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// A tag without its `on…` attributes and `javascript:` URLs.
fn clean_attributes(tag: &str) -> String {
    if tag.starts_with("<!") || tag.starts_with("<?") || tag.starts_with("</") {
        return tag.to_string();
    }
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while !rest.is_empty() {
        let Some(space) = rest.find(char::is_whitespace) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        let trimmed = rest.trim_start();
        let name: String = trimmed
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '=' && *c != '>' && *c != '/')
            .collect();
        let after_name = &trimmed[name.len()..];
        let value_len = attribute_value_len(after_name);
        let attribute = &rest[..rest.len() - trimmed.len() + name.len() + value_len];
        let value = after_name[..value_len].to_ascii_lowercase();
        let unsafe_name = name.to_ascii_lowercase().starts_with("on");
        let unsafe_url = value
            .replace(char::is_whitespace, "")
            .contains("javascript:");
        if name.is_empty() {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        }
        if !(unsafe_name || unsafe_url) {
            out.push_str(attribute);
        }
        rest = &rest[attribute.len()..];
    }
    out
}

/// The length of `="value"` (or `=value`) at the start of `text`, 0 when there is none.
fn attribute_value_len(text: &str) -> usize {
    let trimmed = text.trim_start();
    let Some(after) = trimmed.strip_prefix('=') else {
        return 0;
    };
    let lead = text.len() - trimmed.len() + 1;
    let value = after.trim_start();
    let lead = lead + after.len() - value.len();
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => match value[1..].find(q) {
            Some(end) => lead + end + 2,
            None => lead + value.len(),
        },
        _ => {
            lead + value
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(value.len())
        }
    }
}

/// The site-relative path of every bundle file as Markdown names it (`briefings/x/chart.png`),
/// which a page may link to: a raster image's path leads to its variants.
pub fn bundle_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for source in sources(site) {
        for file in source.media.bundle.iter().flat_map(|b| &b.files) {
            paths.push(format!("{}{}", source.folder, file.name));
        }
    }
    paths
}

/// One bundle file: an image to encode (returned), or an attachment published as it is
/// (filed in `published`); an error when its name is one sitroom writes itself.
fn take_file(
    root: &Path,
    source: &Source<'_>,
    file: &BundleFile,
    published: &mut Published,
) -> Result<Option<Wanted>, Diagnostic> {
    if RESERVED.contains(&file.name.to_ascii_lowercase().as_str()) {
        return Err(Diagnostic::error(
            &file.path,
            format!(
                "`{}` is the name of a file sitroom makes for this page",
                file.name
            ),
        )
        .with_help("rename it"));
    }
    if is_raster(&file.name) {
        return Ok(Some(Wanted {
            source: file.path.clone(),
            owner: source.owner,
            name: Some(file.name.clone()),
            folder: source.folder.clone(),
            lead: None,
        }));
    }
    let path = format!("{}{}", source.folder, file.name);
    published.files.push(OutFile {
        path: path.clone(),
        source: root.join(&file.path),
        svg: file.name.to_ascii_lowercase().ends_with(".svg"),
    });
    published
        .page_mut(source.owner)
        .files
        .insert(file.name.clone(), Item::Attachment(path));
    Ok(None)
}

/// Two images of one bundle whose names differ only in their extension (`map.png`,
/// `map.jpg`) would publish variants of the same names: an error.
fn same_stems(bundle: &Bundle) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut problems = Vec::new();
    for file in bundle.files.iter().filter(|f| is_raster(&f.name)) {
        let stem = Path::new(&file.name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if let Some(other) = seen.insert(stem, &file.name) {
            problems.push(
                Diagnostic::error(
                    &file.path,
                    format!(
                        "`{}` and `{other}` would publish images of the same names",
                        file.name
                    ),
                )
                .with_help("rename one of them"),
            );
        }
    }
    problems
}

/// The names of the files sitroom writes into a page's folder itself.
const RESERVED: &[&str] = &["index.html", "feed.xml"];

/// Every briefing and profile that has media.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let briefings = site.briefings.iter().map(|b| Source {
        owner: Owner::Briefing(b.id),
        folder: path::briefing(&b.slug),
        media: &b.media,
        path: &b.path,
        text: &b.text,
        body_start: b.body_start,
        body_line: b.body_line,
    });
    let entities = site.entities.iter().filter_map(|e| {
        let profile = e.profile.as_ref()?;
        Some(Source {
            owner: Owner::Entity(e.id),
            folder: path::entity(e.kind, &e.slug, 1),
            media: &profile.media,
            path: &profile.path,
            text: &profile.text,
            body_start: profile.body_start,
            body_line: profile.body_line,
        })
    });
    briefings
        .chain(entities)
        .filter(|s| s.media.bundle.is_some() || s.media.image.is_some())
        .collect()
}

/// Whether a file is a JPEG, PNG or WebP by its name: those are published only re-encoded.
pub fn is_raster(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // `.jfif`, `.jpe` and `.jif` are JPEGs too (browsers save some photos so), `.apng` a PNG.
    [
        ".jpg", ".jpeg", ".jpe", ".jfif", ".jif", ".png", ".apng", ".webp",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// The name of a bundle file a link or image refers to: a bare file name (`chart.png`,
/// `./statement.pdf`); `None` for anything else (other pages, other sites, anchors).
pub fn bundle_name(url: &str) -> Option<&str> {
    let url = url.trim();
    let url = url.strip_prefix("./").unwrap_or(url);
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let name = &url[..end];
    let plain = !name.is_empty() && !name.contains(['/', ':', '\\']) && !name.starts_with('.');
    (plain && name.contains('.')).then_some(name)
}

/// An error for every link or image in a bundle's body that names a file the bundle lacks.
fn check_references(source: &Source<'_>, bundle: &Bundle) -> Vec<Diagnostic> {
    let body = &source.text[source.body_start..];
    let mut problems = Vec::new();
    for (event, range) in Parser::new_ext(body, Options::ENABLE_WIKILINKS).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let Some(name) = bundle_name(&dest_url) else {
            continue;
        };
        if bundle.file(name).is_some() {
            continue;
        }
        let (line, column) = line_and_column(body, range.start);
        let folder = source.path.parent().unwrap_or(Path::new(""));
        let help =
            match crate::diagnostics::suggest(name, bundle.files.iter().map(|f| f.name.as_str())) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "put `{name}` in `{}`, beside `index.md`, or correct the name",
                    folder.display()
                ),
            };
        problems.push(
            Diagnostic::error(
                source.path,
                format!("`{name}` is not a file of this page's folder"),
            )
            .at_line_of(source.text, source.body_line + line - 1, column)
            .with_help(help),
        );
    }
    problems
}

/// Where a lead image is read (relative to the root) and the folder its variants go in.
fn lead_source(
    site: &Site,
    source: &Source<'_>,
    lead: &LeadImage,
) -> Result<(PathBuf, String), Diagnostic> {
    let src = lead.src.value.as_str();
    let problem = |message: String, help: &str| {
        Diagnostic::error(source.path, message)
            .at_position(source.text, lead.src.at)
            .with_help(help)
    };
    if !is_raster(src) {
        return Err(problem(
            format!("`{src}` is not a JPEG, PNG or WebP image"),
            "a lead image is a photo or picture; link other files from the text",
        ));
    }
    if let Some(file) = bundle_name(src).and_then(|n| source.media.bundle.as_ref()?.file(n)) {
        return Ok((file.path.clone(), source.folder.clone()));
    }
    let relative = src.trim_start_matches('/');
    let relative = relative.strip_prefix("static/").unwrap_or(relative);
    if site
        .static_files
        .iter()
        .any(|f| f.to_str() == Some(relative))
    {
        let folder = match relative.rsplit_once('/') {
            Some((folder, _)) => format!("{folder}/"),
            None => String::new(),
        };
        return Ok((Path::new("static").join(relative), folder));
    }
    let help = match source.media.bundle {
        Some(_) => "put the file beside `index.md`, or under `static/` and write its path there",
        None => {
            "make the page a folder with `index.md` and put the file beside it, or put it under `static/`"
        }
    };
    Err(problem(
        format!("`{src}` is neither a file of this page's folder nor under `static/`"),
        help,
    ))
}

/// A warning for an attachment that names its author in its own metadata (a PDF's
/// `Author`), which sitroom publishes as it is.
fn author_warning(root: &Path, file: &Path) -> Option<Diagnostic> {
    let bytes = std::fs::read(root.join(file)).ok()?;
    let names = super::attachments::authors(file, &bytes);
    (!names.is_empty()).then(|| {
        Diagnostic::warning(file, super::attachments::warning(&names))
            .with_help(super::attachments::HELP)
    })
}

/// The files under `static/` published as they are: every one but the JPEG, PNG and WebP
/// images, which are re-encoded in place ([`prepare`]).
pub fn static_as_is(site: &Site) -> impl Iterator<Item = &PathBuf> {
    site.static_files
        .iter()
        .filter(|file| !is_raster(&file.to_string_lossy()))
}

/// Every JPEG, PNG and WebP under `static/`, re-encoded at its own path in its own format
/// and size, so that its metadata is not published either; pages and stylesheets may name
/// it as it is.
fn static_images(
    site: &Site,
    images: &Images<'_>,
    published: &mut Published,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let files: Vec<(PathBuf, String)> = site
        .static_files
        .iter()
        .filter(|file| is_raster(&file.to_string_lossy()))
        .map(|file| {
            let path = file.to_string_lossy().replace('\\', "/");
            (Path::new("static").join(file), path)
        })
        .collect();
    let settings = ImageSettings {
        in_place: true,
        ..ImageSettings::default()
    };
    let sources = files.iter().map(|(file, _)| file.clone()).collect();
    let processed = process(images, sources, &settings, published, problems)?;
    for (file, path) in files {
        let Some(variant) = processed
            .get(&file)
            .and_then(|image| image.variants.first())
        else {
            continue;
        };
        published.files.push(OutFile {
            path,
            source: variant.path.clone(),
            svg: false,
        });
    }
    Ok(())
}

/// A lead image with no `alt` or no `credit` is published, with a warning.
fn lead_warnings(source: &Source<'_>, lead: &LeadImage) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let warning = |message: &str, help: &str| {
        Diagnostic::warning(source.path, message)
            .at_position(source.text, lead.at)
            .with_help(help)
    };
    if lead.alt.is_none() {
        warnings.push(warning(
            "the image has no `alt` text",
            "describe it under `image:`, like `alt: The delegations at the table`, for readers who cannot see it",
        ));
    }
    if lead.credit.is_none() {
        warnings.push(warning(
            "the image has no `credit`",
            "say whose picture it is under `image:`, like `credit: Photo by Adem Altan / AFP`",
        ));
    }
    warnings
}

/// Encodes (or takes from the cache) every wanted image, once per file, and files the
/// results under their pages.
fn encode(
    images: &Images<'_>,
    wanted: Vec<Wanted>,
    published: &mut Published,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let sources = wanted.iter().map(|w| w.source.clone()).collect();
    let processed = process(
        images,
        sources,
        &ImageSettings::default(),
        published,
        problems,
    )?;
    for w in wanted {
        let Some(image) = processed.get(&w.source) else {
            continue;
        };
        let stem = Path::new(&w.source)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let picture = Picture {
            image: image.clone(),
            folder: w.folder,
            stem,
        };
        for variant in &picture.image.variants {
            published.files.push(OutFile {
                path: picture.path_of(variant),
                source: variant.path.clone(),
                svg: false,
            });
        }
        let page = published.page_mut(w.owner);
        match (w.name, w.lead) {
            (Some(name), _) => {
                page.files.insert(name, Item::Image(picture));
            }
            (None, Some(lead)) => {
                page.lead = Some(Lead {
                    picture,
                    alt: lead.alt.unwrap_or_default(),
                    caption: lead.caption,
                    credit: lead.credit,
                });
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// Runs the images (paths relative to the root) through the cache with `settings`, each
/// file once and all on all cores: the processed ones by path, an error for each that
/// cannot be published, and the names of those encoded in `published.encoded`.
fn process(
    images: &Images<'_>,
    mut files: Vec<PathBuf>,
    settings: &ImageSettings,
    published: &mut Published,
    problems: &mut Vec<Diagnostic>,
) -> Result<HashMap<PathBuf, ProcessedImage>, Error> {
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Ok(HashMap::new());
    }
    let sources: Vec<SourceImage> = files
        .iter()
        .map(|file| SourceImage {
            path: images.root.join(file),
            name: file.clone(),
        })
        .collect();
    let batch = images.cache.process(&sources, settings)?;
    let mut processed = HashMap::new();
    for (file, result) in files.into_iter().zip(batch.images) {
        match result {
            Ok(image) => {
                processed.insert(file, image);
            }
            Err(problem) => problems.push(
                Diagnostic::error(&problem.name, format!("the image {}", problem.error))
                    .with_help(problem.error.help()),
            ),
        }
    }
    published.encoded.extend(batch.encoded);
    Ok(processed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_loses_scripts_and_handlers() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><script>alert(1)</script><a href="javascript:x()"><rect width="10" onclick='y()' fill="red"/></a><foreignObject><p>hi</p></foreignObject><text>1 &lt; 2</text></svg>"#;
        let clean = clean_svg(svg);
        for gone in ["onload", "script", "javascript", "onclick", "foreignObject"] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        for kept in [
            r#"<rect width="10" fill="red"/>"#,
            "<text>1 &lt; 2</text>",
            "xmlns=",
        ] {
            assert!(clean.contains(kept), "{kept} not in {clean}");
        }
    }

    #[test]
    fn bundle_names_are_bare_file_names() {
        assert_eq!(bundle_name("chart.png"), Some("chart.png"));
        assert_eq!(bundle_name("./statement.pdf#page=2"), Some("statement.pdf"));
        for other in [
            "/img/a.png",
            "../x/a.png",
            "https://e.org/a.png",
            "#notes",
            "mailto:a@b.c",
            "notes",
            "",
        ] {
            assert_eq!(bundle_name(other), None, "{other}");
        }
    }
}
