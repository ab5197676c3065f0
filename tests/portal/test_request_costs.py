"""What every signed-in request costs the data stores (the load run's hottest paths)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from portal.models import Profile, Role


@pytest.mark.django_db
def test_the_signed_in_user_and_profile_are_one_query_then_kept_until_either_changes(django_assert_num_queries):
    from portal.auth_backends import PortalAuthenticationBackend

    user = get_user_model().objects.create(username="cost-alice")
    user.set_unusable_password()
    user.save()
    profile = Profile.objects.create(user=user, role=Role.MEMBER, display_name="Alice")
    backend = PortalAuthenticationBackend()
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk).profile.display_name == "Alice"
    with django_assert_num_queries(0):  # the next request of the same user asks the database nothing
        assert backend.get_user(user.pk).profile.display_name == "Alice"
    profile.display_name = "Alice N."
    profile.save()  # a sign-in records the profile again
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk).profile.display_name == "Alice N."
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None  # deactivated: signed out at the next request
    assert backend.get_user(10**9) is None


@pytest.mark.django_db
def test_users_with_a_password_are_never_kept_in_the_cache(django_assert_num_queries):
    from portal.auth_backends import PortalAuthenticationBackend

    staff = get_user_model().objects.create_user(username="cost-staff", password="a long passphrase 42")
    backend = PortalAuthenticationBackend()
    for _ in range(2):
        with django_assert_num_queries(1):
            loaded = backend.get_user(staff.pk)
            with pytest.raises(Profile.DoesNotExist):
                loaded.profile  # noqa: B018 - read with the user: known absent, not asked again
    with django_assert_num_queries(1):
        backend.get_user(staff.pk)


def test_sign_in_records_sessions_with_the_backend_that_reads_the_profile():
    from allauth.account.auth_backends import AuthenticationBackend

    from portal.auth_backends import PortalAuthenticationBackend

    assert issubclass(PortalAuthenticationBackend, AuthenticationBackend)  # allauth's login picks it
    assert "portal.auth_backends.PortalAuthenticationBackend" in settings.AUTHENTICATION_BACKENDS


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_the_redis_cache_reuses_one_client_per_pool():
    from django.core.cache import cache

    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share the pool
    cache.set("cost-probe", {"n": 1}, 5)
    assert cache.get("cost-probe") == {"n": 1}
    cache.delete("cost-probe")


def test_cache_backends_built_in_other_threads_and_contexts_share_one_redis_client():
    """Django builds a backend object per thread and per context (the gateway's gather runs calls
    in copied contexts): each must use the process's one client and pools, not open its own."""
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    from portal import cache as portal_cache

    location = "redis://127.0.0.1:1/0"  # never connected to: clients and pools connect lazily

    def client(where: str = location):  # type: ignore[no-untyped-def]
        return portal_cache.RedisCache(where, {})._cache

    try:
        here = client()
        with ThreadPoolExecutor(2) as pool:
            in_threads = list(pool.map(lambda _: contextvars.copy_context().run(client), range(4)))
        assert all(other is here for other in in_threads)
        assert contextvars.copy_context().run(client) is here
        assert client(location + ",redis://127.0.0.1:2/0") is not here  # other servers, other pools
    finally:
        portal_cache._shared_clients.clear()


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_cache_reads_in_gathered_calls_open_no_new_redis_connections(monkeypatch):
    import redis
    from django.core.cache import cache

    from portal.gateway import gather

    def reads() -> None:
        gather(lambda: cache.get("cost-a"), lambda: cache.get("cost-b"), lambda: cache.get("cost-c"))

    reads()
    opened = []
    make_connection = redis.ConnectionPool.make_connection
    monkeypatch.setattr(
        redis.ConnectionPool, "make_connection", lambda pool: opened.append(pool) or make_connection(pool)
    )
    for _ in range(20):
        reads()
    # Before the pools were shared, every gathered call opened one (60 here).
    assert len(opened) <= 3


def test_the_claims_table_escapes_what_the_api_sends_and_shows_calendar_dates():
    import uuid
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from django.template.loader import render_to_string

    from claims.situation import situation
    from portal.gateway.models import Claim, ClaimSource, ClaimStatus, ReceiptStatus

    zero = Decimal("0.00")
    claim = Claim(
        claim_number="11ACME?1 x", claim_amount=Decimal("1234.50"), paid_amount=zero, submitted_amount=zero,
        denied_amount=zero, applied_copay_amount=zero, applied_coinsurance_amount=zero,
        applied_deductible_amount=zero, claim_status=ClaimStatus.PENDING_RECEIPT, is_ptp=False,
        receipt_status=ReceiptStatus.REQUIRED, claim_source=ClaimSource.CONSUMER, expense_id=uuid.uuid4(),
        start_date_of_service=datetime(2026, 3, 10, tzinfo=UTC), provider_name="<script>x</script> & Co",
        category="Medical", expense_type="Copay",
    )  # fmt: skip
    from claims.services import claim_rows

    rows = claim_rows([situation(claim, today=date(2026, 3, 20))], employer=False)
    html = render_to_string("claims/_claims_table.html", {"rows": rows, "caption": "c", "empty_text": "none"})
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html and "<script>" not in html
    assert 'href="/claims/11ACME%3F1%20x/"' in html  # the number is one path segment, whatever it holds
    assert "Mar 10, 2026" in html and "$1,234.50" in html and "Medical · Copay" in html
    assert '<span class="badge tone-action">Send a receipt</span>' in html
    empty = render_to_string(
        "claims/_claims_table.html", {"rows": [], "caption": "c", "empty_text": "No claims match."}
    )
    assert '<td colspan="6">No claims match.</td>' in empty


