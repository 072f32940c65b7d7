"""make documents: the README's previews of every kind of document (docs/documents/<kind>.png).

Seeds the demo data (manage.py seed_demo) into a throw-away SQLite database, issues one document of
every kind that the demo has a subject for (signed with the development key), and draws the first page
of each at 80 dpi with pdftoppm (poppler-utils). Nothing outside docs/documents/ is changed.

    uv run python scripts/documents.py
"""

import os
import subprocess

from demo_env import ROOT, django_setup, seeded_demo

OUT = ROOT / "docs" / "documents"
DPI = os.environ.get("DOCUMENTS_DPI", "80")


def main():
    work, env = seeded_demo("documents")
    django_setup(env)
    from portal.accounts.models import Role, User
    from portal.documents import issuing as documents

    bureau = User.objects.filter(role=Role.BUREAU_STAFF, is_active=True).order_by("pk").first()
    OUT.mkdir(parents=True, exist_ok=True)
    _revoke_one(bureau)
    made = []
    for kind in documents.KINDS.values():
        subject = next(
            (s for s in kind.subject.objects.order_by("pk") if kind.problem(s) is None),
            None,
        )
        if subject is None:
            print(f"skipped {kind.key}: the demo data has nothing to issue it for")
            continue
        document = documents.document_issue(actor=bureau, kind_key=kind.key, subject=subject)
        pdf = work / f"{kind.key}.pdf"
        pdf.write_bytes(document.file.read())
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                DPI,
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(OUT / kind.key),
            ],
            check=True,
        )
        made.append(kind.key)
        print(f"docs/documents/{kind.key}.png  {kind.label}  {document.number or ''}")
    print(f"{len(made)} previews in docs/documents/")


def _revoke_one(bureau):
    """The demo revokes no base: revoke one recognised base here (a bureau decision), so the
    revocation decision has a preview too."""
    from bases.models import PilotBase, Status
    from bases.policy import RevocationReason
    from bases.services import base_revoke

    base = PilotBase.objects.filter(status=Status.RECOGNIZED).order_by("pk").first()
    if base is not None:
        base_revoke(actor=bureau, base=base, reason_code=RevocationReason.BUREAU_DECISION)


if __name__ == "__main__":
    main()
