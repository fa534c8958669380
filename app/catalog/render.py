"""Lesson Markdown to HTML, rendered once at sync: no raw HTML, local images rewritten to served URLs."""
from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _Images(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base_url: str, version: str) -> None:
        super().__init__(md)
        self.base_url, self.version = base_url, version

    def run(self, root: ET.Element) -> None:
        for img in root.iter("img"):
            src = img.get("src", "")
            if "://" not in src and not src.startswith("/"):
                name = posixpath.basename(posixpath.normpath(src))
                img.set("src", f"{self.base_url}/{name}?v={self.version}")
            img.set("loading", "lazy")
            img.set("decoding", "async")
        for link in root.iter("a"):
            if "://" in link.get("href", ""):
                link.set("rel", "noopener noreferrer")


class _Safe(Extension):
    """Treat raw HTML in lessons as text, and point images at the media route."""

    def __init__(self, base_url: str, version: str) -> None:
        super().__init__()
        self.base_url, self.version = base_url, version

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Images(md, self.base_url, self.version), "hvs_images", 5)


def to_html(text: str, *, media_url: str, version: str) -> str:
    """Render lesson Markdown to HTML; images resolve under media_url."""
    renderer = markdown.Markdown(extensions=["tables", "sane_lists", "smarty", _Safe(media_url, version)],
                                 output_format="html")
    return renderer.convert(text)
