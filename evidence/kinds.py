"""A document's kind from the words it prints (weighted keyword scores), and its currency."""

from __future__ import annotations

import re
from collections import Counter

from evidence.layout import Row
from evidence.model import Kind
from evidence.text import find_money, normal

_KIND_WORDS: dict[Kind, list[tuple[str, float]]] = {
    Kind.EXPLANATION_OF_BENEFITS: [
        (r"explanation of (your )?benefits", 10),
        (r"this is not a bill", 6),
        (r"\beob\b", 5),
        (r"\b(plan|insurance) paid\b", 2),
        (r"\ballowed\b", 1.5),
        (r"\bclaim (number|no|#|id)\b", 1.5),
        (r"\bmember id\b", 1),
        (r"\bnetwork (discount|savings)\b", 2),
        (r"\byou (may )?owe\b", 1),
    ],
    Kind.STATEMENT_OF_ACCOUNT: [
        (r"statement of account", 10),
        (r"account statement", 8),
        (r"\bstatement\b", 3),
        (r"\b(previous|prior) balance\b", 3),
        (r"balance forward", 3),
        (r"statement (date|period)", 3),
        (r"\bnew balance\b", 2),
        (r"\b(over )?(30|60|90) days\b", 1.5),
        (r"\bpayments? received\b", 1.5),
    ],
    Kind.DEPENDENT_CARE_INVOICE: [
        (r"\bchild ?care\b", 4),
        (r"\bday ?care\b", 4),
        (r"\bpreschool\b", 4),
        (r"\bpre-k\b", 3),
        (r"\bafter[- ]school\b", 4),
        (r"\bdependent care\b", 5),
        (r"\btuition\b", 3),
        (r"\bnanny\b", 4),
        (r"\bday camp\b", 4),
        (r"\bsummer camp\b", 4),
        (r"\bnursery\b", 3),
        (r"\bchild\b", 1.5),
        (r"\bweek of\b", 1.5),
        (r"\benrollment\b", 1.5),
        (r"\bearly learning\b", 4),
        (r"\bkids?\b", 1),
        (r"\belder care\b", 4),
        (r"\badult day\b", 4),
    ],
    Kind.DENTAL_INVOICE: [
        (r"\bdental\b", 4),
        (r"\bdentistry\b", 4),
        (r"\bd\.?d\.?s\b", 3),
        (r"\bd\.?m\.?d\b", 3),
        (r"\bcdt\b", 3),
        (r"\bd\d{4}\b", 2),
        (r"\bprophylaxis\b", 3),
        (r"\btooth\b", 2),
        (r"\borthodont", 3),
        (r"\bperiodontal\b", 3),
        (r"\bbitewings?\b", 3),
        (r"\bfluoride\b", 2),
        (r"\bcrown\b", 1),
        (r"\bendodont", 3),
        (r"\bmolar\b", 2),
        (r"\bfilling\b", 1.5),
    ],
    Kind.MEDICAL_INVOICE: [
        (r"\binvoice\b", 2),
        (r"\bcpt\b", 3),
        (r"\bphysician\b", 2),
        (r"\bclinic\b", 1.5),
        (r"\bm\.?d\.?\b", 1),
        (r"\bdiagnosis\b", 2),
        (r"\bicd", 2),
        (r"\bsuperbill\b", 4),
        (r"\bhospital\b", 2),
        (r"\boffice visit\b", 2),
        (r"\bmedical\b", 2),
        (r"\bpatient\b", 1),
        (r"\b\d{5}\b", 0.3),
        (r"\b(pediatric|pediatrics|orthopedic|dermatology|cardiology|radiology|physical therapy|urgent care)\b", 2),
        (r"\bdate of service\b|\bdos\b", 1),
        (r"\b(klinik|clinica|clínica|klinikum|praxis|arztpraxis|poliklinik|consultation|consulta)\b", 2),
        (r"\bnpi\b", 1),
        (r"\bvision\b|\boptometr|\bchiropract", 2),
    ],
    Kind.PHARMACY_RECEIPT: [
        (r"\bpharmacy\b", 4),
        (r"\bpharmacie\b|\bfarmacia\b|\bapotheke\b", 4),
        (r"\brx\b", 2),
        (r"\bprescription\b", 3),
        (r"\brph\b", 3),
        (r"\bpharmacist\b", 3),
        (r"\brefills?\b", 2),
        (r"\bndc\b", 2),
        (r"\bdrug\b", 2),
        (r"\bchemist\b", 3),
        (r"\bapothe[ck]", 4),
        (r"\bdrug ?store\b", 4),
        (r"\bfarmasi\b", 4),
        (r"\b(walgreens|cvs|rite aid|duane reade|boots|shoppers drug mart|lloyds pharmacy)\b", 4),
        (r"\bmg\b", 1),
        (r"\btablets?\b|\bcapsules?\b", 1.5),
    ],
    Kind.SHOP_RECEIPT: [
        (r"\breceipt\b", 2),
        (r"\bcashier\b", 2),
        (r"\bchange\b", 1.5),
        (r"\btendered\b", 2),
        (r"\bthank you\b", 1),
        (r"\bstore\b", 1),
        (r"\bvisa\b|\bmastercard\b|\bdebit\b|\bamex\b", 1),
        (r"\bsubtotal\b", 1),
        (r"\bregister\b|\breg\b|\btrans(action)?\b", 1),
        (r"\bitems?\b", 0.5),
    ],
}
_KIND_PATTERNS = {k: [(re.compile(p), w) for p, w in words] for k, words in _KIND_WORDS.items()}


def classify_kind(text: str) -> tuple[Kind, float]:
    """The document's kind from the words it prints, and how clearly (0..1)."""
    t = normal(text)
    scores: dict[Kind, float] = {}
    for kind, patterns in _KIND_PATTERNS.items():
        for pattern, weight in patterns:
            hits = len(pattern.findall(t))
            if hits:
                scores[kind] = scores.get(kind, 0.0) + weight * min(hits, 3)
    if not scores:
        return Kind.UNKNOWN, 0.0
    # A medical word on a pharmacy, dental or care document is expected; an EOB or statement title wins.
    best, top = max(scores.items(), key=lambda kv: kv[1])
    if best is Kind.MEDICAL_INVOICE and scores.get(Kind.DENTAL_INVOICE, 0.0) >= 4:
        best, top = Kind.DENTAL_INVOICE, scores[Kind.DENTAL_INVOICE]
    if best is Kind.SHOP_RECEIPT:
        # A pharmacy or care receipt is still a receipt: shop words do not argue against its trade.
        trade = max((k for k in scores if k is not Kind.SHOP_RECEIPT), key=lambda k: scores[k], default=None)
        if trade is not None and scores[trade] >= 4:
            best, top = trade, scores[trade]
    runner = max((v for k, v in scores.items() if k is not best), default=0.0)
    return best, round(min(1.0, 0.5 + (top - runner) / 10), 3)


def currency_of(rows: list[Row]) -> str:
    seen = Counter(m.currency for r in rows for m in find_money(r.text) if m.currency)
    text = normal(" ".join(r.text for r in rows))
    for code in ("usd", "eur", "gbp", "myr", "cad", "aud", "sgd", "inr", "mxn", "php"):
        if re.search(rf"\b{code}\b", text):
            seen[code.upper()] += 1
    return seen.most_common(1)[0][0] if seen else ""
