"""The portal's refusals, shared by every state machine and every action that can be refused (issuing
a document, a form's service): each carries a message fit for the user (Chinese)."""


class TransitionRefused(Exception):
    """A change of state was refused; `message` says why, `details` lists what is missing."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def __str__(self):
        return self.message


class PermissionRefused(TransitionRefused):
    """The actor may not run this step on this object."""


class StaleState(TransitionRefused):
    """Someone else acted first: the object is no longer in the state the page showed."""
