"""Data that both a migration and the app's post_migrate hook need (a migration must not import
models, so it lives in a module of its own)."""

#: Art. 10 "主要用于资助中试基地的建设、研发、合作交流等方面": the default expense categories.
DEFAULT_FUND_CATEGORIES = [
    ("construction", "建设", "Construction", 10),
    ("research", "研发", "R&D", 20),
    ("cooperation", "合作交流", "Cooperation and exchange", 30),
]
