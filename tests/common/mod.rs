//! The test harness: small fixture sites written into temp folders, built with the real
//! library (or binary), and read back. Each integration test file does `mod common;`.
#![allow(dead_code)] // each test binary uses a different part of the harness

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A site in a temp folder. Dropped, it removes itself.
pub struct Fixture {
    pub dir: TempDir,
}

pub const SITE_YAML: &str = "title: Test Briefings\nbase_url: https://example.org/\ndescription: Tests.\nlanguage: en\nper_page: 2\n";

impl Fixture {
    /// An empty site with only `site.yaml`.
    pub fn new(site_yaml: &str) -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fixture.write("site.yaml", site_yaml);
        fixture
    }

    /// A small archive: three briefings over two months, profiles with aliases, a page.
    pub fn small() -> Fixture {
        let f = Fixture::new(SITE_YAML);
        f.write(
            "content/people/volodymyr-zelensky.md",
            "---\nname: Volodymyr Zelensky\naliases: [Zelenskyy, Володимир Зеленський]\nrole: President of Ukraine\ncountry: Ukraine\naffiliations: [Government of Ukraine]\nwikidata: Q3874799\n---\nPresident of Ukraine.\n",
        );
        f.write(
            "content/organisations/government-of-ukraine.md",
            "---\nname: Government of Ukraine\naliases: [Ukrainian government]\n---\nThe cabinet.\n",
        );
        f.write(
            "content/briefings/2025/04/talks-planned.md",
            "---\ntitle: Talks planned\ndate: 2025-04-30\nsummary: Plans.\npeople: [Zelenskyy]\nplaces: [Istanbul]\ntags: [negotiations]\nsources:\n  - title: Report\n    publisher: AFP\n    url: https://example.org/a\n    date: 2025-04-30\n---\nTalks are planned.\n",
        );
        f.write(
            "content/briefings/2025/05/talks-open.md",
            "---\ntitle: Talks open in Istanbul\ndate: 2025-05-16\nsummary: Direct talks resume.\npeople: [Volodymyr Zelensky, Vladimir Medinsky]\norganisations: [NATO]\nplaces: [Istanbul]\ntags: [negotiations, ceasefire]\nsources:\n  - title: Report\n    url: https://example.org/b\n---\nSee [[talks-planned]] for background.\n\n## Who came\n\n```rust\nfn main() {}\n```\n",
        );
        f.write(
            "content/briefings/2025/05/reactions.md",
            "---\ntitle: Reactions\ndate: 2025-05-17\nsummary: Leaders react.\npeople: [володимир зеленський, Rustem Umerov]\norganisations: [NATO]\ntags: [ceasefire]\n---\nLeaders reacted.\n",
        );
        f.write(
            "content/pages/about.md",
            "---\ntitle: About\nsummary: What this is.\n---\nAn archive.\n",
        );
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        std::fs::write(path, text).expect("write fixture file");
    }

    /// Writes a real PNG picture (4 × 2 pixels, no metadata): a raster image under
    /// `static/` must decode, since it is published re-encoded.
    pub fn write_png(&self, relative: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        image::RgbImage::from_pixel(4, 2, image::Rgb([200, 30, 30]))
            .save_with_format(path, image::ImageFormat::Png)
            .expect("write a PNG");
    }

    /// Builds with the library into `<root>/public`.
    pub fn build(&self) -> Result<sitroom::Report, sitroom::Error> {
        sitroom::build(&sitroom::BuildOptions::new(self.root()))
    }

    pub fn build_with(
        &self,
        f: impl FnOnce(&mut sitroom::BuildOptions),
    ) -> Result<sitroom::Report, sitroom::Error> {
        let mut options = sitroom::BuildOptions::new(self.root());
        f(&mut options);
        sitroom::build(&options)
    }

    /// Runs the `sitroom` binary in the fixture's folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sitroom"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run sitroom")
    }

    /// A built file's text, relative to `public/`.
    pub fn output(&self, relative: &str) -> String {
        let path = self.path("public").join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path("public").join(relative).exists()
    }
}

/// Every file under `dir`, relative to it, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The text between `<main` and `</main>`, which is what a page says (not the chrome).
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// Every `href="…"` and `src="…"` value in a page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("closing quote");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// Every internal href and src of every page resolves to a file in the output.
pub fn assert_no_broken_links(f: &Fixture, prefix: &str) {
    let public = f.path("public");
    let all: std::collections::BTreeSet<String> = files(&public).into_iter().collect();
    let mut checked = 0;
    for file in all.iter().filter(|f| f.ends_with(".html")) {
        let html = f.output(file);
        for link in links(&html) {
            if link.starts_with("http") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap_or("");
            let relative = path
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{file}: `{link}` is outside `{prefix}`"));
            let target = if relative.is_empty() || relative.ends_with('/') {
                format!("{relative}index.html")
            } else {
                relative.to_string()
            };
            assert!(
                all.contains(&target),
                "{file}: `{link}` resolves to no file"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}
