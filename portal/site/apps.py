from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer's start-up, in every process (web and Celery workers alike): a base, grade, report,
    award or ledger entry saved anywhere drops the cached dashboards. Its own app, so that no platform
    app below has to name the dashboards. No models."""

    name = "portal.site"
    label = "site"

    def ready(self):
        # The dashboards import models, which can be imported only once the apps are loaded.
        from portal.site import dashboards

        dashboards.connect_invalidation()
