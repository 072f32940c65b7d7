"""PDF rendering (WeasyPrint) of templates/pdf/*. Chinese needs the Noto CJK fonts (fonts-noto-cjk,
installed by scripts/bootstrap.sh) and lang="zh-CN" on the html element; HarfBuzz subsetting
(libharfbuzz-subset0) keeps a page at ~0.5 s. WeasyPrint embeds the subset fonts in the PDF."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template of templates/pdf/ to PDF bytes, always in Chinese (official documents)."""
    # Imported when first used: WeasyPrint takes seconds to import, which every process would pay at start.
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
