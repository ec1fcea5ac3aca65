"""Personal data at rest: encryption under rotatable keys, keyed look-up hashes, rotation."""

import base64
import hashlib
import hmac
import io
import os
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from niaga import config
from niaga.audit.models import AuditEvent
from niaga.config import LOOKUP_KEY_FILE, PERSONAL_DATA_KEYS_FILE, load_config
from niaga.core import personal_data
from niaga.core.personal_data import (
    DecryptionError,
    decrypt,
    encrypt,
    lookup_hash,
    lookup_hashes,
    needs_rotation,
    rotate,
    rotate_column,
)
from niaga.registry.models import Person

# Fixed keys (not random): xdist workers must collect the same parametrised ids.
OLD_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
NEW_KEY = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
OLD_LOOKUP = "old-look-up-key-" + "o" * 40
NEW_LOOKUP = "new-look-up-key-" + "n" * 40
KEY_VARIABLES = ["NIAGA_PERSONAL_DATA_KEYS", "NIAGA_LOOKUP_KEY", "NIAGA_LOOKUP_KEY_PREVIOUS"]

# Two NIKs valid in structure (not real ones): East Java and South Kalimantan.
NIKS = ["3578014107900001", "3578015506850002", "3578012212000003"]
KALSEL_NIKS = ["6371010101900001", "6371014405880002"]


def old_keys():
    return override_settings(
        NIAGA_PERSONAL_DATA_KEYS=(OLD_KEY,),
        NIAGA_LOOKUP_KEY=OLD_LOOKUP,
        NIAGA_LOOKUP_KEY_PREVIOUS=None,
    )


def rotating_keys():
    """Mid-rotation: the new keys first, the old ones still known."""
    return override_settings(
        NIAGA_PERSONAL_DATA_KEYS=(NEW_KEY, OLD_KEY),
        NIAGA_LOOKUP_KEY=NEW_LOOKUP,
        NIAGA_LOOKUP_KEY_PREVIOUS=OLD_LOOKUP,
    )


def new_keys_only():
    return override_settings(
        NIAGA_PERSONAL_DATA_KEYS=(NEW_KEY,),
        NIAGA_LOOKUP_KEY=NEW_LOOKUP,
        NIAGA_LOOKUP_KEY_PREVIOUS=None,
    )


def expected_hash(key: str, kind: str, value: str) -> str:
    """The specification, computed independently: HMAC-SHA256 of "kind:value", in hex."""
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


# --- Configuration -----------------------------------------------------------


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in [*KEY_VARIABLES, "SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIAGA_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_keys_are_generated_once_kept_for_the_service_account_and_reused(env, tmp_path):
    first = load_config()
    second = load_config()
    assert first.personal_data_keys == second.personal_data_keys
    assert first.lookup_key == second.lookup_key
    assert first.lookup_key_previous is None
    assert len(first.personal_data_keys) == 1
    Fernet(first.personal_data_keys[0])  # a usable Fernet key
    assert len(first.lookup_key) >= config.LOOKUP_KEY_MIN_LENGTH

    keys_file = tmp_path / "data" / PERSONAL_DATA_KEYS_FILE
    lookup_file = tmp_path / "data" / LOOKUP_KEY_FILE
    assert keys_file.read_text() == first.personal_data_keys[0] + "\n"
    assert lookup_file.read_text() == first.lookup_key + "\n"
    assert keys_file.stat().st_mode & 0o777 == 0o600
    assert lookup_file.stat().st_mode & 0o777 == 0o600
    # No temporary file is left behind in the data folder.
    assert sorted(p.name for p in (tmp_path / "data").iterdir() if p.name.startswith(".")) == []


def test_keys_from_the_environment_win_and_no_file_is_written(env, tmp_path):
    env.setenv("NIAGA_PERSONAL_DATA_KEYS", f"{NEW_KEY}, {OLD_KEY}")
    env.setenv("NIAGA_LOOKUP_KEY", NEW_LOOKUP)
    env.setenv("NIAGA_LOOKUP_KEY_PREVIOUS", OLD_LOOKUP)
    loaded = load_config()
    assert loaded.personal_data_keys == (NEW_KEY, OLD_KEY)
    assert (loaded.lookup_key, loaded.lookup_key_previous) == (NEW_LOOKUP, OLD_LOOKUP)
    assert not (tmp_path / "data" / PERSONAL_DATA_KEYS_FILE).exists()
    assert not (tmp_path / "data" / LOOKUP_KEY_FILE).exists()


def test_the_key_file_holds_several_keys_newest_first_with_notes(env, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / PERSONAL_DATA_KEYS_FILE).write_text(
        f"# added 2026-05-09\n{NEW_KEY}\n\n# the first key, until the rotation\n{OLD_KEY}\n"
    )
    assert load_config().personal_data_keys == (NEW_KEY, OLD_KEY)


def test_the_config_repr_shows_no_key(env):
    env.setenv("NIAGA_PERSONAL_DATA_KEYS", NEW_KEY)
    env.setenv("NIAGA_LOOKUP_KEY", NEW_LOOKUP)
    env.setenv("NIAGA_LOOKUP_KEY_PREVIOUS", OLD_LOOKUP)
    shown = repr(load_config())
    for secret in (NEW_KEY, NEW_LOOKUP, OLD_LOOKUP):
        assert secret not in shown


# A valid key with its last character changed is still nearly a secret: the
# message must not repeat it.
NEAR_KEY = NEW_KEY[:-2] + ("A" if NEW_KEY[-2] != "A" else "B") + "x"


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("NIAGA_PERSONAL_DATA_KEYS", "not-a-key", "key 1 of 1 is not a Fernet key"),
        ("NIAGA_PERSONAL_DATA_KEYS", NEAR_KEY, "key 1 of 1 is not a Fernet key"),
        ("NIAGA_PERSONAL_DATA_KEYS", f"{NEW_KEY},{NEAR_KEY}", "key 2 of 2 is not a Fernet key"),
        ("NIAGA_PERSONAL_DATA_KEYS", f"{NEW_KEY},", "key 2 of 2 is empty"),
        ("NIAGA_LOOKUP_KEY", "short-look-up-key", "must be at least 32 characters long"),
        ("NIAGA_LOOKUP_KEY_PREVIOUS", "short-look-up-key", "must be at least 32 characters"),
    ],
)
def test_a_malformed_key_names_the_variable_and_the_rule_but_not_the_key(
    env, variable, value, rule
):
    env.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_config()
    message = str(raised.value)
    assert message.startswith(f"Environment variable {variable}: ")
    assert rule in message
    for part in value.split(","):
        if part:
            assert part not in message


def test_the_previous_look_up_key_must_differ_from_the_current_one(env):
    env.setenv("NIAGA_LOOKUP_KEY", NEW_LOOKUP)
    env.setenv("NIAGA_LOOKUP_KEY_PREVIOUS", NEW_LOOKUP)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_config()
    assert str(raised.value).startswith("Environment variable NIAGA_LOOKUP_KEY_PREVIOUS: ")
    assert "is the same as the current look-up key" in str(raised.value)


def test_a_damaged_key_file_says_restore_it_never_delete_it(env, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / PERSONAL_DATA_KEYS_FILE).write_text(f"{NEW_KEY}\n{NEAR_KEY}\n")
    with pytest.raises(ImproperlyConfigured) as raised:
        load_config()
    message = str(raised.value)
    assert message == (
        "Environment variable NIAGA_PERSONAL_DATA_KEYS: unset, and line 2 of the key file "
        f"{data / PERSONAL_DATA_KEYS_FILE} is not a Fernet key (32 random bytes in url-safe "
        "base64, 44 characters; make one with `niaga rotate_personal_keys --new-key`); restore "
        "the file from your key backup (the personal data cannot be read without it)"
    )
    assert NEAR_KEY not in message
    assert (data / PERSONAL_DATA_KEYS_FILE).exists()  # nothing was replaced or removed


def test_an_empty_key_file_is_refused_not_regenerated(env, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / PERSONAL_DATA_KEYS_FILE).write_text("# keys were here\n")
    with pytest.raises(ImproperlyConfigured, match="NIAGA_PERSONAL_DATA_KEYS: unset, and the key"):
        load_config()
    assert (data / PERSONAL_DATA_KEYS_FILE).read_text() == "# keys were here\n"


