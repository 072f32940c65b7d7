"""Every write of annual reporting, grading and triennial evaluation (Art. 15–17), a module per concept:
reporting (the rounds and who owes a report), ledger (the report's fund figures), grading (Art. 16),
triennial (Art. 17)."""

# Names other apps imported from here before the split into modules.
from assessments.services.grading import provincial_priority as provincial_priority
from assessments.services.ledger import ledger_for_year as ledger_for_year
