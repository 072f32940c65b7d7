"""The site: the top layer, which composes every app into the portal (portal.urls, portal.views,
portal.dashboards) and may import them all. The lower layers never import it."""