def test_processes_starting_together_agree_on_one_key(tmp_path):
    """Every starter passes the 'no file yet' check before any writes; one key wins for all."""
    starters = 8
    all_generating = threading.Barrier(starters, timeout=10)
    path = tmp_path / "lookup_key"
    answers = [None] * starters

    def start(number):
        def generate():
            all_generating.wait()
            return f"key-of-starter-{number}-" + "k" * 32

        answers[number] = config._kept_secret(path, generate)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(set(answers)) == 1
    assert answers[0] == path.read_text()
    assert answers[0].startswith("key-of-starter-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lookup_key"]


def test_the_test_run_has_keys_generated_into_its_own_data_folder():
    """The pytest plugin points NIAGA_DATA_DIR at a temporary folder: keys come from there."""
    if any(name in os.environ for name in KEY_VARIABLES):
        pytest.skip("this run sets key variables; the test is about keys generated for tests")
    assert Path(os.environ["NIAGA_TEST_DATA_DIR"]).resolve() == settings.DATA_DIR
    keys_file = settings.DATA_DIR / PERSONAL_DATA_KEYS_FILE
    assert keys_file.read_text().split() == list(settings.NIAGA_PERSONAL_DATA_KEYS)
    assert (settings.DATA_DIR / LOOKUP_KEY_FILE).read_text().strip() == settings.NIAGA_LOOKUP_KEY
    assert decrypt(encrypt("3578014107900001")) == "3578014107900001"


# --- Values ------------------------------------------------------------------


@given(st.text())
def test_encryption_round_trips_any_text(value):
    token = encrypt(value)
    assert decrypt(token) == value
    token.encode("ascii")  # text that fits any column


@given(st.text(min_size=1))
def test_two_encryptions_differ_but_the_look_up_hash_is_stable(value):
    assert encrypt(value) != encrypt(value)
    assert lookup_hash("nik", value) == lookup_hash("nik", value)
    assert lookup_hash("nik", value) == expected_hash(settings.NIAGA_LOOKUP_KEY, "nik", value)


def test_the_token_does_not_contain_the_value():
    nik = NIKS[0]
    token = encrypt(nik)
    assert nik not in token
    assert nik.encode() not in base64.urlsafe_b64decode(token)


def test_the_look_up_hash_is_keyed_and_separates_kinds():
    nik = NIKS[0]
    with old_keys():
        under_old = lookup_hash("nik", nik)
        assert under_old == expected_hash(OLD_LOOKUP, "nik", nik)
        assert lookup_hash("phone", nik) == expected_hash(OLD_LOOKUP, "phone", nik)
        assert lookup_hash("phone", nik) != under_old
        assert len(under_old) == 64
        assert set(under_old) <= set("0123456789abcdef")
    with new_keys_only():
        assert lookup_hash("nik", nik) == expected_hash(NEW_LOOKUP, "nik", nik)
        assert lookup_hash("nik", nik) != under_old
    # Not a plain hash anybody could compute from a guessed NIK.
    assert lookup_hash("nik", nik) != hashlib.sha256(f"nik:{nik}".encode()).hexdigest()


def test_look_ups_during_a_look_up_key_rotation_try_both_keys():
    nik = NIKS[0]
    with old_keys():
        assert lookup_hashes("nik", nik) == (expected_hash(OLD_LOOKUP, "nik", nik),)
    with rotating_keys():
        assert lookup_hashes("nik", nik) == (
            expected_hash(NEW_LOOKUP, "nik", nik),
            expected_hash(OLD_LOOKUP, "nik", nik),
        )


@pytest.mark.parametrize("kind", ["", "NIK", "ni:k", "1nik", "nik phone"])
def test_a_kind_must_be_a_lower_case_name(kind):
    with pytest.raises(ValueError, match="must be lower-case letters, digits and _"):
        lookup_hash(kind, NIKS[0])


def test_an_absent_value_has_no_hash_and_cannot_be_encrypted_as_none():
    with pytest.raises(ValueError, match="needs a non-empty str value"):
        lookup_hash("nik", "")
    with pytest.raises(TypeError, match="takes a str, not NoneType"):
        encrypt(None)


