"""The shared client-credentials token on its own (portal.gateway.shared_token), with a fake fetch:
kept encrypted, one fetch however many threads and "processes" find the token stale, another
process's newer token used, the lifetime less the margin, an undecryptable value fetched again,
a crashed holder's lock waited out. Optum's and Integrex's own tests run it over HTTP."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache

from portal import crypto
from portal.gateway import shared_token as module
from portal.gateway.shared_token import SharedToken, kept_seconds

BASE_URL = "https://api.example.test/v2"
CLIENT_ID = "benefits-portal"


class Fetcher:
    """A fake token endpoint: counts its calls, hands out tok-1, tok-2, ... (``name``-1, ...)."""

    def __init__(self, lifetime: float = 3600.0, delay: float = 0.0, name: str = "tok") -> None:
        self.name = name
        self.lifetime = lifetime
        self.delay = delay
        self.calls = 0
        self._guard = threading.Lock()

    def __call__(self) -> tuple[str, float]:
        with self._guard:
            self.calls += 1
            number = self.calls
        time.sleep(self.delay)  # a slow endpoint: the others must wait, not fetch too
        return f"{self.name}-{number}", self.lifetime


def shared(fetch: Callable[[], tuple[str, float]], **kwargs: Any) -> SharedToken:
    return SharedToken("test:token", base_url=BASE_URL, client_id=CLIENT_ID, fetch=fetch, **kwargs)


def in_threads(count: int, call: Callable[[int], str]) -> list[str]:
    """``call(i)`` in ``count`` threads started together; their results (or the first error)."""
    barrier = threading.Barrier(count)
    results: list[str] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results.append(call(i))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_the_token_is_kept_encrypted_under_a_key_without_the_client_id() -> None:
    fetch = Fetcher()
    token = shared(fetch).get()
    raw = cache.get(shared(fetch).key)
    assert token == "tok-1" and raw and raw != token and token not in raw
    assert crypto.decrypt(raw) == token
    assert CLIENT_ID not in shared(fetch).key and CLIENT_ID not in shared(fetch).lock_key
    assert shared(fetch).get() == token and fetch.calls == 1  # then read from the cache
    assert token not in repr(shared(fetch))


def test_accounts_do_not_share_a_token() -> None:
    fetch = Fetcher()
    first = SharedToken("test:token", base_url=BASE_URL, client_id="one", fetch=fetch)
    second = SharedToken("test:token", base_url=BASE_URL, client_id="two", fetch=fetch)
    other_url = SharedToken("test:token", base_url=BASE_URL + "x", client_id="one", fetch=fetch)
    assert len({first.get(), second.get(), other_url.get()}) == 3 and fetch.calls == 3


def test_a_stale_token_is_fetched_again_once_however_many_threads() -> None:
    fetch = Fetcher(delay=0.2)
    token = shared(fetch)
    token.keep("refused", 3600)
    results = in_threads(8, lambda _: token.get("refused"))
    assert fetch.calls == 1 and results == ["tok-1"] * 8
    assert token.cached() == "tok-1"


def test_the_cache_lock_alone_lets_one_process_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if each thread were a process of its own: no shared thread lock, only the cache's."""
    monkeypatch.setattr(module, "_thread_lock", lambda key: threading.Lock())
    fetch = Fetcher(delay=0.2)
    shared(fetch).keep("refused", 3600)
    results = in_threads(6, lambda _: shared(fetch).get("refused"))
    assert fetch.calls == 1 and results == ["tok-1"] * 6


def test_first_calls_at_once_fetch_one_token() -> None:
    fetch = Fetcher(delay=0.1)
    results = in_threads(6, lambda _: shared(fetch).get())
    assert fetch.calls == 1 and set(results) == {"tok-1"}


def test_another_processs_newer_token_is_used_instead_of_fetching() -> None:
    ours, theirs = Fetcher(name="ours"), Fetcher(name="theirs")
    token = shared(ours).get()
    newer = shared(theirs).get(token)  # another process was refused first and fetched a new one
    assert (token, newer) == ("ours-1", "theirs-1")
    assert shared(ours).get(token) == newer and ours.calls == 1


def test_a_token_kept_by_the_holder_we_waited_for_is_used() -> None:
    """The second look at the cache under the lock: while we waited, the holder kept a new one."""
    fetch = Fetcher()
    token = shared(fetch)
    token.keep("refused", 3600)
    assert cache.add(token.lock_key, 1, timeout=20)  # another process is fetching
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(token.get("refused")))
    waiter.start()
    time.sleep(0.3)
    assert not got  # waiting for the lock
    token.keep("theirs", 3600)
    cache.delete(token.lock_key)
    waiter.join(timeout=10)
    assert got == ["theirs"] and fetch.calls == 0


