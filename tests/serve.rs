//! `sitroom serve` end to end: the real binary on a free port of 127.0.0.1, fetched over
//! HTTP while a briefing is edited on disk. Waits are polls with a bound, never timings.

mod common;
mod served;

use std::sync::Arc;

use common::Fixture;
use served::Served;

const PAGE: &str = "/briefings/talks-open/";
const FILE: &str = "content/briefings/2025/05/talks-open.md";

#[test]
fn serve_rebuilds_on_save_and_survives_a_broken_edit() {
    let f = Fixture::small();
    let served = Served::start(&f);

    let (status, page) = served.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Talks open in Istanbul"), "{page}");
    assert!(
        page.contains("/__sitroom/events"),
        "serve injects the reload script"
    );
    let base = format!("http://{}/", served.address);
    assert!(
        page.contains(&format!("{base}briefings/talks-open/")),
        "base_url points at serve"
    );

    // An edited title is served after the rebuild, on the page and on the home page.
    let original = std::fs::read_to_string(f.path(FILE)).expect("briefing");
    f.write(
        FILE,
        &original.replace("Talks open in Istanbul", "Talks resume in Istanbul"),
    );
    let page = served.wait_for(PAGE, |b| b.contains("Talks resume in Istanbul"));
    assert!(page.contains("Talks resume in Istanbul"), "{page}");
    let home = served.wait_for("/", |b| b.contains("Talks resume in Istanbul"));
    assert!(home.contains("Talks resume in Istanbul"));
    let person = served.wait_for("/people/volodymyr-zelensky/", |b| {
        b.contains("Talks resume in Istanbul")
    });
    assert!(person.contains("Talks resume in Istanbul"), "{person}");
    let (_, neighbour) = served.get("/briefings/talks-planned/");
    assert!(
        neighbour.contains("Talks resume in Istanbul"),
        "the next briefing's card"
    );
    assert!(
        served.first_event().is_empty(),
        "a healthy site sends no problem"
    );

    // A broken edit is reported; the last good page stays.
    f.write(
        FILE,
        &original.replace("date: 2025-05-16", "date: 2025-13-45"),
    );
    let stderr = served.wait_for_stderr("is not a date");
    assert!(
        stderr.contains("content/briefings/2025/05/talks-open.md:3:7: error: `date` is `2025-13-45`, which is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("the last good site is still served"));
    let (status, page) = served.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Talks resume in Istanbul"), "{page}");
    let event = served.first_event();
    assert!(
        event.starts_with(
            "event: problem\ndata: \"content/briefings/2025/05/talks-open.md:3:7: error:"
        ),
        "{event}"
    );

    // Fixing the file recovers without a restart.
    f.write(
        FILE,
        &original.replace("Talks open in Istanbul", "Talks end in Istanbul"),
    );
    let page = served.wait_for(PAGE, |b| b.contains("Talks end in Istanbul"));
    assert!(page.contains("Talks end in Istanbul"), "{page}");
    assert!(served.first_event().is_empty(), "the problem is gone");

    assert!(served.interrupt().success(), "Ctrl-C exits cleanly");
}

#[test]
fn serve_picks_up_new_briefings_templates_and_static_files() {
    let f = Fixture::small();
    f.write("static/img/map.svg", "<svg/>");
    let served = Served::start(&f);
    let (status, body) = served.get("/img/map.svg");
    assert_eq!((status, body.as_str()), (200, "<svg/>"));
    let (status, _) = served.get("/no/such/page/");
    assert_eq!(status, 404);

    f.write(
        "content/briefings/2025/06/new-one.md",
        "---\ntitle: A new one\ndate: 2025-06-01\n---\nNew.\n",
    );
    let page = served.wait_for("/briefings/new-one/", |b| b.contains("A new one"));
    assert!(page.contains("A new one"), "{page}");
    let home = served.wait_for("/", |b| b.contains("A new one"));
    assert!(home.contains("A new one"));

    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<main>Nothing here, sorry</main>{% endblock content %}",
    );
    let missing = served.wait_for("/no/such/page/", |b| b.contains("Nothing here, sorry"));
    assert!(missing.contains("Nothing here, sorry"), "{missing}");
    // The new templates/ folder is watched from now on.
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<main>Still nothing</main>{% endblock content %}",
    );
    let missing = served.wait_for("/no/such/page/", |b| b.contains("Still nothing"));
    assert!(missing.contains("Still nothing"), "{missing}");

    // Naming a known place in another briefing lists it on the place's page.
    let reactions = "content/briefings/2025/05/reactions.md";
    let text = std::fs::read_to_string(f.path(reactions)).expect("briefing");
    f.write(
        reactions,
        &text.replace("tags: [ceasefire]", "places: [Istanbul]\ntags: [ceasefire]"),
    );
    let place = served.wait_for("/places/istanbul/", |b| b.contains("Reactions"));
    assert!(place.contains("Reactions"), "{place}");

    std::fs::remove_file(f.path("content/briefings/2025/06/new-one.md")).expect("remove");
    let home = served.wait_for("/", |b| !b.contains("A new one"));
    assert!(!home.contains("A new one"));
}