def test_a_value_under_an_old_key_decrypts_once_a_new_key_is_put_first():
    nik = NIKS[0]
    with old_keys():
        token = encrypt(nik)
        assert needs_rotation(token) is False
    with rotating_keys():
        assert decrypt(token) == nik
        assert needs_rotation(token) is True
        fresh = encrypt(nik)
        assert needs_rotation(fresh) is False
        rotated = rotate(token)
        assert needs_rotation(rotated) is False
        assert decrypt(rotated) == nik
    # The token's creation time survives the rotation.
    assert Fernet(NEW_KEY).extract_timestamp(rotated) == Fernet(OLD_KEY).extract_timestamp(token)
    with new_keys_only():
        assert decrypt(rotated) == nik
        assert decrypt(fresh) == nik
        with pytest.raises(DecryptionError) as raised:
            decrypt(token)
        assert token not in str(raised.value)
        assert "no key in NIAGA_PERSONAL_DATA_KEYS decrypts this value" in str(raised.value)
        with pytest.raises(DecryptionError):
            rotate(token)


@pytest.mark.parametrize("token", ["", "not a token", "gAAAAA" + "A" * 80, "ŋ"])
def test_something_that_is_no_token_is_a_decryption_error(token):
    with pytest.raises(DecryptionError):
        decrypt(token)
    assert needs_rotation(token) is True


def test_registering_a_column_twice_is_harmless_but_a_conflict_is_refused(columns):
    first = personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "x", "n")
    again = personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "x", "n")
    assert first is again
    assert personal_data.ENCRYPTED_COLUMNS.count(first) == 1
    with pytest.raises(ValueError, match="already registered"):
        personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "y", "n")


# --- Rotating stored rows ----------------------------------------------------


@pytest.fixture
def columns():
    """The registry as the test leaves it is put back afterwards."""
    saved = list(personal_data.ENCRYPTED_COLUMNS)
    personal_data.ENCRYPTED_COLUMNS.clear()
    yield personal_data.ENCRYPTED_COLUMNS
    personal_data.ENCRYPTED_COLUMNS[:] = saved


def make_person(province, nik: str | None, **fields) -> Person:
    fields.setdefault("full_name", f"Santri {nik or 'tanpa NIK'}")
    person = Person(province=province, role="santri", gender="male", **fields)
    if nik:
        person.nik_encrypted = encrypt(nik)
        person.nik_hash = lookup_hash("nik", nik)
        person.nik_masked = nik[:4] + "*" * 8 + nik[-4:]
    with scopes_disabled():
        person.save()
    return person


def stored(person: Person) -> tuple[str, str | None]:
    with scopes_disabled():
        return tuple(
            Person.objects.filter(pk=person.pk).values_list("nik_encrypted", "nik_hash").get()
        )


@pytest.fixture
def people_under_old_keys(jatim, kalsel):
    """Three East Java and two South Kalimantan people with a NIK, one without, all old keys."""
    with old_keys():
        people = {nik: make_person(jatim, nik) for nik in NIKS}
        people |= {nik: make_person(kalsel, nik) for nik in KALSEL_NIKS}
        people[None] = make_person(jatim, None)
    return people


def find(nik: str) -> list[int]:
    with scopes_disabled():
        hashes = lookup_hashes("nik", nik)
        return list(Person.objects.filter(nik_hash__in=hashes).values_list("pk", flat=True))


@pytest.mark.django_db
def test_rotate_column_brings_every_province_under_the_new_keys(people_under_old_keys):
    people = people_under_old_keys
    without_nik = stored(people[None])
    with scopes_disabled():
        versions = dict(Person.objects.values_list("pk", "version"))
        changed_at = dict(Person.objects.values_list("pk", "updated_at"))

    with rotating_keys():
        # Before the rotation, look-ups already find rows by their old hash.
        assert find(NIKS[1]) == [people[NIKS[1]].pk]
        result = rotate_column(Person, "nik_encrypted", "nik_hash", "nik", batch_size=2)
    assert result.as_dict() == {
        "column": "registry.Person.nik_encrypted",
        "values": 5,
        "reencrypted": 5,
        "rehashed": 5,
        "repaired": 0,
    }

    with new_keys_only():  # the old keys are gone
        for nik in NIKS + KALSEL_NIKS:
            token, digest = stored(people[nik])
            assert decrypt(token) == nik
            assert needs_rotation(token) is False
            assert digest == expected_hash(NEW_LOOKUP, "nik", nik)
            assert find(nik) == [people[nik].pk]
    assert stored(people[None]) == without_nik == ("", None)
    with scopes_disabled():
        assert dict(Person.objects.values_list("pk", "version")) == versions
        assert dict(Person.objects.values_list("pk", "updated_at")) == changed_at


