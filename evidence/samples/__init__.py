"""Made-up receipts, invoices, EOBs and statements with their ground truth, for tests, the accuracy
bench and the demo seed.

``make_document(kind, flaws=(), variant="pdf"|"photo"|"scan", seed=N, facts=None)`` gives ``(bytes, mime_type,
truth)``. Hand-written because no public set of medical invoices or EOBs exists (research §5.2).
Layouts, fonts, label wordings, date and money styles vary with the seed; the label wordings here are
this module's own and deliberately not the reader's lists. Images look like phone photos (tilt,
blur, perspective, uneven light, JPEG noise) or scans (faint, speckled), a few turned 90/180/270.
"""

from __future__ import annotations

import io
import random
from typing import Any

from evidence.model import Kind
from evidence.samples.documents import FLAWS, KINDS, VARIANTS, Facts, build
from evidence.samples.page import photo_look, render_image, render_pdf, scan_look

__all__ = ["FLAWS", "KINDS", "VARIANTS", "Facts", "corpus", "make_document"]


def make_document(
    kind: Kind | str,
    *,
    flaws: tuple[str, ...] | list[str] = (),
    variant: str = "pdf",
    seed: int = 0,
    turn: int | None = None,
    facts: Facts | None = None,
) -> tuple[bytes, str, dict[str, Any]]:
    """One sample document: its bytes, MIME type and ground truth (``truth["variant"]``, ``["turned"]``).

    ``turn`` (0/90/180/270) turns a photo or scan; by default about one in eight images is turned.
    ``facts`` (provider, patient, day of service, amount) replace the made-up ones, e.g. a demo
    claim's, so that the document fits the claim it is for.
    """
    kind = Kind(kind)
    flaws = tuple(flaws)
    unknown = set(flaws) - set(FLAWS)
    if unknown or variant not in VARIANTS:
        raise ValueError(f"unknown flaw or variant: {sorted(unknown) or variant}")
    built = build(kind, flaws=flaws, seed=seed, facts=facts)
    truth = built.truth
    truth["variant"] = variant
    if variant == "pdf":
        truth["turned"] = 0
        return render_pdf(built.page), "application/pdf", truth
    rng = random.Random(f"image:{kind.value}:{seed}:{variant}")
    image = render_image(built.page, dpi=rng.choice([150, 170, 200]) if variant == "photo" else 200)
    image = photo_look(image, rng) if variant == "photo" else scan_look(image, rng)
    if turn is None:
        turn = rng.choice([90, 180, 270]) if rng.random() < 0.125 else 0
    if turn:
        image = image.rotate(turn, expand=True)
    truth["turned"] = turn
    out = io.BytesIO()
    if variant == "photo":
        image.save(out, "JPEG", quality=rng.randrange(45, 80))
        return out.getvalue(), "image/jpeg", truth
    image.save(out, "PNG", optimize=False)
    return out.getvalue(), "image/png", truth


def corpus(count: int, *, variant: str, start: int = 0) -> list[tuple[bytes, str, dict[str, Any]]]:
    """``count`` documents cycling through every kind (no flaws), seeds from ``start``."""
    return [make_document(KINDS[i % len(KINDS)], variant=variant, seed=start + i) for i in range(count)]
