// Writes static/search.js, the script sites are given, from its source
// src/render/search/search.js, with terser: `npm run minify --prefix tests/browser`.
// The first line names the source's FNV-1a 64 hash; tests/reader.rs fails when the source
// has changed since, so the two cannot drift apart.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const source = readFileSync(repo + "src/render/search/search.js");

function fnv64(bytes) {
  let hash = 0xcbf29ce484222325n;
  for (const b of bytes) hash = ((hash ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}

const header = `/* sitroom search.js, minified from src/render/search/search.js (fnv64 ${fnv64(source)}) */`;
const result = await minify(source.toString("utf8"), {
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { preamble: header, ascii_only: true },
});
writeFileSync(repo + "static/search.js", result.code + "\n");
console.log(`static/search.js: ${result.code.length} bytes (source ${source.length})`);