@pytest.mark.django_db
def test_running_the_rotation_again_changes_nothing(people_under_old_keys):
    with rotating_keys():
        rotate_column(Person, "nik_encrypted", "nik_hash", "nik")
        after_first = {nik: stored(p) for nik, p in people_under_old_keys.items()}
        again = rotate_column(Person, "nik_encrypted", "nik_hash", "nik", batch_size=1)
    assert (again.values, again.changed) == (5, 0)
    assert {nik: stored(p) for nik, p in people_under_old_keys.items()} == after_first


@pytest.mark.django_db
def test_a_missing_or_wrong_hash_is_repaired(jatim):
    with new_keys_only():
        missing = make_person(jatim, NIKS[0])
        wrong = make_person(jatim, NIKS[1])
        with scopes_disabled():
            Person.objects.filter(pk=missing.pk).update(nik_hash=None)
            Person.objects.filter(pk=wrong.pk).update(nik_hash="0" * 64)
        result = rotate_column(Person, "nik_encrypted", "nik_hash", "nik")
        assert (result.values, result.reencrypted, result.rehashed, result.repaired) == (2, 0, 0, 2)
        assert stored(missing)[1] == expected_hash(NEW_LOOKUP, "nik", NIKS[0])
        assert stored(wrong)[1] == expected_hash(NEW_LOOKUP, "nik", NIKS[1])


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(people_under_old_keys):
    before = {nik: stored(p) for nik, p in people_under_old_keys.items()}
    with rotating_keys():
        result = rotate_column(Person, "nik_encrypted", "nik_hash", "nik", dry_run=True)
    assert (result.values, result.reencrypted, result.rehashed, result.repaired) == (5, 5, 5, 0)
    assert {nik: stored(p) for nik, p in people_under_old_keys.items()} == before


@pytest.mark.django_db
def test_a_row_no_key_decrypts_stops_the_rotation_and_keeps_its_batch_unchanged(jatim):
    stranger = Fernet(Fernet.generate_key())
    with old_keys():
        first = [make_person(jatim, nik) for nik in NIKS[:2]]
        lost = make_person(jatim, None, full_name="Santri kunci hilang")
        with scopes_disabled():
            Person.objects.filter(pk=lost.pk).update(
                nik_encrypted=stranger.encrypt(NIKS[2].encode()).decode()
            )
        after = make_person(jatim, KALSEL_NIKS[0])
    untouched = [stored(lost), stored(after)]
    with rotating_keys(), pytest.raises(DecryptionError) as raised:
        rotate_column(Person, "nik_encrypted", "nik_hash", "nik", batch_size=2)
    assert str(raised.value) == (
        f"registry.Person.nik_encrypted of row {lost.pk}: no key in NIAGA_PERSONAL_DATA_KEYS "
        "decrypts it. This batch was not changed; put back the key it was written with and "
        "run the command again."
    )
    with new_keys_only():  # the first batch was committed under the new keys
        assert [decrypt(stored(p)[0]) for p in first] == NIKS[:2]
    assert [stored(lost), stored(after)] == untouched


# --- The command -------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("rotate_personal_keys", *args, stdout=out)
    return out.getvalue()


def rotation_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="core.personal_keys.rotated").order_by("id"))


