//! Media in pages: a bundle's images as `<picture>` with `srcset`, links to its other
//! files, the lead image as a `<figure>` with caption and credit, and the maps of places.
//! Pure: the images come from [`Published`], made by the media stage before render, and
//! the maps from the places' coordinates in the `Site`.

use super::Renderer;
use super::markdown::{LinkTargets, escape};
use crate::content::Kind;
use crate::i18n::Key;
use crate::media::cache::{Variant, srcset};
use crate::media::maps::{self, Coordinates, MapPlace};
use crate::media::publish::{Item, Lead, Owner, PageMedia, Picture, Published};
use crate::model::{Briefing, Entity, EntityId};
use crate::urls::Urls;

/// The render without media (a bare `Renderer::new`, as for the problems of a site that
/// failed): pages link to bundle files by name.
pub(super) static NO_MEDIA: Published = Published::EMPTY;

/// How a figure and its caption look, as the activity chart's do. Written on the elements
/// rather than in `style.css`, whose bytes every site without media keeps as they were.
const FIGURE_STYLE: &str = "margin:1.5rem 0";
const CAPTION_STYLE: &str = "font:.85rem/1.5 var(--sans);color:var(--muted);margin-top:.4rem";

/// The width an image takes in the page: the text column (42rem less its padding) on a
/// wide screen, the screen's width on a phone.
const SIZES: &str = "(min-width: 44rem) 40rem, 100vw";

/// What a page template shows of its media: `image` (the lead image, portrait or logo, as
/// a `<figure>`) and `map`, both HTML to print with `| safe`, or nothing.
#[derive(serde::Serialize, Default)]
pub struct MediaView {
    pub image: Option<String>,
    pub map: Option<String>,
}

impl<'a> Renderer<'a> {
    /// This renderer, showing the images and files the media stage published.
    pub fn with_media(mut self, media: &'a Published) -> Renderer<'a> {
        self.media = media;
        for (translation, own) in self.translations.iter_mut().zip(&media.translations) {
            translation.renderer.media = own;
        }
        self
    }

    pub(super) fn page_media(&self, owner: Owner) -> Option<&PageMedia> {
        self.media.page(owner)
    }

    /// What a body's links resolve against: the site's briefings and the page's own files.
    pub(super) fn targets(&self, owner: Owner) -> PageTargets<'_> {
        PageTargets {
            renderer: self,
            media: self.page_media(owner),
        }
    }

    /// The lead image's absolute URL, for `og:image`, JSON-LD and feeds.
    pub(super) fn lead_url(&self, owner: Owner) -> Option<String> {
        let lead = self.page_media(owner)?.lead.as_ref()?;
        let variant = lead.picture.image.fallback()?;
        Some(self.urls.shared_absolute(&lead.picture.path_of(variant)))
    }

    /// The lead image as schema.org's `ImageObject`: its URL, size, caption and credit.
    pub(super) fn lead_json(&self, owner: Owner) -> Option<serde_json::Value> {
        let lead = self.page_media(owner)?.lead.as_ref()?;
        let variant = lead.picture.image.fallback()?;
        let mut image = serde_json::json!({
            "@type": "ImageObject",
            "url": self.urls.shared_absolute(&lead.picture.path_of(variant)),
            "width": variant.width,
            "height": variant.height,
        });
        if let Some(caption) = &lead.caption {
            image["caption"] = serde_json::json!(caption);
        }
        if let Some(credit) = &lead.credit {
            image["creditText"] = serde_json::json!(credit);
        }
        Some(image)
    }

    /// An Atom entry's link to its briefing's lead image.
    pub(super) fn lead_enclosure(&self, id: crate::model::BriefingId) -> Option<String> {
        let lead = self.page_media(Owner::Briefing(id))?.lead.as_ref()?;
        let variant = lead.picture.image.fallback()?;
        let url = self.urls.shared_absolute(&lead.picture.path_of(variant));
        Some(format!(
            "<link rel=\"enclosure\" type=\"{}\" length=\"{}\" href=\"{}\"/>\n",
            variant.format.mime(),
            variant.len,
            escape(&url)
        ))
    }

    /// A briefing's lead image and the small map of its places.
    pub(super) fn briefing_media(&self, briefing: &Briefing) -> MediaView {
        let places: Vec<MapPlace> = briefing.entities[Kind::Place.index()]
            .iter()
            .filter_map(|&id| self.map_place(id))
            .collect();
        MediaView {
            image: self.figure(Owner::Briefing(briefing.id)),
            map: maps::titled_locator_map(
                &places,
                self.map_title(Key::MapOfBriefing, None).as_deref(),
            )
            .map(|m| map_html(&m, "locator")),
        }
    }

    /// An entity's portrait or logo and, for a place with coordinates, its map.
    pub(super) fn entity_media(&self, entity: &Entity) -> MediaView {
        MediaView {
            image: self.figure(Owner::Entity(entity.id)),
            map: self.map_place(entity.id).map(|p| {
                let title = self.map_title(Key::MapOf, Some(&p.name));
                map_html(&maps::titled_place_map(&p, title.as_deref()), "place")
            }),
        }
    }

