#!/usr/bin/env python3
"""Gives a generated archive a second language: copies a share of its briefings to
`<name>.uk.md` (the same front matter and body: the build's cost, not the translation,
is what is measured) and adds `languages: { uk: … }` to its site.yaml.

    python3 bench/add_language.py DIR --share 0.3 --seed 7
"""

import argparse
import pathlib
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=pathlib.Path)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--code", default="uk")
    args = parser.parse_args()

    briefings = sorted(
        p
        for p in (args.root / "content" / "briefings").rglob("*.md")
        if p.stem.count(".") == 0
    )
    chosen = random.Random(args.seed).sample(briefings, round(len(briefings) * args.share))
    for path in chosen:
        path.with_name(f"{path.stem}.{args.code}.md").write_text(path.read_text())

    site = args.root / "site.yaml"
    text = site.read_text()
    if "languages:" not in text:
        site.write_text(
            text.rstrip("\n")
            + f"\nlanguages:\n  {args.code}: {{ title: Брифінги, description: Тест. }}\n"
        )
    print(f"{len(chosen)} of {len(briefings)} briefings copied to .{args.code}.md")


if __name__ == "__main__":
    main()