#[test]
fn serve_shows_a_bundles_images_and_files() {
    let f = Fixture::small();
    let dir = "content/briefings/2025/05/bundled";
    f.write(
        &format!("{dir}/index.md"),
        "---\ntitle: Bundled\ndate: 2025-05-18\n---\n![A chart](chart.png) and [the statement](statement.pdf).\n",
    );
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    std::fs::copy(
        fixtures.join("text-chunks.png"),
        f.path(&format!("{dir}/chart.png")),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("clean.pdf"),
        f.path(&format!("{dir}/statement.pdf")),
    )
    .unwrap();
    std::fs::create_dir_all(f.path("static/img")).unwrap();
    std::fs::copy(
        fixtures.join("oriented-gps.jpg"),
        f.path("static/img/photo.jpg"),
    )
    .unwrap();
    // What build publishes for a raster image under static/: re-encoded in place.
    f.build_with(|o| o.out = Some(f.path("built"))).unwrap();
    let built = std::fs::read(f.path("built/img/photo.jpg")).unwrap();
    assert_ne!(
        built,
        std::fs::read(fixtures.join("oriented-gps.jpg")).unwrap()
    );
    let served = Served::start(&f);
    let page = served.wait_for("/briefings/bundled/", |p| p.contains("srcset="));
    // serve answers with the same bytes, not the original's.
    let photo = served.request("GET", "/img/photo.jpg");
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert_eq!(
        photo.header("content-length"),
        Some(built.len().to_string().as_str())
    );
    assert_eq!(photo.body, String::from_utf8_lossy(&built));
    let src = page
        .split("<img src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an <img src>");
    let answer = served.request("GET", src);
    assert_eq!(answer.status, 200, "{src}");
    assert_eq!(answer.header("content-type"), Some("image/png"));
    let (status, _) = served.get("/briefings/bundled/statement.pdf");
    assert_eq!(status, 200);
    // A new image in the folder is picked up without touching the Markdown.
    std::fs::copy(
        fixtures.join("planted.webp"),
        f.path(&format!("{dir}/late.webp")),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let found = loop {
        let published = ["jpg", "png"]
            .iter()
            .any(|ext| served.get(&format!("/briefings/bundled/late-200.{ext}")).0 == 200);
        if published || std::time::Instant::now() > deadline {
            break published;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(found, "the new image's variant is not served");
}

#[test]
fn serve_rebuilds_when_the_sites_words_change() {
    let f = Fixture::small();
    let yaml = std::fs::read_to_string(f.path("site.yaml")).expect("site.yaml");
    f.write(
        "site.yaml",
        &format!("{yaml}languages:\n  uk: {{ title: Брифінги, description: Тести. }}\n"),
    );
    let served = Served::start(&f);
    let (status, home) = served.get("/uk/");
    assert_eq!(status, 200);
    assert!(home.contains(">Архів</a>"), "{home}");

    // A new `i18n/` folder is watched from its first table on.
    f.write("i18n/uk.yaml", "archive: Усі брифінги\n");
    let home = served.wait_for("/uk/", |b| b.contains(">Усі брифінги</a>"));
    assert!(home.contains(">Усі брифінги</a>"), "{home}");
    f.write("i18n/uk.yaml", "archive: За датами\n");
    let home = served.wait_for("/uk/", |b| b.contains(">За датами</a>"));
    assert!(home.contains(">За датами</a>"), "{home}");

    // A table's error is reported like a file's; the last good site stays.
    f.write("i18n/uk.yaml", "archiv: За датами\n");
    let stderr = served.wait_for_stderr("i18n/uk.yaml");
    assert!(stderr.contains("error"), "{stderr}");
    assert!(
        stderr.contains("the last good site is still served"),
        "{stderr}"
    );
    let (_, home) = served.get("/uk/");
    assert!(home.contains(">За датами</a>"), "{home}");
    assert!(served.interrupt().success(), "Ctrl-C exits cleanly");
}

#[test]
fn serve_renders_in_part_when_a_briefing_names_a_known_place() {
    // serve's build in memory (the loop without the watcher): an edit that keeps every
    // address and name renders only the pages it reaches (#14), and they are right.
    let f = Fixture::small();
    let mut session = sitroom::serve::Session::new(sitroom::BuildOptions::new(f.root()));
    let first = session.rebuild().expect("first run");
    assert!(!first.partial);
    let reactions = "content/briefings/2025/05/reactions.md";
    let text = std::fs::read_to_string(f.path(reactions)).expect("briefing");
    f.write(
        reactions,
        &text.replace("tags: [ceasefire]", "places: [Istanbul]\ntags: [ceasefire]"),
    );
    let run = session.rebuild().expect("rebuild");
    assert!(
        run.partial,
        "rendered {} of {}",
        run.rendered,
        run.files.len()
    );
    let place = String::from_utf8_lossy(&run.files["places/istanbul/index.html"]).into_owned();
    assert!(place.contains("Reactions"), "{place}");
    let about = &run.files["about/index.html"];
    assert!(
        Arc::ptr_eq(about, &first.files["about/index.html"]),
        "a page the edit did not reach is kept, not rendered again"
    );
}