    /// The map of every place with coordinates, for the places index.
    pub(super) fn overview_map(&self) -> Option<String> {
        let places: Vec<MapPlace> = self.site.by_kind[Kind::Place.index()]
            .iter()
            .filter_map(|&id| self.map_place(id))
            .collect();
        let title = self.map_title(Key::MapOfAllPlaces, None);
        maps::titled_overview_map(&places, title.as_deref()).map(|m| map_html(&m, "overview"))
    }

    /// A map's title in the page's language; `None` in English, whose maps title
    /// themselves (and say more in their text alternative).
    fn map_title(&self, key: Key, name: Option<&str>) -> Option<String> {
        let words = &self.site.words;
        if words.language().code().starts_with("en") {
            return None;
        }
        Some(match name {
            Some(name) => words.format(key, &[("name", name)]),
            None => words.text(key).into_owned(),
        })
    }

    fn map_place(&self, id: EntityId) -> Option<MapPlace> {
        let entity = self.site.entity(id);
        let [lat, lon] = entity.profile.as_ref()?.media.coordinates?;
        Some(MapPlace {
            name: entity.name.clone(),
            at: Coordinates::new(lat, lon).ok()?,
            count: entity.briefings.len(),
        })
    }

    fn figure(&self, owner: Owner) -> Option<String> {
        let lead = self.page_media(owner)?.lead.as_ref()?;
        figure(&self.urls, lead)
    }
}

/// A body's link targets on one page: a file of its bundle by name, else as the site's.
pub(super) struct PageTargets<'r> {
    renderer: &'r Renderer<'r>,
    media: Option<&'r PageMedia>,
}

impl LinkTargets for PageTargets<'_> {
    fn briefing(&self, slug: &str) -> Option<(String, String)> {
        LinkTargets::briefing(self.renderer, slug)
    }

    fn base_path(&self) -> &str {
        LinkTargets::base_path(self.renderer)
    }

    fn bundle_link(&self, name: &str) -> Option<String> {
        let path = match self.media?.files.get(name)? {
            Item::Attachment(path) => path.clone(),
            Item::Image(picture) => picture.path_of(picture.image.fallback()?),
        };
        Some(self.renderer.urls.shared(&path))
    }

    fn bundle_image(&self, name: &str, alt: &str) -> Option<String> {
        match self.media?.files.get(name)? {
            Item::Image(picture) => picture_html(&self.renderer.urls, picture, alt, true),
            Item::Attachment(_) => None,
        }
    }
}

/// `<img>` with `srcset`, `sizes`, `width` and `height` (so the page does not move as it
/// loads), inside a `<picture>` with the WebP variants when there are any. Lazy unless it
/// is the first thing a reader sees.
pub fn picture_html(urls: &Urls, picture: &Picture, alt: &str, lazy: bool) -> Option<String> {
    let image = &picture.image;
    let fallback = image.fallback()?;
    let url = |v: &Variant| escape(&urls.shared(&picture.path_of(v)));
    let loading = match lazy {
        true => r#" loading="lazy" decoding="async""#,
        false => "",
    };
    let img = format!(
        r#"<img src="{}" srcset="{}" sizes="{SIZES}" width="{}" height="{}" alt="{}"{loading}>"#,
        url(fallback),
        srcset(image.fallbacks(), url),
        fallback.width,
        fallback.height,
        escape(alt),
    );
    if image.webps().next().is_none() {
        return Some(img);
    }
    Some(format!(
        r#"<picture><source type="image/webp" srcset="{}" sizes="{SIZES}">{img}</picture>"#,
        srcset(image.webps(), url)
    ))
}

/// The lead image with its caption and credit.
fn figure(urls: &Urls, lead: &Lead) -> Option<String> {
    let picture = picture_html(urls, &lead.picture, &lead.alt, false)?;
    let mut caption = String::new();
    if let Some(text) = &lead.caption {
        caption.push_str(&escape(text));
    }
    if let Some(credit) = &lead.credit {
        if !caption.is_empty() {
            caption.push(' ');
        }
        caption.push_str(&format!(
            r#"<span class="credit">{}</span>"#,
            escape(credit)
        ));
    }
    let caption = match caption.is_empty() {
        true => String::new(),
        false => format!(r#"<figcaption style="{CAPTION_STYLE}">{caption}</figcaption>"#),
    };
    Some(format!(
        r#"<figure class="lead-image" style="{FIGURE_STYLE}">{picture}{caption}</figure>"#
    ))
}

/// A map and its text alternative, shown as the caption.
fn map_html(map: &maps::Map, class: &str) -> String {
    // A briefing's locator map is a small one, beside the text's width.
    let width = match class {
        "locator" => ";max-width:24rem",
        _ => "",
    };
    format!(
        "<figure class=\"map-figure map-{class}-figure\" style=\"{FIGURE_STYLE}{width}\">{}<figcaption style=\"{CAPTION_STYLE}\">{}</figcaption></figure>",
        map.svg,
        escape(&map.alt)
    )
}
