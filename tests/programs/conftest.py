"""The program officers of both provinces, and a program in each."""

import pytest
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from tests.conftest import make_user
from tests.programs.factories import make_program


@pytest.fixture
def jatim_program_officer(jatim):
    return make_user("jatim-program", province=jatim, roles=[Role.PROGRAM_OFFICER])


@pytest.fixture
def kalsel_program_officer(kalsel):
    return make_user("kalsel-program", province=kalsel, roles=[Role.PROGRAM_OFFICER])


@pytest.fixture
def opop_jatim(jatim):
    with scopes_disabled():
        return make_program(jatim, slug="opop-jatim", name="OPOP Jawa Timur")


@pytest.fixture
def opop_kalsel(kalsel):
    with scopes_disabled():
        return make_program(kalsel, slug="opop-kalsel", name="OPOP Kalimantan Selatan")
