"""make backup / make restore (scripts/backup.sh, scripts/restore.sh): real round trips on the
embedded SQLite default and on PostgreSQL, with MEDIA_ROOT; a restore needs confirmation and refuses
a damaged backup."""

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from bases.services import evidence_attach
from portal.documents.models import Attachment
from tests.factories import PilotBaseFactory
from tests.uploads import PNG, pdf, upload

ROOT = Path(settings.BASE_DIR)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "BACKUP_DIR",
    "RESTORE_CONFIRM",
    "AWS_STORAGE_BUCKET_NAME",
}


def run(args, **env):
    """A command in the project root with only the given portal variables (never the caller's
    DATABASE_URL: a test must not back up or restore anything but its own data)."""
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED and not k.startswith("MAKE")}
    return subprocess.run(
        args, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=300, check=False
    )


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_media(root: Path) -> None:
    (root / "attachments" / "2026" / "01").mkdir(parents=True)
    (root / "attachments" / "2026" / "01" / "a1b2c3.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (root / "jobs" / "2026" / "02").mkdir(parents=True)
    (root / "jobs" / "2026" / "02" / "9f-基地名录.xlsx").write_bytes("导出 ".encode() * 500)


def backup_directory(result) -> Path:
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_dir() and path.name.startswith("portal-")
    return path


def test_sqlite_round_trip_restores_database_and_media_after_confirmation(tmp_path):
    db, media, backups = tmp_path / "db.sqlite3", tmp_path / "media", tmp_path / "backups"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE base (id INTEGER PRIMARY KEY, name TEXT, blob BLOB)")
        con.executemany(
            "INSERT INTO base (name, blob) VALUES (?, ?)",
            [(f"忻州市第{i}号中试基地", os.urandom(64)) for i in range(300)],
        )
    con.close()
    make_media(media)
    rows, files = sqlite3.connect(db).execute("SELECT * FROM base ORDER BY id").fetchall(), tree(media)
    env = {"DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)}

    saved = backup_directory(run(["make", "--no-print-directory", "backup"], **env))
    assert sorted(p.name for p in saved.iterdir()) == [
        "SHA256SUMS",
        "backup.txt",
        "database.sqlite3",
        "media.tar",
    ]
    assert "database_kind: sqlite" in (saved / "backup.txt").read_text()

    # The loss: the database is gone, a file deleted, one changed, one that was not there.
    db.unlink()
    (media / "attachments" / "2026" / "01" / "a1b2c3.pdf").unlink()
    (media / "jobs" / "2026" / "02" / "9f-基地名录.xlsx").write_bytes(b"overwritten")
    (media / "stray.txt").write_text("not in the backup")
    damaged = tree(media)

    refused = run(["make", "--no-print-directory", "restore"], **env)
    assert refused.returncode != 0 and "RESTORE_CONFIRM=yes" in refused.stderr
    assert not db.exists() and tree(media) == damaged  # nothing touched

    restored = run(["make", "--no-print-directory", "restore", "RESTORE_CONFIRM=yes"], **env)
    assert restored.returncode == 0, restored.stderr
    assert sqlite3.connect(db).execute("SELECT * FROM base ORDER BY id").fetchall() == rows
    assert tree(media) == files


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path):
    db, media, backups = tmp_path / "db.sqlite3", tmp_path / "media", tmp_path / "backups"
    sqlite3.connect(db).close()
    make_media(media)
    env = {"DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)}
    saved = backup_directory(run(["bash", "scripts/backup.sh"], **env))
    archive = saved / "media.tar"
    data = bytearray(archive.read_bytes())
    data[1000] ^= 0xFF
    archive.write_bytes(bytes(data))
    (media / "new-upload.pdf").write_bytes(b"uploaded after the backup")
    before = tree(media)

    result = run(["bash", "scripts/restore.sh", "--yes", str(saved)], **env)
    assert result.returncode == 1
    assert "checksum mismatch" in result.stderr
    assert tree(media) == before


def test_a_postgresql_backup_cannot_be_restored_into_sqlite(tmp_path):
    saved = tmp_path / "backups" / "portal-20260101-000000"
    saved.mkdir(parents=True)
    (saved / "database.dump").write_bytes(b"PGDMP")
    (saved / "backup.txt").write_text("database_kind: postgresql\n")
    subprocess.run("sha256sum -- * > SHA256SUMS", shell=True, cwd=saved, check=True)
    result = run(
        ["bash", "scripts/restore.sh", "--yes", str(saved)],
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 1 and "nothing restored" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


# --- PostgreSQL ---------------------------------------------------------------------------------

DESTINATION = "helper_deploy_dst"
DIGEST = "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _psql(url: str, statement: str) -> None:
    subprocess.run(
        ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement], check=True, capture_output=True
    )


def _snapshot(url: str):
    """Every table's row count and content digest, and every sequence's position."""
    with psycopg.connect(url) as con:
        tables = con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        content = {t: con.execute(sql.SQL(DIGEST).format(sql.Identifier(t))).fetchone() for (t,) in tables}
        sequences = con.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
    return content, sequences


@pytest.fixture
def destination():
    drop = f'DROP DATABASE IF EXISTS "{DESTINATION}" WITH (FORCE)'
    _psql(_url("postgres"), drop)
    _psql(_url("postgres"), f'CREATE DATABASE "{DESTINATION}"')
    yield _url(DESTINATION)
    _psql(_url("postgres"), drop)


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump and pg_restore: CI runs the suite on PostgreSQL first")
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_restores_every_row_and_file(people, settings, tmp_path, destination):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    for i in range(3):
        base = PilotBaseFactory(host=people.host_a, name=f"忻州市备份测试{i}号中试基地")
        evidence_attach(actor=people.staff_a, base=base, condition=1, file=pdf(f"证明材料{i}.pdf"))
        evidence_attach(
            actor=people.staff_a, base=base, condition=2, file=upload(f"现场{i}.png", PNG, "image/png")
        )
    attachments = list(Attachment.objects.values_list("file", "sha256"))
    assert len(attachments) == 6
    source = _url(connection.settings_dict["NAME"])
    before = _snapshot(source)
    backups = tmp_path / "backups"

    env = {"DATABASE_URL": source, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)}
    saved = backup_directory(run(["make", "--no-print-directory", "backup"], **env))
    info = (saved / "backup.txt").read_text()
    assert "database_kind: postgresql" in info
    assert connection.settings_dict["NAME"] in info

    # The destination is not empty: a stale table of another shape, and a stray file, must go.
    _psql(destination, "CREATE TABLE documents_attachment (id int, junk text)")
    _psql(destination, "INSERT INTO documents_attachment VALUES (1, 'x')")
    restored_media = tmp_path / "restored-media"
    (restored_media / "attachments").mkdir(parents=True)
    (restored_media / "attachments" / "stray.pdf").write_bytes(b"stray")

    env = {"DATABASE_URL": destination, "MEDIA_ROOT": str(restored_media), "BACKUP_DIR": str(backups)}
    refused = run(["make", "--no-print-directory", "restore"], **env)
    assert refused.returncode != 0 and (restored_media / "attachments" / "stray.pdf").exists()

    result = run(["make", "--no-print-directory", "restore", "RESTORE_CONFIRM=yes", f"BACKUP={saved}"], **env)
    assert result.returncode == 0, result.stderr
    assert _snapshot(destination) == before
    assert tree(restored_media) == tree(media)
    for name, digest in attachments:
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest
