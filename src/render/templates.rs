//! The only tera user. Compiles the embedded default templates, with a site's own
//! `templates/*.html` replacing those of the same name, once per build; renders a typed
//! view into a page. Template errors become diagnostics that name the file and line.

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::Diagnostic;

/// The default templates, built into the binary so that a bare site always builds.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("entity.html", include_str!("../../templates/entity.html")),
    (
        "entities.html",
        include_str!("../../templates/entities.html"),
    ),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// Compiled templates, ready to render any number of pages from any thread.
pub struct Templates {
    tera: Tera,
    /// The site's own templates (name, text), to point into them in errors.
    overridden: Vec<(String, String)>,
}

impl Templates {
    /// Compiles the defaults with the site's overrides; every broken template is reported.
    pub fn new(
        site_templates: &[(String, String)],
        site: &impl Serialize,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let overridden = site_templates.to_vec();
        let mut sources: Vec<(&str, &str)> = DEFAULTS
            .iter()
            .filter(|(name, _)| !overridden.iter().any(|(o, _)| o == name))
            .copied()
            .collect();
        sources.extend(site_templates.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let mut templates = Templates { tera, overridden };
        if let Err(err) = templates.tera.add_raw_templates(sources) {
            let located = match err.kind() {
                ErrorKind::Msg(text) => templates.validation_reports(text),
                _ => Vec::new(),
            };
            return Err(if located.is_empty() {
                vec![templates.diagnostic(&err, None)]
            } else {
                located
            });
        }
        templates.tera.global_context().insert("site", site);
        Ok(templates)
    }

    /// Renders `name` with the fields of `view` as its variables.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(view).map_err(|e| self.diagnostic(&e, Some(name)))?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.diagnostic(&e, Some(name)))
    }

    /// Whether the site (or the defaults) has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The path an editor would open for a template: theirs, or the built-in default.
    fn display_path(&self, name: &str) -> String {
        if self.overridden.iter().any(|(o, _)| o == name) {
            format!("templates/{name}")
        } else {
            format!("templates/{name} (built-in)")
        }
    }

    fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                let file = if report.filename().is_empty() {
                    rendering.unwrap_or("")
                } else {
                    report.filename()
                };
                let source = self.source_of(file);
                Diagnostic::error(self.display_path(file), report.message().to_string())
                    .at_line_of(source, span.start_line, span.start_col + 1)
                    .with_help(if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                        "fix the template syntax here; see the README for the variables each template gets"
                    } else {
                        "check the variable names against the README's list for this template"
                    })
            }
            _ => self.unlocated(err, rendering),
        }
    }

    /// Every problem of a template set that compiled but does not hold together (a block
    /// no parent has, an unknown filter, a missing include), located. Tera reports them as
    /// one text of rustc-style reports: `error: …` then ` --> name:line:col`.
    fn validation_reports(&self, text: &str) -> Vec<Diagnostic> {
        text.split("\n\n")
            .filter_map(|report| {
                let message = report.lines().find_map(|l| l.strip_prefix("error: "))?;
                let place = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
                let mut parts = place.rsplitn(3, ':');
                let column: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                let name = parts.next()?;
                Some(
                    Diagnostic::error(self.display_path(name), message.to_string())
                        .at_line_of(self.source_of(name), line, column)
                        .with_help("fix this template; the README lists the blocks of `base.html` and what each template gets"),
                )
            })
            .collect()
    }

    fn unlocated(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let file = rendering
            .map(|n| self.display_path(n))
            .unwrap_or_else(|| "templates/".into());
        Diagnostic::error(file, err.to_string())
            .with_help("check the template names in `extends` and `include`")
    }

    fn source_of(&self, name: &str) -> &str {
        let own = self
            .overridden
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str());
        own.or_else(|| DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
            .unwrap_or("")
    }
}
