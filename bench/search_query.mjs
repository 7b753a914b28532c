// What a reader's first search costs: bytes fetched and time to the first result, in
// Debian's chromium (driven by playwright-core from tests/browser/node_modules).
//
//   node bench/search_query.mjs --site DIR [--query Q ...] [--runs 5] [--throttle]
//
// DIR is a built site whose base URL has the path `/` (the benchmark corpora's
// `https://example.org/` does). It is served from 127.0.0.1 on a free port; each run opens
// a fresh browser profile (an empty cache) at `/search/?q=Q` and waits for the first result.
// Bytes are the response bodies as served (no compression) and, beside them, each body
// gzipped at level 6, which is about what GitHub Pages sends. `--throttle` adds a network of
// 10 Mbit/s down, 5 Mbit/s up and 40 ms round trips (Chrome DevTools' emulation).
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(resolve("tests/browser/package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const opt = { queries: [], runs: 5, throttle: false, chromium: "/usr/bin/chromium" };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--site") opt.site = args[++i];
  else if (a === "--query") opt.queries.push(args[++i]);
  else if (a === "--runs") opt.runs = Number(args[++i]);
  else if (a === "--throttle") opt.throttle = true;
  else if (a === "--chromium") opt.chromium = args[++i];
  else { console.error(`unknown option ${a}\nusage: node bench/search_query.mjs --site DIR [--query Q ...] [--runs N] [--throttle] [--chromium PATH]`); process.exit(2); }
}
if (!opt.site) { console.error("usage: node bench/search_query.mjs --site DIR [--query Q ...] [--runs N] [--throttle]"); process.exit(2); }
if (!opt.queries.length) opt.queries.push("talks");

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };

function serve(root) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.split("/").includes("..")) { res.writeHead(400); res.end(); return; }
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, path);
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function once(origin, query) {
  const profile = mkdtempSync(join(tmpdir(), "sitroom-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  if (opt.throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40,
      downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 });
  }
  const bodies = [];
  page.on("response", async (r) => {
    try { bodies.push({ url: r.url(), body: await r.body() }); } catch { /* a redirect has none */ }
  });
  // The moment the first result (or an answer with none) is in the page.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const found = document.querySelector("#search-results .results li");
      const status = document.getElementById("search-status");
      const answered = status && status.textContent && !/^(Searching|Type a name)/.test(status.textContent);
      if (found || answered) {
        window.__firstResult = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 60000 });
  const ms = await page.evaluate(() => window.__firstResult);
  const results = await page.$$eval("#search-results .results li", (l) => l.length);
  const status = await page.textContent("#search-status");
  // Let responses already under way finish before they are counted.
  await page.waitForLoadState("networkidle");
  await context.close();
  const part = (test) => bodies.filter((b) => test(new URL(b.url).pathname));
  const sum = (list, f) => list.reduce((n, b) => n + f(b.body), 0);
  const data = part((p) => p.startsWith("/search/") && p.endsWith(".json"));
  const rest = part((p) => !(p.startsWith("/search/") && p.endsWith(".json")));
  return {
    ms, results, status,
    files: data.length,
    data: sum(data, (b) => b.length), dataGz: sum(data, (b) => gzipSync(b, { level: 6 }).length),
    page: sum(rest, (b) => b.length), pageGz: sum(rest, (b) => gzipSync(b, { level: 6 }).length),
    list: data.map((b) => `${new URL(b.url).pathname} ${b.body.length}`),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => (n / 1000).toFixed(1) + " KB";

const server = await serve(resolve(opt.site));
const origin = `http://127.0.0.1:${server.address().port}`;
try {
  for (const query of opt.queries) {
    const runs = [];
    for (let i = 0; i < opt.runs; i++) runs.push(await once(origin, query));
    const last = runs[runs.length - 1];
    console.log(`query ${JSON.stringify(query)}${opt.throttle ? " (10 Mbit/s, 40 ms)" : ""}: ${last.status.trim()}`);
    console.log(`  time to first result: median ${median(runs.map((r) => r.ms)).toFixed(0)} ms over ${runs.length} runs (${runs.map((r) => r.ms.toFixed(0)).join(", ")})`);
    console.log(`  search data: ${last.files} files, ${kb(last.data)} (${kb(last.dataGz)} gzipped)`);
    console.log(`  page, style and script: ${kb(last.page)} (${kb(last.pageGz)} gzipped)`);
    console.log(`  total: ${kb(last.data + last.page)} (${kb(last.dataGz + last.pageGz)} gzipped)`);
    for (const line of last.list) console.log("    " + line);
  }
} finally {
  server.close();
}
