"""Demo data for a newcomer (manage.py seed_demo, run by `make run`): organisations, a user for every
role, and bases in every state the portal implements, each reached through the services so that each
has its log. Top layer: it drives every app, as a person would through the screens."""
