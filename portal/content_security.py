"""The Content-Security-Policy middleware: django-csp's, for every response but an inline PDF.

Chrome shows a PDF in a viewer page of its own and applies the PDF response's policy to that page:
`object-src 'none'` leaves it blank and `style-src 'self'` breaks its layout (Chromium issue 271452).
A PDF runs none of our scripts, so the draft preview (bases/views/documents.py, shown inline) goes
without the header; every HTML page, partial and download keeps it."""

from csp.middleware import CSPMiddleware


class PortalCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").split(";")[0].strip().lower() == "application/pdf":
            return response
        return super().process_response(request, response)
