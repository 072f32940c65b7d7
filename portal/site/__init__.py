"""The site: the top layer, the one place that composes every app into the portal — the site's URLs
(urls.py), the home page, workspace and guides (views.py), the dashboards (dashboards.py) and the demo
data (the seed_demo command). It may import every app; no app imports it."""
