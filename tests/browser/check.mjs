// Drives Debian's chromium (never a downloaded browser) through playwright-core for
// tests/browser.rs. Usage: node check.mjs TASK SPEC_JSON. Exits 1 with a reason on failure.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const [task, specText] = process.argv.slice(2);
const spec = JSON.parse(specText);
const base = spec.base;

function fail(message) {
  console.error("FAIL: " + message);
  process.exitCode = 1;
  throw new Error(message);
}

async function launch() {
  const executablePath = spec.chromium || "/usr/bin/chromium";
  const profile = mkdtempSync(join(tmpdir(), "sitroom-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: spec.javascript !== false,
  });
}

// Every console error, uncaught exception and failed request on a page, for the no-errors check.
// A request for /favicon.ico means a page has no icon of its own (#15): it fails too.
function watch(page, problems) {
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()} (${m.location().url || ""})`);
  });
  page.on("request", (r) => { if (new URL(r.url()).pathname === "/favicon.ico") problems.push("asked for /favicon.ico"); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  // A fetch still in flight when the test moves to the next page is cancelled by the
  // browser (net::ERR_ABORTED): that is the test's doing, not the site's. A missing file
  // shows as a status >= 400 below.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(r.status() + " " + r.url()); });
}

async function titles(page) {
  return page.$$eval("#search-results .results h2 a", (as) => as.map((a) => a.textContent));
}

async function status(page) {
  return page.textContent("#search-status");
}

// Waits until the search has answered: results, or a message that is not "Searching…".
async function waitForResults(page) {
  await page.waitForFunction(() => {
    const text = document.getElementById("search-status").textContent;
    return text && !/^Searching/.test(text) && !/^Type a name/.test(text);
  }, null, { timeout: 10000 });
}

// Types a query into the form and waits for its answer.
async function search(page, query) {
  await page.goto(base + "search/");
  await page.waitForFunction(() => /^Type a name/.test(document.getElementById("search-status").textContent));
  await page.fill("#search-input", query);
  await page.press("#search-input", "Enter");
  await page.waitForFunction((q) => new URLSearchParams(location.search).get("q") === q, query);
  await waitForResults(page);
  return titles(page);
}

function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
function expect(what, got, want) { if (!same(got, want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); }

const tasks = {
  async search(page) {
    // The tokeniser folds and splits as the index builder does (tests/fixtures/search-tokens.json).
    await page.goto(base + "search/");
    const mismatches = await page.evaluate((cases) => {
      const s = window.sitroomSearch, bad = [];
      for (const [text, want] of cases.words) if (JSON.stringify(s.words(text)) !== JSON.stringify(want)) bad.push(`words ${text}: ${JSON.stringify(s.words(text))}`);
      for (const [text, want] of cases.fnv) if (s.fnv(text) !== want) bad.push(`fnv ${text}: ${s.fnv(text)}`);
      for (const [a, b, want] of cases.oneEdit) if (s.oneEdit(a, b) !== want) bad.push(`oneEdit ${a} ${b}`);
      return bad;
    }, spec.tokens);
    if (mismatches.length) fail("search.js tokenises differently from search.rs:\n  " + mismatches.join("\n  "));
    console.log(`tokens: ${spec.tokens.words.length} cases agree`);

    // Every spelling finds the same briefings in the same order.
    let first = null;
    for (const query of spec.spellings) {
      const found = await search(page, query);
      if (first === null) {
        first = found;
        expect(`searching ${query}`, [...found].sort(), [...spec.spellingTitles].sort());
      } else {
        expect(`searching ${query} (as ${spec.spellings[0]} does)`, found, first);
      }
      // The briefing that names him only in its body, by an alias, shows where with <mark>.
      const mark = await page.evaluate((title) => {
        const li = [...document.querySelectorAll("#search-results .results li")].find((l) => l.querySelector("h2").textContent === title);
        return li ? [...li.querySelectorAll(".snippet mark")].map((m) => m.textContent) : null;
      }, spec.bodyOnly.title);
      if (!mark || !mark.includes(spec.bodyOnly.mark)) fail(`searching ${query}: no <mark>${spec.bodyOnly.mark}</mark> in the snippet of "${spec.bodyOnly.title}" (${JSON.stringify(mark)})`);
      console.log(`search ${query}: ${JSON.stringify(found)}`);
    }

    // A quoted phrase only matches its words in order; unquoted, the words anywhere.
    expect(`searching ${spec.phrase.query}`, await search(page, spec.phrase.query), spec.phrase.titles);
    const phraseMarks = await page.$$eval("#search-results .snippet mark", (ms) => ms.map((m) => m.textContent));
    expect("the phrase marked", phraseMarks, ["points of contact"]);
    expect(`searching ${spec.phrase.loose}`, [...await search(page, spec.phrase.loose)].sort(), [...spec.phrase.looseTitles].sort());
    console.log("phrases: ok");

    // Accents fold.
    for (const query of spec.accents) expect(`searching ${query}`, await search(page, query), spec.accentTitles);
    console.log("accents: ok");

    // One typo is forgiven, and the status says what was searched instead.
    const typo = await search(page, spec.typo.query);
    if (!typo.includes(spec.typo.title)) fail(`searching ${spec.typo.query}: no "${spec.typo.title}" in ${JSON.stringify(typo)}`);
    if (!(await status(page)).includes(spec.typo.note)) fail(`searching ${spec.typo.query}: status "${await status(page)}"`);
    console.log(`typo ${spec.typo.query}: ${JSON.stringify(typo)}`);

    // Stop words and single letters get a message, not the empty prompt.
    await search(page, spec.stopWord.query);
    if (!(await status(page)).includes(spec.stopWord.status)) fail(`searching ${spec.stopWord.query}: status "${await status(page)}"`);
    await search(page, spec.letter.query);
    if (!(await status(page)).includes(spec.letter.status)) fail(`searching ${spec.letter.query}: status "${await status(page)}"`);
    const letterLinks = await page.$$eval("#search-results .hint a", (as) => as.map((a) => a.getAttribute("href")));
    if (!letterLinks.includes(new URL(base).pathname + spec.letter.link)) fail(`searching ${spec.letter.query}: links ${JSON.stringify(letterLinks)}`);
    console.log("stop words and letters: ok");

    // Filter by a person, with no words typed: the menu loads when it is reached for.
    await page.goto(base + "search/");
    await page.focus("#filter-person");
    await page.waitForSelector(`#filter-person option[value="${spec.person}"]`, { state: "attached" });
    await page.selectOption("#filter-person", spec.person);
    await page.waitForFunction((slug) => location.search.includes("person=" + slug), spec.person);
    await waitForResults(page);
    expect(`filter person=${spec.person}`, [...await titles(page)].sort(), [...spec.personTitles].sort());
    // A word and a filter together narrow each other.
    await page.fill("#search-input", spec.narrow.query);
    await page.press("#search-input", "Enter");
    await page.waitForFunction((q) => new URLSearchParams(location.search).get("q") === q, spec.narrow.query);
    await waitForResults(page);
    expect(`"${spec.narrow.query}" with person=${spec.person}`, await titles(page), spec.narrow.titles);
    // The same from the URL alone (a link from an entity page).
    await page.goto(base + `search/?person=${spec.person}`);
    await waitForResults(page);
    expect(`?person=${spec.person}`, [...await titles(page)].sort(), [...spec.personTitles].sort());
    console.log("person filter: ok");

    // Year, then month.
    await page.goto(base + "search/");
    await page.waitForSelector(`#filter-year option[value="${spec.month.year}"]`, { state: "attached" });
    await page.selectOption("#filter-year", spec.month.year);
    await page.waitForSelector(`#filter-month option[value="${spec.month.month}"]`, { state: "attached" });
    await page.selectOption("#filter-month", spec.month.month);
    await page.waitForFunction((m) => new URLSearchParams(location.search).get("month") === m, spec.month.month);
    await waitForResults(page);
    expect(`month ${spec.month.month}`, await titles(page), spec.month.titles);
    const monthLabels = await page.$$eval("#filter-month option", (os) => os.map((o) => o.textContent));
    if (!monthLabels.some((l) => /April 2025 \(1\)/.test(l))) fail(`month menu: ${JSON.stringify(monthLabels)}`);
    console.log("month filter: ok");

    // Opening a search from its URL moves nothing on the page (cumulative layout shift).
    await page.goto(base + "search/?q=" + encodeURIComponent(spec.spellings[1]));
    await waitForResults(page);
    const shift = await page.evaluate(() => new Promise((resolve) => {
      let total = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
      }).observe({ type: "layout-shift", buffered: true });
      setTimeout(() => resolve(total), 500);
    }));
    if (shift > 0.01) fail(`layout shift ${shift} on opening a search`);
    console.log(`layout shift: ${shift.toFixed(4)}`);
  },

  async nojs(page) {
    await page.goto(base + "search/");
    if (await page.isVisible("#filter-person")) fail("the filters show without JavaScript, where they cannot work");
    const note = page.locator("main .note");
    if (!(await note.isVisible())) fail("no note for readers without JavaScript");
    const hrefs = await note.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const link of spec.links) {
      if (!hrefs.includes(new URL(base).pathname + link)) fail(`the note does not link ${link}: ${JSON.stringify(hrefs)}`);
    }
    await page.fill("#search-input", spec.query);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/search/names/")), page.press("#search-input", "Enter")]);
    const entry = page.locator("main li", { hasText: spec.query });
    if ((await entry.count()) === 0) fail(`the list of names has no ${spec.query}`);
    const target = await entry.first().locator("a").getAttribute("href");
    if (target !== new URL(base).pathname + spec.target) fail(`${spec.query} links to ${target}`);
    await Promise.all([page.waitForURL(base + spec.target), entry.first().locator("a").click()]);
  },

  async reading(page, context) {
    const root = new URL(base).pathname;
    // A–Z: each letter leads to its first entry, on whichever page it is.
    await page.goto(base + spec.index);
    const letters = await page.$$eval("nav.letters a", (as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    if (letters.length < 2) fail(`only ${letters.length} letters on ${spec.index}`);
    for (const [letter, href] of letters) {
      await page.goto(base + spec.index);
      await Promise.all([page.waitForURL((u) => u.hash === "#letter-" + letter.toLowerCase()), page.click(`nav.letters a[href="${href}"]`)]);
      const target = await page.evaluate(() => {
        const t = document.querySelector(":target");
        if (!t) return null;
        const r = t.getBoundingClientRect();
        return { slug: t.querySelector("a").getAttribute("href").split("/").filter(Boolean).pop(), top: r.top, inView: r.top >= 0 && r.bottom <= innerHeight };
      });
      if (!target) fail(`letter ${letter} (${href}) leads to no entry`);
      if (!target.slug.toUpperCase().startsWith(letter)) fail(`letter ${letter} leads to ${target.slug}`);
      if (!target.inView) fail(`letter ${letter}: its entry is not in view`);
    }
    console.log(`letters: ${letters.map((l) => l[0]).join(" ")}`);

    // The icon is the site's, under its sub-path.
    const icon = await page.$eval("link[rel=icon]", (l) => l.href);
    if (!icon.startsWith(base)) fail(`icon ${icon} is outside ${base}`);
    const response = await page.request.get(icon);
    if (response.status() !== 200) fail(`icon ${icon}: ${response.status()}`);

    // aria-current only on the link to the page itself.
    const current = async () => page.evaluate(() => ({
      aria: [...document.querySelectorAll('.masthead [aria-current="page"]')].map((a) => a.textContent),
      section: [...document.querySelectorAll(".masthead a.current")].map((a) => a.textContent),
    }));
    await page.goto(base);
    expect("home: current", await current(), { aria: ["Briefings"], section: [] });
    await page.goto(base + spec.briefing);
    expect("briefing: current", await current(), { aria: [], section: ["Briefings"] });
    await page.goto(base + spec.printLink);
    expect("person: current", await current(), { aria: [], section: ["People"] });

    // On a phone: the chart's type is 12 px or more, every month named, every bar's count shown.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + spec.chart.path);
    const chart = await page.evaluate(() => {
      const svg = document.querySelector("svg.activity");
      const scale = svg.getScreenCTM().a;
      const texts = [...svg.querySelectorAll("text")];
      const box = svg.parentElement.getBoundingClientRect();
      return {
        smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
        months: svg.querySelectorAll("text.month").length,
        values: [...svg.querySelectorAll("text.value")].map((t) => t.textContent),
        bars: svg.querySelectorAll("rect").length,
        newestShown: (() => { const r = [...svg.querySelectorAll("text.month")].pop().getBoundingClientRect(); return r.left >= box.left - 1 && r.right <= box.right + 1; })(),
      };
    });
    if (chart.smallest < 12) fail(`chart text ${chart.smallest.toFixed(1)} px at 390 px wide`);
    if (chart.months !== spec.chart.months) fail(`chart names ${chart.months} months, want ${spec.chart.months}`);
    if (chart.values.length !== spec.chart.bars || chart.bars !== spec.chart.bars) fail(`chart shows ${chart.values.length} counts for ${chart.bars} bars`);
    if (!chart.newestShown) fail("the newest month is scrolled out of view");
    console.log(`chart at 390 px: ${JSON.stringify(chart)}`);

    // On a phone the source date keeps to one line, written as the page's dates are.
    await page.goto(base + spec.briefing);
    const date = await page.$eval(".sources time", (t) => ({ text: t.textContent, lines: t.getClientRects().length }));
    expect("source date", date, { text: spec.sourceDate, lines: 1 });

    // Printed, an internal link shows where it goes, as a full URL.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: "print" });
    const printed = await page.$eval(`main .prose a[href="${root + spec.printLink}"]`, (a) => getComputedStyle(a, "::after").content);
    await page.emulateMedia({ media: "screen" });
    const want = new URL(base).origin + root + spec.printLink;
    if (!printed.includes(want)) fail(`printed link shows ${printed}, want ${want}`);
    console.log(`printed link: ${printed}`);
  },

  async autolink(page) {
    const from = base + spec.briefing;
    await page.goto(from);
    const link = page.locator("main .prose a.autolink", { hasText: spec.name }).first();
    if ((await link.count()) === 0) fail(`no auto-link for ${spec.name} on ${from}`);
    await Promise.all([page.waitForURL(base + spec.target), link.click()]);
    const heading = await page.textContent("main h1");
    if (!heading.includes(spec.heading)) fail(`person page heading is "${heading}"`);
    const back = page.locator(`main a[href="${new URL(from).pathname}"]`);
    if ((await back.count()) === 0) fail(`the person page does not list ${from}`);
    await Promise.all([page.waitForURL(from), back.first().click()]);
    await page.goBack();
    await page.goBack();
    if (page.url() !== from) fail(`history back went to ${page.url()}`);
  },

  // The search page speaks its language: each case's status shows its text.
  async words(page) {
    for (const c of spec.cases) {
      await page.goto(base + c.path);
      await page.waitForFunction((want) => document.getElementById("search-status").textContent.includes(want), c.status, { timeout: 15000 })
        .catch(async () => fail(`${c.path}: status "${await status(page)}", want "${c.status}"`));
    }
  },

  async axe(page) {
    const axePath = require.resolve("axe-core/axe.min.js");
    let bad = 0;
    for (const scheme of spec.schemes || ["light"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of spec.paths) {
        await page.goto(base + path);
        // Results in any language: wait until the index's files have stopped arriving.
        if (path.includes("search/?")) await page.waitForLoadState("networkidle").catch(() => {});
        await page.addScriptTag({ path: axePath });
        const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
        const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        for (const v of serious) {
          bad++;
          console.error(`${path} (${scheme}): ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
        }
        const minor = violations.length - serious.length;
        console.log(`axe ${path || "/"} (${scheme}): ${serious.length} serious or critical, ${minor} minor or moderate`);
      }
    }
    if (bad) fail(`${bad} serious or critical accessibility violations`);
  },

  async screenshots(page, context) {
    const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      for (const [name, path] of Object.entries(spec.pages)) {
        await page.goto(base + path);
        if (path.startsWith("search")) await waitForResults(page).catch(() => {});
        // The whole page down to 2,400 px: enough to show charts and lists below the fold.
        const height = Math.min(2400, await page.evaluate(() => document.documentElement.scrollHeight));
        await page.screenshot({ path: join(spec.out, `${name}-${size}.png`), fullPage: true,
          clip: { x: 0, y: 0, width: viewport.width, height } });
      }
    }
  },
};

const context = await launch();
const page = context.pages()[0] || (await context.newPage());
const problems = [];
watch(page, problems);
try {
  if (!tasks[task]) fail("unknown task " + task);
  await tasks[task](page, context);
  if (problems.length) fail("errors in the browser:\n  " + problems.join("\n  "));
  console.log(`${task}: ok`);
} catch (e) {
  if (!process.exitCode) console.error("FAIL: " + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  await context.close();
}
