"""Every write of the reviews app, a module per concept: preliminary (Art. 8-2), site_visits (Art. 8-2,
17), experts (the pool), panels, conflicts, notices (Art. 8-3), decisions (the Party group)."""

# A name other apps imported from here before the split into modules.
from reviews.services.site_visits import VISIT_STATES as VISIT_STATES
