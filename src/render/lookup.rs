//! The list of every name and alias (`search/names/`): where the search form goes when the
//! reader's browser runs no JavaScript, so a name can still be found (with the browser's
//! Find) and followed to its page. Rendered with `page.html`; reads only the `Site`.

use std::fmt::Write;

use super::views::{PageDetail, PageView};
use super::{Renderer, kind_label, markdown::escape};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::urls::path;

impl Renderer<'_> {
    pub(super) fn search_names(&self, url_path: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let site = self.site;
        // Each entity's other names, as they resolve (an alias two profiles claim is the
        // first's).
        let mut aliases: Vec<Vec<&str>> = vec![Vec::new(); site.entities.len()];
        for (name, id) in &site.names {
            let e = site.entity(*id);
            if name != &e.name && !aliases[id.0 as usize].contains(&name.as_str()) {
                aliases[id.0 as usize].push(name);
            }
        }
        let link = |kind: Kind| self.urls.link(&path::entity_index(kind, 1));
        let mut body = format!(
            "<p class=\"note\">Search needs JavaScript, which is off in this browser. Below is every \
             name in the archive, with the other names it goes by, each linking to its page: use \
             your browser’s Find (Ctrl+F, or ⌘F) to look one up. You can also browse \
             <a href=\"{}\">people</a>, <a href=\"{}\">organisations</a>, <a href=\"{}\">places</a> \
             and <a href=\"{}\">tags</a> A–Z, or <a href=\"{}\">the archive</a> by date.</p>\n",
            link(Kind::Person),
            link(Kind::Organisation),
            link(Kind::Place),
            link(Kind::Tag),
            self.urls.link(&path::archive()),
        );
        for kind in Kind::ALL {
            let ids = &site.by_kind[kind.index()];
            if ids.is_empty() {
                continue;
            }
            let _ = write!(
                body,
                "<h2>{}</h2>\n<ul class=\"names\">\n",
                kind_label(&site.words, kind)
            );
            for &id in ids {
                let e = site.entity(id);
                let _ = write!(
                    body,
                    "<li><a href=\"{}\">{}</a>",
                    self.urls.link(&path::entity(kind, &e.slug, 1)),
                    escape(&e.name)
                );
                let other = &aliases[id.0 as usize];
                if !other.is_empty() {
                    let list: Vec<String> = other.iter().map(|a| escape(a)).collect();
                    let _ = write!(body, " <span class=\"aka\">{}</span>", list.join(" · "));
                }
                body.push_str("</li>\n");
            }
            body.push_str("</ul>\n");
        }
        let title = "Every name and alias".to_string();
        let summary = format!(
            "Every person, organisation, place and tag {} names, with the other names they go by.",
            site.config.title
        );
        let view = PageView {
            meta: self.meta(title.clone(), summary.clone(), url_path, "search"),
            page: PageDetail {
                title,
                summary,
                body,
            },
        };
        self.page_html("page.html", url_path, &view)
    }
}
