"""What the book adds to Sphinx: its version on every page and in the PDF, and the data grid's
script bundle.

Loaded by ``_config.yml`` (``sphinx: extra_extensions``).

- **Version.** ``sarcoma_review.__version__`` (the one place it is kept) becomes Sphinx's
  ``version`` and ``release``, which the PDF's title page prints ("Release 0.1.0"), and the
  footer of every HTML page names it with the way to cite the review.
- **Dataset metadata.** The landing page's head carries schema.org ``Dataset`` JSON-LD that
  describes the ledger downloads (claims.csv, claims.json, datapackage.json), with the version,
  the licence and the creators of CITATION.cff, so that dataset search engines find and cite it.
- **No MathJax where there is no math.** myst-nb has Sphinx add the MathJax script (from a
  CDN) to every page with a notebook output that has a LaTeX form, the book's own tables
  included, although the HTML shows their HTML form. A page whose body holds no math element
  does not load it, so such pages request nothing from outside the site.
- **The ledger grid.** ``_static/ledger_grid.js`` turns the ledger tables into data grids with
  itables' own DataTables bundle (``dt_bundle.js`` and ``.css``, shipped in the pinned itables
  wheel). The bundle is copied from the installed package into ``_static/itables/`` of the built
  site, so the site serves it itself (no CDN, nothing committed twice) and the browser caches
  it once for every page, instead of the ~970 kB that ``init_notebook_mode(connected=False)``
  would inline, base64-encoded, into the page and its notebook.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from sarcoma_review import __version__

BUNDLE_FILES = ("dt_bundle.js", "dt_bundle.css")


def itables_bundle_dir() -> Path:
    from itables.utils import find_package_file

    return Path(find_package_file("html/dt_bundle.js")).parent


def set_version(app, config) -> None:
    config.version = config.release = __version__
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (f'<p class="review-version">Version {html.escape(__version__)} of this review. '
                               "Cite it, and each ledger row by its claim id, as the chapter "
                               "\u201cHow to cite this review and its tables\u201d says.</p>")
    config.html_theme_options = options


def dataset_jsonld(base_url: str = "") -> dict:
    """schema.org Dataset metadata of the claims ledger (relative URLs unless `base_url`)."""
    from claimcheck.ledger import LEDGER_COLUMN_DESCRIPTIONS
    from sarcoma_review.citation import citation
    from sarcoma_review.published_package import LICENSES

    meta = citation()
    url = lambda path: (base_url.rstrip("/") + "/" + path) if base_url else path  # noqa: E731
    downloads = (("claims.csv", "text/csv", "The claims ledger (CSV)"),
                 ("claims.json", "application/json", "The claims ledger (JSON)"),
                 ("datapackage.json", "application/json",
                  "Frictionless data package: every published table, its columns and their types"))
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{meta['title']}: claims ledger",
        "description": " ".join(meta["abstract"].split()),
        "version": __version__,
        "datePublished": str(meta.get("date-released", "")),
        "license": LICENSES[0]["path"],
        "keywords": list(meta.get("keywords", [])),
        "creator": [{"@type": "Organization", "name": a.get("name", "")} for a in meta["authors"]],
        "isAccessibleForFree": True,
        "variableMeasured": [{"@type": "PropertyValue", "name": name, "description": text}
                             for name, text in LEDGER_COLUMN_DESCRIPTIONS.items()],
        "distribution": [{"@type": "DataDownload", "contentUrl": url(path), "encodingFormat": kind,
                          "name": name} for path, kind, name in downloads],
    }


def add_dataset_metadata(app, pagename, templatename, context, doctree) -> None:
    if pagename != app.config.root_doc:
        return
    data = json.dumps(dataset_jsonld(app.config.html_baseurl or ""), ensure_ascii=False, sort_keys=True)
    # "</" cannot end the script element early: JSON allows "<\/" for "</".
    script = '<script type="application/ld+json">' + data.replace("</", "<\\/") + "</script>\n"
    context["metatags"] = context.get("metatags", "") + script


def _is_mathjax(script, config) -> bool:
    filename = getattr(script, "filename", script) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return filename == config.mathjax_path or body.startswith(("window.MathJax =", "MathJax.Hub.Config("))


def drop_mathjax_without_math(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list) or 'class="math' in context.get("body", ""):
        return
    scripts[:] = [script for script in scripts if not _is_mathjax(script, app.config)]


def copy_itables_bundle(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "itables"
    target.mkdir(parents=True, exist_ok=True)
    for name in BUNDLE_FILES:
        shutil.copyfile(itables_bundle_dir() / name, target / name)


def setup(app):
    app.connect("config-inited", set_version)
    app.connect("build-finished", copy_itables_bundle)
    # After sphinx.ext.mathjax (priority 500) has added its scripts to the page.
    app.connect("html-page-context", drop_mathjax_without_math, priority=900)
    app.connect("html-page-context", add_dataset_metadata)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
