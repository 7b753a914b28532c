//! The only tera user. Compiles the embedded default templates, with a site's own
//! `templates/*.html` replacing those of the same name, once per build; renders a typed
//! view into a page, within a budget. Template errors become diagnostics that name the
//! file and line.

use std::cell::Cell;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult};

use crate::diagnostics::Diagnostic;

/// What rendering one page may cost (#16). Templates are the site's own code, but a loop
/// typed wrong (three nested `range(end=100000)`) must fail its page with a message, not
/// hang `build` or wedge `serve`. Tera has no hook for loop steps or time; what it does let
/// a caller bound are the two ways such a loop grows: the numbers `range` makes (Tera caps
/// one call at 100,000, not the calls) and the text written. Both count work, not time, so
/// a page passes or fails alike on every machine. Not bounded: a loop over the site's own
/// lists that writes nothing (bounded by the archive's size instead), and text kept in a
/// `{% set %}` block until it is written.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;
/// The numbers all the `range` calls of one page may make together.
pub const MAX_RANGE_NUMBERS: u64 = 1_000_000;
/// Tera's own limit for one `range` call, kept.
const MAX_ONE_RANGE: i128 = 100_000;

thread_local! {
    /// The numbers `range` may still make for the page this thread renders; `None` once
    /// they ran out. Tera gives a function no per-render data, but it renders a page on the
    /// calling thread from start to end and starts no other work meanwhile, so a count per
    /// thread, reset by `render` before and after, is a count per page.
    static RANGE_LEFT: Cell<Option<u64>> = const { Cell::new(Some(MAX_RANGE_NUMBERS)) };
}

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
    /// The template of the first page that ran over the budget. The pages after it are not
    /// rendered: a runaway loop in `base.html` would otherwise cost its budget on every page.
    overrun: OnceLock<String>,
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
        tera.register_function("range", range);
        let mut templates = Templates {
            tera,
            overridden,
            overrun: OnceLock::new(),
        };
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

    /// Renders `name` with the fields of `view` as its variables, for the page at `page`
    /// (its site-relative URL path, named should the page run over its budget).
    pub fn render(
        &self,
        name: &str,
        page: &str,
        view: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        if let Some(first) = self.overrun.get() {
            return Err(Diagnostic::error(
                self.display_path(first),
                "the pages after the first that ran over the render budget were not rendered",
            )
            .with_help("fix the loop on that page; the next build renders them all"));
        }
        let context = Context::from_serialize(view).map_err(|e| self.diagnostic(&e, Some(name)))?;
        let mut out = Capped::default();
        RANGE_LEFT.set(Some(MAX_RANGE_NUMBERS));
        let rendered = self.tera.render_to(name, &context, &mut out);
        let range_ran_out = RANGE_LEFT.replace(Some(MAX_RANGE_NUMBERS)).is_none();
        match rendered {
            Ok(()) => {
                String::from_utf8(out.bytes).map_err(|e| self.diagnostic(&e.into(), Some(name)))
            }
            Err(e) if out.over || range_ran_out => Err(self.overran(&e, name, page, out.over)),
            Err(e) => Err(self.diagnostic(&e, Some(name))),
        }
    }

    /// The diagnostic of a page that ran over its budget, located at the `range` call when
    /// that is what ran out (the text written has no place to point at).
    fn overran(
        &self,
        err: &tera::Error,
        name: &str,
        page: &str,
        wrote_too_much: bool,
    ) -> Diagnostic {
        let _ = self.overrun.set(name.to_string());
        let what = if wrote_too_much {
            format!("it wrote more than {} MiB", MAX_PAGE_BYTES >> 20)
        } else {
            format!("its `range` calls made more than {MAX_RANGE_NUMBERS} numbers")
        };
        let mut diagnostic = if wrote_too_much {
            Diagnostic::error(self.display_path(name), String::new())
        } else {
            self.diagnostic(err, Some(name))
        };
        diagnostic.message =
            format!("rendering the page `/{page}` ran over the render budget: {what}");
        diagnostic.with_help(
            "a loop that runs far longer than meant, perhaps loops nested by mistake; \
             the README lists the render budget",
        )
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

/// The page being rendered, refusing to grow past `MAX_PAGE_BYTES`: Tera stops at the
/// first failed write.
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the page ran over the render budget"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Tera's `range(start, end, step_by)`, counting what it makes against the page's budget.
fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    let len = range_len(start, end, step).map_err(tera::Error::message)?;
    if len > MAX_ONE_RANGE {
        return Err(tera::Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_ONE_RANGE}"
        )));
    }
    let len = len as u64;
    let left = RANGE_LEFT.get().unwrap_or(0);
    if len > left {
        RANGE_LEFT.set(None);
        return Err(tera::Error::message(format!(
            "`range` would make more than {MAX_RANGE_NUMBERS} numbers on this page"
        )));
    }
    RANGE_LEFT.set(Some(left - len));
    Ok((0..len as i128).map(|i| start + i * step).collect())
}

