"""Two province admins acting at the same moment cannot leave a province without one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from niaga.accounts import domain
from niaga.accounts.models import Membership, Role
from tests.conftest import make_user


def _at_once(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_revoking_themselves_leave_one(jatim, attempt):
    first = make_user("admin-a", province=jatim, roles=[Role.PROVINCE_ADMIN, Role.VIEWER])
    second = make_user("admin-b", province=jatim, roles=[Role.PROVINCE_ADMIN, Role.VIEWER])
    results = _at_once(
        lambda: domain.role_revoke(
            actor=first, province=jatim, user=first, role=Role.PROVINCE_ADMIN
        ),
        lambda: domain.role_revoke(
            actor=second, province=jatim, user=second, role=Role.PROVINCE_ADMIN
        ),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    with scope(province=jatim):
        assert Membership.objects.filter(role=Role.PROVINCE_ADMIN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_admins_deactivating_each_other_leave_one(jatim):
    first = make_user("admin-a", province=jatim, roles=[Role.PROVINCE_ADMIN])
    second = make_user("admin-b", province=jatim, roles=[Role.PROVINCE_ADMIN])
    results = _at_once(
        lambda: domain.user_deactivate(actor=first, province=jatim, user=second),
        lambda: domain.user_deactivate(actor=second, province=jatim, user=first),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    with scope(province=jatim):
        active = Membership.objects.filter(role=Role.PROVINCE_ADMIN, user__is_active=True)
        assert active.count() == 1
