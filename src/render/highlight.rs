//! The only syntect user: fenced code becomes HTML with CSS classes (`hl-…`), and the
//! theme's stylesheet is made once for the whole site. The syntax and theme sets are loaded
//! once per process; they never change, so sharing them across threads is safe.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// `code` as highlighted HTML inside `<pre><code>`, or `None` when the language is unknown
/// (the caller then writes the code plain).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let class = crate::render::markdown::escape(language);
    Some(format!(
        "<pre class=\"hl\"><code class=\"language-{class}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers whose
/// system prefers it (each only in its scheme). Each theme draws on its own background, and every colour it gives
/// text is darkened (or, on a dark background, lightened) until it reads at 4.5:1 there,
/// as WCAG AA asks: the themes' own greys and greens do not (#15).
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| {
                let css = css_for_theme_with_class_style(theme, CLASS_STYLE).ok()?;
                let background = theme.settings.background.map(|c| [c.r, c.g, c.b])?;
                let foreground = theme
                    .settings
                    .foreground
                    .map_or([0x33; 3], |c| [c.r, c.g, c.b]);
                Some(format!(
                    "pre.hl {{ background: {}; color: {}; }}\n{}",
                    hex(background),
                    hex(readable(foreground, background)),
                    readable_css(&css, background)
                ))
            })
            .unwrap_or_default()
    };
    // Each theme in its own scheme only: the light theme's more specific rules would
    // otherwise colour the dark theme's code too.
    format!(
        "@media (prefers-color-scheme: light) {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}

/// `css` with each rule's text colour made readable on the rule's own background, or on
/// `background` when it sets none.
fn readable_css(css: &str, background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for rule in css.split_inclusive('}') {
        let own = rule
            .find("background-color: #")
            .and_then(|at| parse_hex(&rule[at + 19..]));
        let on = own.unwrap_or(background);
        let mut rest = rule;
        while let Some(at) = rest.find("color: #") {
            let is_background = rest[..at].ends_with("background-");
            let start = at + "color: #".len();
            out.push_str(&rest[..start - 1]);
            match parse_hex(&rest[start..]).filter(|_| !is_background) {
                Some(colour) => {
                    out.push_str(&hex(readable(colour, on)));
                    rest = &rest[start + 6..];
                }
                None => rest = &rest[start - 1..],
            }
            if rest.starts_with('#') {
                out.push('#');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
    }
    out
}

fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let digits = text.get(..6)?;
    let n = u32::from_str_radix(digits, 16).ok()?;
    Some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(colour: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour[0]) + 0.7152 * channel(colour[1]) + 0.0722 * channel(colour[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `colour`, moved towards black on a light background (white on a dark one) just far
/// enough to read at 4.6:1 on `background`.
fn readable(colour: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target = if luminance(background) > 0.18 {
        0u8
    } else {
        255u8
    };
    let mut mixed = colour;
    for step in 0..=20 {
        let t = step as f64 / 20.0;
        mixed = colour.map(|c| (c as f64 + (target as f64 - c as f64) * t).round() as u8);
        if contrast(mixed, background) >= 4.6 {
            break;
        }
    }
    mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
        assert!(stylesheet().contains(".hl-"));
    }

    #[test]
    fn issue_15_every_colour_reads_on_its_background() {
        let css = stylesheet();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for (part, background) in [(light, [0xff; 3]), (dark, [0x2b, 0x30, 0x3b])] {
            assert!(part.contains(&format!("pre.hl {{ background: {};", hex(background))));
            for rule in part.split_inclusive('}') {
                let on = rule
                    .find("background-color: #")
                    .and_then(|at| parse_hex(&rule[at + 19..]))
                    .unwrap_or(background);
                for (at, _) in rule.match_indices("color: #") {
                    if rule[..at].ends_with("background-") {
                        continue;
                    }
                    let colour = parse_hex(&rule[at + 8..]).unwrap();
                    assert!(contrast(colour, on) >= 4.5, "{rule}");
                }
            }
        }
        // The comment grey of the light theme, #969896, was 2.9:1 on white.
        assert!(!light.contains("#969896"));
    }
}