/// How many numbers `range` makes, with Tera's own errors for arguments it refuses.
fn range_len(start: i128, end: i128, step: i128) -> Result<i128, &'static str> {
    let overflow = "Function `range` was called with arguments that overflow i128";
    if start > end && step > 0 {
        return Err(
            "Function `range` was called with a `start` argument greater than the `end` one",
        );
    }
    if step == 0 {
        return Err("Function `range` was called with a `step_by` argument of 0");
    }
    if step > 0 {
        let span = end.checked_sub(start).ok_or(overflow)?;
        Ok(span.checked_add(step - 1).ok_or(overflow)? / step)
    } else if start <= end {
        Ok(0)
    } else {
        let step = step.checked_neg().ok_or(overflow)?;
        let span = start.checked_sub(end).ok_or(overflow)?;
        Ok(span.checked_add(step - 1).ok_or(overflow)? / step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(page: &str) -> Templates {
        let own = vec![("page.html".to_string(), page.to_string())];
        Templates::new(&own, &serde_json::json!({})).expect("templates compile")
    }

    #[test]
    fn range_counts_as_tera_does() {
        let t = templates(
            "{% for i in range(end=3) %}{{ i }}{% endfor %} {% for i in range(start=5, end=0, step_by=-2) %}{{ i }}{% endfor %} {{ range(start=2, end=9, step_by=3) }}",
        );
        let page = t
            .render("page.html", "about/", &serde_json::json!({}))
            .unwrap();
        assert_eq!(page, "012 531 [2, 5, 8]");
    }

    #[test]
    fn nested_ranges_run_over_the_budget_at_the_call() {
        let t = templates(
            "<p>\n{%- for i in range(end=100000) -%}{%- for j in range(end=100000) -%}\n{%- for k in range(end=100000) -%}{%- endfor -%}{%- endfor -%}{%- endfor -%}",
        );
        let problem = t
            .render("page.html", "about/", &serde_json::json!({}))
            .unwrap_err();
        assert_eq!(problem.path, std::path::Path::new("templates/page.html"));
        assert_eq!(problem.line, 3, "{problem:?}");
        assert!(
            problem.message.starts_with(
                "rendering the page `/about/` ran over the render budget: its `range` calls"
            ),
            "{}",
            problem.message
        );
        // The pages after it fail at once, with one message for them all.
        let next = t
            .render("page.html", "other/", &serde_json::json!({}))
            .unwrap_err();
        assert!(
            next.message.contains("were not rendered"),
            "{}",
            next.message
        );
    }

    #[test]
    fn a_page_that_writes_too_much_runs_over_the_budget() {
        let kib = "x".repeat(1024);
        let t = templates(&format!(
            "{{% for i in range(end=100000) %}}{kib}{{% endfor %}}"
        ));
        let problem = t
            .render("page.html", "about/", &serde_json::json!({}))
            .unwrap_err();
        assert!(
            problem
                .message
                .ends_with("ran over the render budget: it wrote more than 64 MiB"),
            "{}",
            problem.message
        );
        // A fresh set of templates (the next build, serve's next rebuild) starts anew.
        let t = templates("{% for i in range(end=100000) %}{% endfor %}ok");
        assert_eq!(
            t.render("page.html", "about/", &serde_json::json!({}))
                .unwrap(),
            "ok"
        );
    }
}
