"""Every non-trivial read of pilot bases, scoped to the user, one module per concept: scope, people,
steps, filings, workspace, lifecycle.

The package re-exports the scope and the people, which every app reads (`bases.selectors.base_list_for`,
`bases.selectors.bureau_users`); both import only models, so importing them from a service makes no
cycle. The other modules are imported by their own name.
"""

from bases.selectors.people import bureau_users, host_approvers, host_users, people_of_bases, supervisor_users
from bases.selectors.scope import (
    IN_ROSTER,
    attachment_base,
    base_list_for,
    base_records_for,
    base_with_content,
    public_roster,
    sees_every_base,
)

__all__ = [
    "IN_ROSTER",
    "attachment_base",
    "base_list_for",
    "base_records_for",
    "base_with_content",
    "bureau_users",
    "host_approvers",
    "host_users",
    "people_of_bases",
    "public_roster",
    "sees_every_base",
    "supervisor_users",
]