@pytest.mark.django_db
def test_the_command_rotates_every_registered_column_and_audits_once(
    columns, people_under_old_keys
):
    personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "nik_hash", "nik")
    with rotating_keys():
        dry = run("--dry-run")
        first = run("--batch-size", "2")
        second = run()

    assert dry == (
        "Keys: 2 personal-data keys (the first encrypts); look-up key and "
        "NIAGA_LOOKUP_KEY_PREVIOUS\n"
        "Dry run: nothing will be changed.\n"
        "registry.Person.nik_encrypted: 5 values, to re-encrypt 5, hashes to recompute 5 "
        "(from NIAGA_LOOKUP_KEY_PREVIOUS), hashes to repair 0 (missing, or matching neither "
        "look-up key)\n"
        "5 rows to change.\n"
    )
    assert first == (
        "Keys: 2 personal-data keys (the first encrypts); look-up key and "
        "NIAGA_LOOKUP_KEY_PREVIOUS\n"
        "registry.Person.nik_encrypted: 5 values, re-encrypted 5, hashes recomputed 5 "
        "(from NIAGA_LOOKUP_KEY_PREVIOUS), hashes repaired 0 (missing, or matching neither "
        "look-up key)\n"
        "Every value is under the current keys.\n"
        "The keys after the first in NIAGA_PERSONAL_DATA_KEYS (or the key file) are no longer "
        "needed: remove them, then restart the app servers.\n"
        "NIAGA_LOOKUP_KEY_PREVIOUS is no longer needed: unset it, then restart the app "
        "servers.\n"
    )
    assert "re-encrypted 0, hashes recomputed 0 (" in second
    assert "hashes repaired 0 (" in second

    events = rotation_events()
    assert len(events) == 2  # one per real run, none for the dry run
    event = events[0]
    assert (event.actor, event.actor_label, event.province, event.before) == (
        None,
        "system",
        None,
        None,
    )
    assert event.after == {
        "columns": [
            {
                "column": "registry.Person.nik_encrypted",
                "values": 5,
                "reencrypted": 5,
                "rehashed": 5,
                "repaired": 0,
            }
        ],
        "personal_data_keys": 2,
        "lookup_key_previous_set": True,
    }
    assert events[1].after["columns"][0]["reencrypted"] == 0
    with new_keys_only():
        for nik in NIKS + KALSEL_NIKS:
            assert find(nik) == [people_under_old_keys[nik].pk]


@pytest.mark.django_db
def test_the_command_with_nothing_to_do(columns):
    with new_keys_only():
        assert run() == (
            "Keys: 1 personal-data key (the first encrypts); look-up key\n"
            "No encrypted columns are registered.\n"
            "Every value is under the current keys.\n"
        )
        assert run("--dry-run") == (
            "Keys: 1 personal-data key (the first encrypts); look-up key\n"
            "Dry run: nothing will be changed.\n"
            "No encrypted columns are registered.\n"
            "Nothing to change: every value is under the current keys.\n"
        )


@pytest.mark.django_db
def test_the_command_stops_on_a_row_no_key_decrypts(columns, jatim):
    personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "nik_hash", "nik")
    with old_keys():
        person = make_person(jatim, NIKS[0])
    with new_keys_only(), pytest.raises(CommandError) as raised:
        run()
    assert str(raised.value).startswith(
        f"registry.Person.nik_encrypted of row {person.pk}: no key in NIAGA_PERSONAL_DATA_KEYS"
    )
    assert rotation_events() == []


def test_the_command_makes_new_keys_and_refuses_a_bad_batch_size():
    first, second = run("--new-key"), run("--new-key")
    assert first != second
    for printed in (first, second):
        assert printed.endswith("\n") and printed.count("\n") == 1
        Fernet(printed.strip())  # usable in NIAGA_PERSONAL_DATA_KEYS
    with pytest.raises(CommandError, match="--batch-size must be at least 1, not 0"):
        run("--batch-size", "0")


@pytest.mark.django_db
def test_no_key_or_clear_nik_reaches_the_logs_the_output_the_audit_or_the_database(
    columns, people_under_old_keys, caplog
):
    personal_data.register_encrypted_column("registry.Person", "nik_encrypted", "nik_hash", "nik")
    caplog.set_level("DEBUG")
    with rotating_keys(), CaptureQueriesContext(connection) as queries:
        output = run("--dry-run") + run()
    with new_keys_only(), pytest.raises(CommandError) as failure:
        with scopes_disabled():
            Person.objects.filter(pk=people_under_old_keys[NIKS[0]].pk).update(
                nik_encrypted=Fernet(OLD_KEY).encrypt(NIKS[0].encode()).decode()
            )
        run()
    seen = "\n".join(
        [
            caplog.text,
            output,
            str(failure.value),
            *(query["sql"] for query in queries.captured_queries),
            *(str(event.after) for event in rotation_events()),
        ]
    )
    assert "registry.Person.nik_encrypted" in seen  # the haystack is not empty
    for secret in (OLD_KEY, NEW_KEY, OLD_LOOKUP, NEW_LOOKUP, *NIKS, *KALSEL_NIKS):
        assert secret not in seen