def test_the_lifetime_less_the_margin() -> None:
    assert kept_seconds(3600, 60.0) == 3540
    assert kept_seconds(300, 60.0) == 270  # a tenth when that is less than the margin
    assert kept_seconds(30, 60.0) == 27  # a lifetime under the margin still keeps nine tenths
    assert kept_seconds(1, 60.0) == 0 and kept_seconds(0, 60.0) == 0
    token = shared(Fetcher())
    assert token.keep("tok", 3600) == 3540 and token.cached() == "tok"


def test_a_token_that_would_be_kept_under_a_second_is_not_kept() -> None:
    fetch = Fetcher(lifetime=1.0)
    token = shared(fetch)
    assert token.get() == "tok-1" and cache.get(token.key) is None
    assert token.get() == "tok-2" and fetch.calls == 2  # nothing kept: every call fetches


def test_a_short_lived_token_is_gone_before_it_expires() -> None:
    fetch = Fetcher(lifetime=1.5)  # kept int(1.5 - 0.15) = 1 s
    token = shared(fetch)
    assert token.get() == "tok-1" and token.get() == "tok-1"
    time.sleep(1.2)
    assert token.get() == "tok-2" and fetch.calls == 2


def test_an_undecryptable_value_means_fetch_again() -> None:
    fetch = Fetcher()
    token = shared(fetch)
    rotated_away = Fernet(Fernet.generate_key()).encrypt(b"old-token").decode()
    cache.set(token.key, rotated_away, 600)
    assert token.cached() is None
    assert token.get() == "tok-1" and fetch.calls == 1
    assert crypto.decrypt(cache.get(token.key)) == "tok-1"


def test_a_failed_fetch_keeps_no_refused_token_and_frees_the_lock() -> None:
    def failing() -> tuple[str, float]:
        raise RuntimeError("the token endpoint refused")

    token = shared(failing)
    token.keep("refused", 3600)
    with pytest.raises(RuntimeError):
        token.get("refused")
    assert token.cached() is None and cache.get(token.lock_key) is None
    assert token.get(fetch=Fetcher()) == "tok-1"  # a call's own fetch (Integrex's shorter deadline)


def test_a_crashed_holders_lock_is_waited_out_not_for_ever() -> None:
    fetch = Fetcher()
    token = shared(fetch, lock_seconds=2)  # waits max(2 - 5, 2 / 2) = 1 s
    assert cache.add(token.lock_key, 1, timeout=60)  # its holder died: nobody deletes it
    started = time.monotonic()
    assert token.get() == "tok-1"
    assert 0.9 <= time.monotonic() - started < 5 and fetch.calls == 1


def test_forget() -> None:
    fetch = Fetcher()
    token = shared(fetch)
    token.get()
    token.forget()
    assert token.cached() is None and token.get() == "tok-2"


def test_forget_with_a_token_keeps_a_newer_one() -> None:
    token = shared(Fetcher())
    token.keep("newer", 3600)  # another process fetched it after "refused" was refused
    token.forget("refused")
    assert token.cached() == "newer"
    token.forget("newer")
    assert token.cached() is None


def test_who_went_ahead_without_the_lock_leaves_the_holders_lock_alone() -> None:
    fetch = Fetcher()
    token = shared(fetch, lock_seconds=2)
    assert cache.add(token.lock_key, "the-holder", timeout=60)  # a slow holder, still fetching
    assert token.get() == "tok-1"  # waited 1 s, then went ahead
    assert cache.get(token.lock_key) == "the-holder"  # not deleted under the holder's feet


def test_compare_and_delete_keeps_a_changed_value() -> None:
    cache.set("test:cad", "theirs", timeout=60)
    assert not module.delete_if_unchanged("test:cad", "mine") and cache.get("test:cad") == "theirs"
    assert module.delete_if_unchanged("test:cad", "theirs") and cache.get("test:cad") is None
    assert not module.delete_if_unchanged("test:cad", "theirs")  # gone already


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the production profile's Redis (REDIS_URL)")
def test_on_redis_compare_and_delete_is_one_script_not_a_read_then_a_delete(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache.backends.redis import RedisCache

    redis_cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cad"})
    monkeypatch.setattr("django.core.cache.cache", redis_cache)
    redis_cache.set("lock", "theirs", timeout=60)
    redis_cache.set("token", b"ciphertext", timeout=60)

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("read before the delete: another process could change it in between")

    monkeypatch.setattr(redis_cache, "get", no_read)
    assert not module.delete_if_unchanged("lock", "mine")
    assert module.delete_if_unchanged("token", b"ciphertext")
    monkeypatch.undo()
    assert redis_cache.get("lock") == "theirs" and redis_cache.get("token") is None
    redis_cache.delete("lock")
