"""The kept claim data (claims.selectors): what is kept, for how long, and what is read again.

Fakes stand in for the Claims API client here: these are the cache's rules, with no HTTP."""

from __future__ import annotations


def test_a_claim_page_with_a_section_that_failed_is_not_kept():
    from django.core.cache import cache

    from claims.selectors import member_claim_page
    from portal.gateway.errors import ServiceError

    calls = []

    class Client:
        def get_claim(self, number, *, person_id):
            calls.append("claim")
            return f"claim {number}"

        def get_denials(self, number):
            calls.append("denials")
            return "history"

        def list_claim_receipts(self, number, *, person_id, page_size):
            calls.append("receipts")
            if calls.count("receipts") == 1:
                raise ServiceError(status=503, request_id="r-1")
            return "receipts"

    cache.clear()
    first = member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-1")
    assert isinstance(first.receipts, ServiceError) and first.history == "history"
    second = member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-1")
    assert second.receipts == "receipts" and calls.count("claim") == 2  # asked again, then kept
    third = member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-1")
    assert third == second and calls.count("claim") == 2
    other_user = member_claim_page(client=Client(), user_id=8, person_id="p", claim_number="C-1")
    assert other_user == second and calls.count("claim") == 3  # each user's copy is their own
    cache.clear()


def test_a_claim_page_takes_the_claim_from_the_members_kept_list(settings):
    import time
    from types import SimpleNamespace

    from django.core.cache import cache

    from claims import selectors
    from claims.selectors import ClaimList, member_claim_page

    calls = []

    class Client:
        def get_claim(self, number, *, person_id):
            calls.append(("claim", number))
            return SimpleNamespace(claim_number=number, source="read")

        def get_denials(self, number):
            calls.append(("denials", number))
            return "history"

        def list_claim_receipts(self, number, *, person_id, page_size):
            calls.append(("receipts", number))
            return "receipts"

    cache.clear()
    listed = (SimpleNamespace(claim_number="C-1", source="list"),)
    keep = selectors._copies.set
    keep(selectors._member_list_key(7), ClaimList(read_at=time.time(), claims=listed, expires_at=time.time() + 60), 60)  # type: ignore[arg-type]
    view = member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-1")
    assert view.claim.source == "list" and ("claim", "C-1") not in calls  # two calls, not three
    assert {("denials", "C-1"), ("receipts", "C-1")} <= set(calls)
    other = member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-2")
    assert other.claim.source == "read" and ("claim", "C-2") in calls  # not in the list: read it
    settings.CLAIMS_CACHE_SECONDS = 4  # a list about to expire is not used: the claim is read
    cache.clear()
    keep(selectors._member_list_key(7), ClaimList(read_at=time.time(), claims=listed, expires_at=time.time() + 4), 60)  # type: ignore[arg-type]
    assert member_claim_page(client=Client(), user_id=7, person_id="p", claim_number="C-1").claim.source == "read"
    cache.clear()


def test_after_an_upload_copies_are_kept_no_longer_than_the_ones_they_replace(settings):
    import time
    from types import SimpleNamespace

    from claims import selectors
    from claims.selectors import ClaimList, ClaimPage
    from portal.cache import LocalCopies
    from portal.gateway.errors import ServiceError

    settings.CLAIMS_CACHE_SECONDS = 60
    original, selectors._copies = selectors._copies, LocalCopies()
    copies = selectors._copies
    fresh = SimpleNamespace(claim_number="C-1", source="fresh")
    old = SimpleNamespace(claim_number="C-1", source="old")
    other = SimpleNamespace(claim_number="C-2", source="old")
    new_receipts = SimpleNamespace(items=("new",))
    answers: list[object] = [fresh, new_receipts]

    class Client:
        def get_claim(self, number, *, person_id):
            return answers[0]

        def list_claim_receipts(self, number, *, person_id, page_size):
            if isinstance(answers[1], Exception):
                raise answers[1]
            return answers[1]

        def get_denials(self, number):
            return "fresh history"

    list_key, page_key = selectors._member_list_key(7), selectors._member_page_key(7, "C-1")
    stored: dict[str, int] = {}
    set_copy = copies.set
    copies.set = lambda key, value, timeout: stored.__setitem__(key, timeout) or set_copy(key, value, timeout)  # type: ignore[method-assign]

    def upload():  # type: ignore[no-untyped-def]
        return selectors.member_claim_after_upload(client=Client(), user_id=7, person_id="p", claim_number="C-1")  # type: ignore[arg-type]

    try:
        copies.set(list_key, ClaimList(read_at=time.time() - 50, claims=(old, other), expires_at=time.time() + 10), 60)  # type: ignore[arg-type]
        copies.set(page_key, ClaimPage(claim=old, history="h", receipts="r", read_at=time.time() - 20), 60)  # type: ignore[arg-type]
        # An upload does not change denials: the kept page's history serves (no second read).
        assert upload() == (fresh, ("new",), "h")
        kept = copies.get(list_key)
        assert [c.source for c in kept.claims] == ["fresh", "old"] and stored[list_key] <= 10
        assert kept.receipts_of("C-1") == ("new",)
        page = copies.get(page_key)
        assert (page.claim, page.history, page.receipts) == (fresh, "h", new_receipts)
        assert 35 <= stored[page_key] <= 40
        # A copy kept before its read time was recorded, or a failed read after the upload: forgotten.
        copies.set(page_key, ClaimPage(claim=old, history="h", receipts="r"), 60)  # type: ignore[arg-type]
        upload()
        assert copies.get(page_key) is None and copies.get(list_key) is not None
        answers[1] = ServiceError(status=503, request_id="r")
        assert upload() == (fresh, None, "fresh history")  # no kept page: the history read with them
        assert copies.get(list_key) is None
    finally:
        selectors._copies = original
