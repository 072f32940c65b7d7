"""`manage.py lifecycle_diagram`: docs/lifecycle.dot and docs/lifecycle.svg from the base's state machine.

The dot source is written in a fixed order (portal.workflow.transitions.transitions_dot) in the
portal's default language, so the same transitions give the same file byte for byte; the picture is
Graphviz's rendering of it and names the source's SHA-256 in a comment, so a test can check that the
committed picture is drawn from the committed source and the source from the code.
"""

import hashlib
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from bases.models import PilotBase
from portal.workflow.transitions import transitions_dot

DOCS = Path(settings.BASE_DIR) / "docs"
DOT_PATH = DOCS / "lifecycle.dot"
SVG_PATH = DOCS / "lifecycle.svg"
SOURCE_MARK = "<!-- lifecycle.dot sha256: {} -->"


def lifecycle_dot() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return transitions_dot(PilotBase, "status")


def source_mark(dot: str) -> str:
    return SOURCE_MARK.format(hashlib.sha256(dot.encode()).hexdigest())


def render_svg(dot: str) -> str:
    """Graphviz's SVG of `dot`, with the mark of its source after the XML declaration."""
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    declaration, rest = svg.split("\n", 1)
    return f"{declaration}\n{source_mark(dot)}\n{rest}"


class Command(BaseCommand):
    help = "Write docs/lifecycle.dot and docs/lifecycle.svg from the pilot base's transitions."

    def handle(self, *args, **options):
        dot = lifecycle_dot()
        DOT_PATH.write_text(dot, encoding="utf-8")
        SVG_PATH.write_text(render_svg(dot), encoding="utf-8")
        self.stdout.write(
            f"{DOT_PATH.relative_to(settings.BASE_DIR)}, {SVG_PATH.relative_to(settings.BASE_DIR)}"
        )
