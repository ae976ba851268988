"""Two fixes to what Jupyter Book 1.x publishes, found by the site and PDF checks.

Loaded by ``_config.yml`` (``sphinx: extra_extensions: [book_tools.sphinx_fixes]``).

1. **Ledger and findings in the PDF.** myst-nb renders every ``text/latex`` output as a
   displayed equation (a ``math_block``). That suits sympy but not the objects of
   ``sarcoma_review.render``, whose ``_repr_latex_`` returns a longtable or an itemize list:
   LaTeX stops at a longtable inside ``align*``. For the LaTeX builder, such text-mode outputs
   become raw LaTeX; real math is left alone.
2. **Scripts declared twice.** An inline script that an extension adds once the builder exists
   (sphinx-thebe's ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) reaches the
   page twice in Sphinx 7.4: once with the file name ``None``, once with ``''``, which the
   builder's de-duplication takes for two scripts. The second ``const`` declaration is a
   SyntaxError in every reader's console. Identical scripts are kept once.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# Text-mode LaTeX starts with a size group, a paragraph command or a text environment.
_TEXT_MODE = re.compile(
    r"^\s*(\{\s*\\(tiny|scriptsize|footnotesize|small|normalsize)\b|\\par\b|\\noindent\b"
    r"|\\begin\{(longtable|tabular\*?|tabularx|table|itemize|enumerate|description|center"
    r"|flushleft)\})")


def is_text_mode(latex: str) -> bool:
    """Whether a text/latex output is text (a table, a list), not an equation."""
    return bool(_TEXT_MODE.match(latex))


class TextLatexOutputs(SphinxPostTransform):
    """For LaTeX: notebook outputs holding text-mode LaTeX are printed as raw LaTeX."""

    default_priority = 100
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.math_block)):
            if "text_latex" in node.get("classes", []) and is_text_mode(node.astext()):
                node.replace_self(nodes.raw("", node.astext(), format="latex"))


def unique_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", script) or "", getattr(script, "priority", 0),
               tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.add_post_transform(TextLatexOutputs)
    app.connect("html-page-context", unique_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