def test_cache_timeouts_are_spread_over_the_last_quarter_and_never_longer():
    from portal.cache import spread

    seen = {spread(60) for _ in range(500)}
    assert min(seen) >= 45 and max(seen) <= 60 and len(seen) > 8  # entries written together spread out
    assert spread(0) == 0 and spread(1) == 1  # off stays off


def test_the_fast_date_filters_print_what_djangos_date_filter_prints():
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import timezone

    template = Template(
        '{% load claims_tags tz %}{{ d|date:"M j, Y" }}|{{ d|short_date }}|{{ d|date:"F j, Y" }}|{{ d|long_date }}|'
        '{{ d|utc|date:"M j, Y" }}|{{ d|utc|short_date }}'
    )
    values = [
        datetime(2026, 3, 10, 2, 30, tzinfo=UTC),  # the evening before in New York
        datetime(2025, 12, 31, 23, 59, tzinfo=UTC),
        date(2026, 9, 1),
        None,
        "",
    ]
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        with timezone.override(ZoneInfo(zone)):
            for value in values:
                theirs_short, ours_short, theirs_long, ours_long, utc_theirs, utc_ours = template.render(
                    Context({"d": value})
                ).split("|")
                assert (ours_short, ours_long, utc_ours) == (theirs_short, theirs_long, utc_theirs), (zone, value)
    with timezone.override(ZoneInfo("America/New_York")):
        assert (
            Template("{% load claims_tags %}{{ d|short_date }}").render(
                Context({"d": datetime(2026, 3, 10, 2, 30, tzinfo=UTC)})
            )
            == "Mar 9, 2026"
        )  # the member's own day, like |date


def test_static_urls_are_worked_out_once_per_process(tmp_path, monkeypatch):
    import json

    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from portal.staticfiles import PortalStaticFilesStorage

    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"portal/portal.css": "portal/portal.abc123.css"}, "hash": "h"})
    )
    storage = PortalStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    calls = []
    real_url = CompressedManifestStaticFilesStorage.url

    def counting(self, name, force=False):
        calls.append(name)
        return real_url(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counting)
    assert storage.url("portal/portal.css") == "/static/portal/portal.abc123.css"
    assert storage.url("portal/portal.css") == "/static/portal/portal.abc123.css"
    assert calls == ["portal/portal.css"]
    with pytest.raises(ValueError):
        storage.url("portal/missing.css")  # a missing file still fails loudly, and is not kept
    with pytest.raises(ValueError):
        storage.url("portal/missing.css")


def test_the_layout_links_are_the_reversed_urls():
    from django.urls import reverse

    from portal.context_processors import layout_links

    links = layout_links()
    assert links["claims"] == reverse("claims:claim_list") and links["signout"] == reverse("signout")
    assert links["audit_trail"] == reverse("claims:audit_trail") and layout_links() is links


def test_local_copies_are_used_only_while_the_shared_cache_says_they_are_current():
    from django.core.cache import cache

    from portal.cache import LocalCopies

    web1, web2 = LocalCopies(), LocalCopies()  # two app processes behind one shared cache
    value = ("claim", 1)
    web1.set("portal:probe", value, 30)
    on_web2 = web2.get("portal:probe")
    assert on_web2 == value and on_web2 is not value  # read and unpickled once on the other process
    assert web2.get("portal:probe") is on_web2  # then used as it is: nothing unpickled again
    newer = ("claim", 2)
    web1.set("portal:probe", newer, 30)
    assert web2.get("portal:probe") == newer  # a newer version written elsewhere is seen at once
    web1.delete_many(["portal:probe"])  # a member's upload on web1 ...
    assert web2.get("portal:probe") is None and web1.get("portal:probe") is None  # ... is seen on web2
    web1.set("portal:probe", value, 30)
    cache.clear()  # the shared cache lost it (expiry, restart): no process serves its own copy
    assert web1.get("portal:probe") is None

    small = LocalCopies(max_weight=10, weigh=len)  # weighed like claim lists: by their length
    small.set("portal:probe-a", (1,) * 4, 30)
    small.set("portal:probe-b", (2,) * 4, 30)
    small.set("portal:probe-c", (3,) * 4, 30)  # over 10: the least recently used goes
    assert list(small._copies) == ["portal:probe-b", "portal:probe-c"] and small._weight == 8
    assert small.get("portal:probe-a") == (1,) * 4  # still shared through the cache, read again
    small.set("portal:probe-huge", (4,) * 11, 30)  # heavier than everything allowed: never held
    assert "portal:probe-huge" not in small._copies and small.get("portal:probe-huge") == (4,) * 11
    small.delete_many(["portal:probe-a", "portal:probe-b", "portal:probe-c"])
    assert small._weight == 0 and not small._copies


def test_claim_copies_are_weighed_in_claims_so_one_process_holds_a_bounded_number():
    from types import SimpleNamespace

    from claims import selectors

    assert selectors._copies._max_weight == 20_000
    kept = selectors.ClaimList(read_at=0.0, claims=(object(),) * 5080)  # type: ignore[arg-type]
    assert selectors._weight(kept) == 5080  # an employer
    page = SimpleNamespace(items=[1, 2])
    view = selectors.ClaimPage(claim=object(), history=object(), receipts=page)  # type: ignore[arg-type]
    assert selectors._weight(view) == 3
