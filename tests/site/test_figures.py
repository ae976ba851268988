"""Every figure on every page shows an image with alt text, not a text placeholder."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import content_pages


def figure_problems(html: str) -> list[str]:
    problems = []
    for figure in BeautifulSoup(html, "html.parser").find_all("figure"):
        label = figure.get("id", "an unlabelled figure")
        image = figure.find("img")
        if image is None:
            problems.append(f"{label}: no image (a glued figure rendered as text?)")
        elif not (image.get("alt") or "").strip():
            problems.append(f"{label}: image without alt text")
        if figure.find("figcaption") is None:
            problems.append(f"{label}: no caption")
    return problems


def test_the_check_flags_a_text_only_figure():
    placeholder = '<figure id="f"><div><pre>&lt;Figure size 700x165 with 1 Axes&gt;</pre></div><figcaption>c</figcaption></figure>'
    assert figure_problems(placeholder) == ["f: no image (a glued figure rendered as text?)"]
    assert figure_problems('<figure id="g"><img src="x.png" alt=" "><figcaption>c</figcaption></figure>') == [
        "g: image without alt text"]


def test_every_figure_has_an_image_alt_text_and_caption(site):
    problems = [f"{page.relative_to(site)}: {problem}"
                for page in content_pages(site) for problem in figure_problems(page.read_text())]
    assert not problems, "\n".join(problems)
