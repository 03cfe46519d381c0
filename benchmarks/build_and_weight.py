#!/usr/bin/env python3
"""Measure the book's build times against a baseline book, its page weight and Lighthouse scores.

Usage (from the repository root, with the test requirements installed):

    .venv/bin/python benchmarks/build_and_weight.py                  # builds: 3 alternating pairs, page weight
    .venv/bin/python benchmarks/build_and_weight.py --runs 5 --lighthouse
    .venv/bin/python benchmarks/build_and_weight.py --runs 1 --lighthouse --every-page   # Lighthouse on every page

Everything happens in temporary copies, so the working tree's _build is untouched.  The baseline
(benchmarks/baseline) is a plain Jupyter Book 1 book with as many MyST notebooks as the book, each importing
pandas, matplotlib, seaborn and statsmodels and drawing one chart, built with Jupyter Book's defaults.  Book and
baseline are built in turn (book, baseline, book, baseline, ...), so that both meet the same machine; each build
is timed in wall-clock seconds and in CPU seconds of the build and every process it started (kernels included).
Page weight is what Debian's Chromium loads for each page, uncompressed and gzip-compressed.  Lighthouse (npm,
installed on first use into benchmarks/.tools) runs against a local server that gzips text, as a static host
does.  This is a measurement, not a test: it prints numbers and exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
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
BASELINE = ROOT / "benchmarks" / "baseline"
TARGETS = {  # issue 19's targets, on 2 cores: ratios to the baseline book, and Lighthouse
    "clean build, wall (book / baseline)": ("<=", 1.0),
    "clean build, CPU (book / baseline)": ("<=", 1.5),
    "rebuild, nothing changed, wall (book / baseline)": ("<=", 1.5),
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


def timed_build(folder: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and all it started) of `jupyter-book build .` in folder."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # the copy's own package, not the editable install of the repository (PYTHONPATH comes before its finder)
    env = {**os.environ, "PYTHONPATH": str(folder)}
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", *extra], cwd=folder, capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build failed in {folder}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


N03 = (
    "N03,nov-2018,2018-11-21,security_needs,Not always able to define security needs before implementing IoT solutions"
)


def toggle(path: Path, a: str, b: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(a, b, 1) if a in text else text.replace(b, a, 1), encoding="utf-8")


def measure_builds(book: Path, baseline: Path, runs: int) -> dict[str, list[float]]:
    """Book and baseline in turn: clean builds, then rebuilds with nothing changed; then the book alone."""
    times: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        times.setdefault(name, []).append(value)

    for i in range(runs):
        for who, folder in (("book", book), ("baseline", baseline)):
            shutil.rmtree(folder / "_build", ignore_errors=True)
            wall, cpu = timed_build(folder)
            note(f"clean build, wall, {who} (s)", wall)
            note(f"clean build, CPU, {who} (s)", cpu)
            print(f"  clean build {i + 1}, {who}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    for _ in range(runs):
        for who, folder in (("book", book), ("baseline", baseline)):
            wall, _cpu = timed_build(folder)
            note(f"rebuild, nothing changed, wall, {who} (s)", wall)
    chapter = book / "chapters" / "priorities.md"
    for _ in range(runs):
        toggle(chapter, "nothing about how large any majority is.", "nothing about how large any majority is (edited).")
        note("book: rebuild after editing one chapter (s)", timed_build(book)[0])
    findings = book / "data" / "findings.csv"
    for i in range(runs):  # every chapter runs again: the data are part of the execution cache's key
        toggle(findings, N03 + ",exact,37,", N03 + ",exact,38,")
        note("book: rebuild after a change to one finding (s)", timed_build(book)[0])
        print(
            f"  data change {i + 1}: {times['book: rebuild after a change to one finding (s)'][-1]:.1f} s", flush=True
        )
    if N03 + ",exact,38," in findings.read_text(encoding="utf-8"):
        toggle(findings, N03 + ",exact,37,", N03 + ",exact,38,")
        timed_build(book)
    extension = book / "iotsurvey" / "site" / "edition.py"
    for i in range(runs):  # the Sphinx extension is not in the cache's key: no chapter runs again
        extension.write_text(extension.read_text(encoding="utf-8") + f"# benchmark edit {i}\n", encoding="utf-8")
        note("book: rebuild after editing the Sphinx extension (s)", timed_build(book)[0])
    for _ in range(runs):
        shutil.rmtree(book / "_build" / "latex", ignore_errors=True)
        note("book: PDF edition, after the site (s)", timed_build(book, "--builder", "pdflatex")[0])
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
        baseline = Path(tmp) / "baseline"
        shutil.copytree(BASELINE, baseline)
        print(f"Benchmark on {folder} and {baseline} with {args.runs} run(s) each", flush=True)
        if args.skip_builds:
            timed_build(folder)
        else:
            for name, values in measure_builds(folder, baseline, args.runs).items():
                results[name] = statistics.median(values)
                print(f"{name:55s} median {results[name]:6.1f}  runs {', '.join(f'{v:.1f}' for v in values)}")
            for measure in ("clean build, wall", "clean build, CPU", "rebuild, nothing changed, wall"):
                name = f"{measure} (book / baseline)"
                results[name] = results[f"{measure}, book (s)"] / results[f"{measure}, baseline (s)"]
                print(f"{name:55s} {results[name]:6.2f}  {verdict(name, results[name])}")
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
        results["heaviest page, gzip (KB)"] = heaviest[1]["gzip"] / 1024
        print(
            f"\nheaviest page: {heaviest[0]}, {heaviest[1]['total'] / 1024:.1f} KB uncompressed, "
            f"{heaviest[1]['gzip'] / 1024:.1f} KB gzip (reported, no cap)"
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
