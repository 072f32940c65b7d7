"""Every write of annual reporting, grading and triennial evaluation (Art. 15–17), a module per concept:
reporting (the rounds and who owes a report), ledger (the report's fund figures), grading (Art. 16),
triennial (Art. 17)."""

# Names other modules import from here, kept while they are being reworked in parallel: bases' base
# and filing pages (provincial_priority, ledger_for_year) and the grading views of assessments.views.
from assessments.services.grading import grade_record as grade_record
from assessments.services.grading import provincial_priority as provincial_priority
from assessments.services.grading import publication_would_revoke as publication_would_revoke
from assessments.services.ledger import ledger_for_year as ledger_for_year
from assessments.services.triennial import evaluation_grade as evaluation_grade
