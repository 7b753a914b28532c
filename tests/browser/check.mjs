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
  });
}

// Every console error, uncaught exception and failed request on a page, for the no-errors check.
function watch(page, problems) {
  page.on("console", (m) => {
    const where = m.location().url || "";
    // Chromium asks for /favicon.ico at the server root, outside the site's sub-path.
    if (m.type() === "error" && !where.endsWith("/favicon.ico")) problems.push(`console: ${m.text()} (${where})`);
  });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("requestfailed", (r) => problems.push("request failed: " + r.url()));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(r.status() + " " + r.url()); });
}

async function titles(page) {
  return page.$$eval("#search-results .results h2 a", (as) => as.map((a) => a.textContent));
}

async function waitForResults(page) {
  await page.waitForFunction(() => /match/.test(document.getElementById("search-status").textContent), null, { timeout: 10000 });
}

const tasks = {
  async search(page) {
    for (const query of spec.queries) {
      await page.goto(base + "search/");
      await page.fill("#search-input", query);
      await page.press("#search-input", "Enter");
      await waitForResults(page);
      const found = await titles(page);
      for (const title of spec.expect) {
        if (!found.includes(title)) fail(`searching ${query}: expected "${title}" in ${JSON.stringify(found)}`);
      }
      console.log(`search ${query}: ${JSON.stringify(found)}`);
    }
    // Filter by a person, with no words typed.
    await page.goto(base + "search/");
    await page.waitForSelector(`#filter-person option[value="${spec.person}"]`, { state: "attached" });
    await page.selectOption("#filter-person", spec.person);
    await page.waitForFunction((slug) => location.search.includes("person=" + slug), spec.person);
    await waitForResults(page);
    const filtered = await titles(page);
    if (JSON.stringify([...filtered].sort()) !== JSON.stringify([...spec.personTitles].sort())) {
      fail(`filter person=${spec.person}: got ${JSON.stringify(filtered)}, want ${JSON.stringify(spec.personTitles)}`);
    }
    console.log(`filter ${spec.person}: ${JSON.stringify(filtered)}`);
    // A word and a filter together narrow each other.
    await page.fill("#search-input", spec.narrow.query);
    await page.press("#search-input", "Enter");
    await page.waitForFunction((q) => new URLSearchParams(location.search).get("q") === q, spec.narrow.query);
    await waitForResults(page);
    const narrowed = await titles(page);
    if (JSON.stringify(narrowed) !== JSON.stringify(spec.narrow.titles)) {
      fail(`"${spec.narrow.query}" with person=${spec.person}: got ${JSON.stringify(narrowed)}, want ${JSON.stringify(spec.narrow.titles)}`);
    }
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

  async axe(page) {
    const axePath = require.resolve("axe-core/axe.min.js");
    let bad = 0;
    for (const path of spec.paths) {
      await page.goto(base + path);
      if (path.startsWith("search")) await waitForResults(page).catch(() => {});
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of serious) {
        bad++;
        console.error(`${path}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
      }
      const minor = violations.length - serious.length;
      console.log(`axe ${path || "/"}: ${serious.length} serious or critical, ${minor} minor or moderate`);
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
