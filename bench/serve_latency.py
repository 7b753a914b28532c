#!/usr/bin/env python3
"""Save → served latency of `sitroom serve`.

Copies a corpus (the generator's output is never edited), starts `sitroom serve` on a free
port of 127.0.0.1, then, for each run, rewrites one briefing's title on disk and polls its
page over HTTP until the new title is served. Prints the median, p90, min and max of the
time from the write to the first response with the new title, and the medians of serve's
own breakdown (load, resolve, render) of each rebuild.

    cargo build --release
    python3 /work/shared/bench/gen_corpus.py --n 10000 --seed 7 --flavor sitroom --out /tmp/c10k
    python3 bench/serve_latency.py --corpus /tmp/c10k --runs 20
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def get(host, port, path):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read().decode("utf-8", "replace")
    connection.close()
    return body


def slug_of(path, text):
    match = re.search(r"^slug:\s*(\S+)", text, re.M)
    return match.group(1) if match else os.path.basename(path)[:-3]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/c10k")
    parser.add_argument("--binary", default="target/release/sitroom")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--edit",
        choices=["title", "tags", "person"],
        default="title",
        help="title: change what a briefing says (the common edit); tags: also drop its first tag, "
        "which changes the archive's lists and so resolves it again; person: also name a person "
        "new to the archive, and wait for the new person's page",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one rebuild")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="sitroom-bench-")
    root = os.path.join(work, "site")
    shutil.copytree(args.corpus, root, ignore=shutil.ignore_patterns("public", "public.*"))
    briefings = sorted(
        os.path.join(d, f)
        for d, _, files in os.walk(os.path.join(root, "content", "briefings"))
        for f in files
        if f.endswith(".md")
    )
    if args.edit == "tags":
        # Only briefings with two tags or more: dropping a tag must leave the tag set as it was.
        def tags_of(path):
            with open(path, encoding="utf-8") as f:
                return re.search(r"^tags: \[[^\]]*,", f.read(), re.M)

        briefings = [b for b in briefings if tags_of(b)]
    # Spread the edits over the archive: old and new briefings touch different pages.
    picked = [briefings[i * len(briefings) // args.runs] for i in range(args.runs)]

    started = time.perf_counter()
    serve = subprocess.Popen(
        [os.path.abspath(args.binary), "serve", "--port", "0", "--root", root],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    lines = []
    address = None
    for line in serve.stdout:
        lines.append(line.rstrip())
        if line.startswith("serving http://"):
            address = line.split("http://")[1].split("/")[0]
            break
    if not address:
        sys.exit("serve did not start:\n" + "\n".join(lines))
    print(f"first build and start: {time.perf_counter() - started:.1f} s ({lines[0]})")
    host, port = address.split(":")
    threading.Thread(target=lambda: lines.extend(l.rstrip() for l in serve.stdout), daemon=True).start()

    latencies = []
    try:
        for run, path in enumerate(picked):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            title = f"Bench edit {run} {time.time_ns()}"
            edited = re.sub(r"^title:.*$", f"title: {title}", text, count=1, flags=re.M)
            if args.edit == "tags":
                edited = re.sub(r"^tags: \[[^,\]]+, ", "tags: [", edited, count=1, flags=re.M)
            page = f"/briefings/{slug_of(path, text)}/"
            if args.edit == "person":
                person = f"Bench Person {run} {time.time_ns() % 1000000}"
                edited = re.sub(r"^people: \[", f"people: [{person}, ", edited, count=1, flags=re.M)
                if person not in edited:
                    edited = edited.replace("\n", f"\npeople: [{person}]\n", 1)
                page = "/people/" + re.sub(r"[^a-z0-9]+", "-", person.lower()).strip("-") + "/"
                title = person
            time.sleep(0.3)  # let the last rebuild settle, as between an editor's saves
            before = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited)
            while title not in get(host, int(port), page):
                if time.perf_counter() - before > args.timeout:
                    sys.exit(f"no rebuild of {page} within {args.timeout} s")
            latencies.append((time.perf_counter() - before) * 1000)
    finally:
        serve.terminate()
        serve.wait()
        shutil.rmtree(work, ignore_errors=True)

    latencies.sort()
    p90 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.9))]
    print(
        f"save → served over {len(latencies)} edits: median {statistics.median(latencies):.0f} ms, "
        f"p90 {p90:.0f} ms, min {latencies[0]:.0f} ms, max {latencies[-1]:.0f} ms"
    )
    rebuilds = [l for l in lines if l.startswith("rebuilt ") or l.startswith("built ")][1:]
    # An edit that changes only what a briefing says skips resolve; others resolve again.
    for label, group in (
        ("in-place edits (no resolve)", [l for l in rebuilds if "resolve 0 ms" in l]),
        ("edits that resolve again", [l for l in rebuilds if "resolve 0 ms" not in l]),
    ):
        if not group:
            continue
        parts = {k: [] for k in ("load", "copy", "resolve", "render")}
        pages, totals = [], []
        for line in group:
            for key in parts:
                match = re.search(rf"{key} (\d+) ms", line)
                if match:
                    parts[key].append(int(match.group(1)))
            match = re.match(r"(?:re)?built (\d+) pages", line)
            if match:
                pages.append(int(match.group(1)))
            match = re.search(r" in (\d+) ms$", line)
            if match:
                totals.append(int(match.group(1)))
        print(
            f"{label}: {len(group)}, serve's own medians: "
            + ", ".join(f"{k} {statistics.median(v):.0f} ms" for k, v in parts.items() if v)
            + f", total {statistics.median(totals):.0f} ms; pages rendered: median {statistics.median(pages):.0f}, max {max(pages)}"
        )


if __name__ == "__main__":
    main()
