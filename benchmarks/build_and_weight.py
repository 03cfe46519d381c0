#!/usr/bin/env python3
"""Measure build times, page weight and Lighthouse scores, and print them against the targets.

Usage (from the repository root, with the test requirements installed):

    .venv/bin/python benchmarks/build_and_weight.py            # builds (3 runs each) and page weight
    .venv/bin/python benchmarks/build_and_weight.py --runs 5 --lighthouse
    .venv/bin/python benchmarks/build_and_weight.py --runs 1 --lighthouse --every-page   # every page

Everything happens in a temporary copy of the repository, so the working
tree's _build is untouched.  Builds are timed as wall-clock seconds of
`jupyter-book build .`; the figure reported is the median of --runs runs.
Page weight is what Debian's Chromium actually loads for each page (HTML,
CSS, JS, images, fonts), uncompressed and gzip-compressed.  Lighthouse (npm,
installed on first use into benchmarks/.tools) runs against a local server
that gzips text, as any static host does.  This is a measurement, not a
test: it prints numbers and always exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
CHROMIUM = "/usr/bin/chromium"
TOOLS = ROOT / "benchmarks" / ".tools"
LIGHTHOUSE_VERSION = "12.8.2"
TARGETS = {  # issue 13's targets, on 2 cores
    "clean build (s)": ("<=", 25),
    "rebuild, nothing changed (s)": ("<=", 1.5),
    "heaviest page, uncompressed (KB)": ("<=", 500),
    "Lighthouse performance, desktop": (">=", 100),
    "Lighthouse performance, mobile": (">=", 95),
    "Lighthouse accessibility": (">=", 100),
    "Lighthouse best practices": (">=", 100),
    "Lighthouse SEO": (">=", 100),
}


def copy_repo(dest: Path) -> Path:
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns(
            "_build", ".venv", "node_modules", ".git", "benchmarks", ".pytest_cache", "__pycache__"
        ),
    )
    return dest


def timed_build(folder: Path, *extra: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([str(JUPYTER_BOOK), "build", ".", *extra], cwd=folder, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed in {folder}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def toggle(path: Path, a: str, b: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(a, b, 1) if a in text else text.replace(b, a, 1), encoding="utf-8")


def measure_builds(folder: Path, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {
        "clean build (s)": [],
        "rebuild, nothing changed (s)": [],
        "rebuild after editing one chapter (s)": [],
        "rebuild after a change to one finding (s)": [],
        "rebuild after editing the Sphinx extension (s)": [],
        "PDF edition, after the site (s)": [],
    }
    for i in range(runs):
        shutil.rmtree(folder / "_build", ignore_errors=True)
        times["clean build (s)"].append(timed_build(folder))
        print(f"  clean build {i + 1}: {times['clean build (s)'][-1]:.1f} s", flush=True)
    for _ in range(runs):
        times["rebuild, nothing changed (s)"].append(timed_build(folder))
    chapter = folder / "chapters" / "priorities.md"
    for _ in range(runs):
        toggle(chapter, "nothing about how large any majority is.", "nothing about how large any majority is (edited).")
        times["rebuild after editing one chapter (s)"].append(timed_build(folder))
    findings = folder / "data" / "findings.csv"
    for i in range(runs):
        toggle(findings, ",exact,37,", ",exact,38,")
        times["rebuild after a change to one finding (s)"].append(timed_build(folder))
        print(f"  data change {i + 1}: {times['rebuild after a change to one finding (s)'][-1]:.1f} s", flush=True)
    toggle(findings, ",exact,37,", ",exact,38,") if ",exact,38," in findings.read_text() else None
    timed_build(folder)
    extension = folder / "iotsurvey" / "edition.py"
    for i in range(runs):  # a build-only module: the chapters must not run again
        extension.write_text(extension.read_text(encoding="utf-8") + f"# benchmark edit {i}\n", encoding="utf-8")
        times["rebuild after editing the Sphinx extension (s)"].append(timed_build(folder))
    for _ in range(runs):
        shutil.rmtree(folder / "_build" / "latex", ignore_errors=True)
        times["PDF edition, after the site (s)"].append(timed_build(folder, "--builder", "pdflatex"))
    return times


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves the site as a static host would: text gzip-compressed, long cache for assets."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        compressible = ctype.startswith("text/") or ctype in (
            "application/javascript",
            "image/svg+xml",
            "application/json",
        )
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if "/_static/" in self.path or "/_images/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000")
        if compressible and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 9)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(site: Path):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def page_weights(site: Path) -> dict[str, dict[str, int]]:
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    pages = sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not {"_static", "_sources", "_downloads", "_images"} & set(p.relative_to(site).parts)
    )
    weights: dict[str, dict[str, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        for name in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            loaded: list = []
            page.on("requestfinished", lambda r, loaded=loaded: loaded.append(r))
            page.goto(base + name, wait_until="networkidle")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            kinds: dict[str, int] = {"html": 0, "css": 0, "js": 0, "images": 0, "fonts": 0, "other": 0, "gzip": 0}
            for request in loaded:
                response = request.response()
                if response is None or not request.url.startswith(base):
                    continue
                local = site / request.url[len(base) :].split("?")[0].split("#")[0]
                body = local.read_bytes() if local.is_file() else b""
                kind = {
                    "document": "html",
                    "stylesheet": "css",
                    "script": "js",
                    "image": "images",
                    "font": "fonts",
                }.get(request.resource_type, "other")
                kinds[kind] += len(body)
                kinds["gzip"] += len(gzip.compress(body, 9))
            kinds["total"] = sum(v for k, v in kinds.items() if k not in ("gzip",))
            weights[name] = kinds
            context.close()
        browser.close()
    httpd.shutdown()
    return weights


def lighthouse(site: Path, every_page: bool = False) -> dict[str, dict[str, float]]:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )
    httpd, base = serve(site)
    scores: dict[str, dict[str, float]] = {}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
    pages = ["index.html", "chapters/awareness.html"]
    if every_page:
        pages = sorted(
            str(p.relative_to(site))
            for p in site.rglob("*.html")
            if not {"_static", "_sources", "_downloads", "_images"} & set(p.relative_to(site).parts)
        )
    for name in pages:
        for preset in ("desktop", "mobile"):
            args = [
                str(binary),
                base + name,
                "--output=json",
                "--quiet",
                f"--chrome-flags={flags}",
                "--only-categories=performance,accessibility,best-practices,seo",
            ]
            if preset == "desktop":
                args.append("--preset=desktop")
            result = subprocess.run(
                args,
                capture_output=True,
                text=True,
                env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin:/usr/local/bin"},
            )
            if result.returncode != 0:
                print(result.stderr[-2000:])
                continue
            report = json.loads(result.stdout)
            scores[f"{name} ({preset})"] = {k: round(100 * v["score"]) for k, v in report["categories"].items()}
    httpd.shutdown()
    return scores


def verdict(name: str, value: float) -> str:
    if name not in TARGETS:
        return ""
    op, target = TARGETS[name]
    ok = value <= target if op == "<=" else value >= target
    return f"target {op} {target}: {'met' if ok else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (installs it with npm)")
    parser.add_argument("--skip-builds", action="store_true", help="one clean build only, for the weights")
    parser.add_argument("--every-page", action="store_true", help="Lighthouse on every page, not two")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_repo(Path(tmp) / "book")
        print(f"Benchmark on {folder} with {args.runs} run(s) each", flush=True)
        if args.skip_builds:
            timed_build(folder)
        else:
            for name, values in measure_builds(folder, args.runs).items():
                results[name] = statistics.median(values)
                print(
                    f"{name:40s} median {results[name]:6.1f}  runs {', '.join(f'{v:.1f}' for v in values)}  {verdict(name, results[name])}"
                )
        site = folder / "_build" / "html"
        weights = page_weights(site)
        print(
            f"\n{'page':38s} {'html':>8s} {'css':>8s} {'js':>8s} {'images':>8s} {'fonts':>7s} {'total':>9s} {'gzip':>8s}  (KB)"
        )
        for name, w in sorted(weights.items(), key=lambda kv: -kv[1]["total"]):
            print(
                f"{name:38s} "
                + " ".join(f"{w[k] / 1024:8.1f}" for k in ("html", "css", "js", "images"))
                + f" {w['fonts'] / 1024:7.1f} {w['total'] / 1024:9.1f} {w['gzip'] / 1024:8.1f}"
            )
        heaviest = max(weights.items(), key=lambda kv: kv[1]["total"])
        results["heaviest page, uncompressed (KB)"] = heaviest[1]["total"] / 1024
        print(
            f"\nheaviest page: {heaviest[0]}, {heaviest[1]['total'] / 1024:.1f} KB uncompressed, "
            f"{heaviest[1]['gzip'] / 1024:.1f} KB gzip  {verdict('heaviest page, uncompressed (KB)', results['heaviest page, uncompressed (KB)'])}"
        )
        if args.lighthouse:
            scores = lighthouse(site, every_page=args.every_page)
            print("\nLighthouse (local server with gzip):")
            for page, categories in scores.items():
                print(f"  {page:40s} " + "  ".join(f"{k} {v}" for k, v in categories.items()))
            for preset, key in (
                ("desktop", "Lighthouse performance, desktop"),
                ("mobile", "Lighthouse performance, mobile"),
            ):
                values = [c["performance"] for p, c in scores.items() if preset in p]
                if values:
                    results[key] = min(values)
                    print(f"  {key:38s} worst {results[key]}  {verdict(key, results[key])}")
            for category, key in (
                ("accessibility", "Lighthouse accessibility"),
                ("best-practices", "Lighthouse best practices"),
                ("seo", "Lighthouse SEO"),
            ):
                values = [c[category] for c in scores.values() if category in c]
                if values:
                    results[key] = min(values)
                    print(f"  {key:38s} worst {results[key]}  {verdict(key, results[key])}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
