"""x12.codes: every claim status category, the common status, entity, CARC and RARC codes in our own
plain words; unknown codes say so; codes are read however a payer spells them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import x12.codes as codes
from x12.codes import UNKNOWN_TEXT, Meaning, Stage

# The claim status category codes (code list 507) in pyx12 4.0.0's pyx12/map/codes.xml
# (claim_status_cat): codes only, copied so the test does not need pyx12.
PYX12_CATEGORIES = (
    "A0 A1 A2 A3 A4 A5 A6 A7 A8 D0 E0 E1 E2 E3 E4 F0 F1 F2 F3 F3F F3N F4 F5 "
    "P0 P1 P2 P3 P4 P5 R0 R1 R3 R4 R5 R6 R7 R8 R9 R10 R11 R12 R13 R14 R15 R16 R17 RQ X0"
).split()

# pyx12's claim_status set (code list 508) is 0..771 except these.
PYX12_STATUS_GAPS = {36, 43, 58, 62, 63, 74, 75, 76, 77, 79, 80, 82, 151}
# pyx12's remark_code set: M1..M144, N1..N734, MA01..MA134 except these.
PYX12_MA_GAPS = {12, 15, 20, 21, 22, 23, 24, 26, 27, 28, 39, 46, 91, 127}

# Codes the portal meets in practice (research §2.3, §2.4 and the issue) must all be explained.
REQUIRED_STATUSES = (
    "0 1 2 3 15 16 19 20 21 23 24 29 33 35 38 41 47 52 54 65 85 88 97 101 145 147 158 164 187 189 "
    "203 247 295 317 479 484 503 516 562 664 704"
).split()
REQUIRED_ENTITIES = "PR 41 1P 85 82 IL QC 1E 40 03 36 71 77 87 FA GB HK P3 SJ TT".split()
REQUIRED_CARCS = (
    "1 2 3 4 5 6 11 16 18 22 23 24 26 27 29 31 45 49 50 55 58 59 96 97 107 109 119 129 140 146 151 "
    "167 170 181 182 185 187 197 198 204 222 226 227 234 242 252 253 256 A1 B7 B9 B11 B15 P1"
).split()
REQUIRED_RARCS = (
    "M15 M20 M51 M76 M80 M86 N4 N20 N30 N56 N95 N115 N130 N179 N290 N362 N381 N386 N432 N479 N517 N522 "
    "MA01 MA04 MA18 MA130"
).split()

# A few official X12 descriptions, to check we did not copy them (spot check, not a copy of the lists).
OFFICIAL = {
    ("category", "F2"): "Finalized/Denial-The claim/line has been denied.",
    ("category", "A4"): "Acknowledgement/Not Found-The claim/encounter can not be found in the adjudication system.",
    ("category", "P1"): "Pending/In Process-The claim or encounter is in the adjudication system.",
    ("status", "35"): "Claim/encounter not found.",
    ("status", "65"): "Claim/line has been paid.",
    ("status", "20"): "Accepted for processing.",
    ("status", "54"): "Duplicate of a previously processed claim/line.",
    ("carc", "1"): "Deductible Amount",
    ("carc", "45"): "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement.",
    ("carc", "96"): "Non-covered charge(s).",
    ("carc", "27"): "Expenses incurred after coverage terminated.",
    ("rarc", "N130"): "Consult plan benefit documents/guidelines for information about restrictions for this service.",
    ("rarc", "N20"): "Service not payable with other service rendered on the same date.",
}


def _all_meanings() -> list[Meaning]:
    found = [codes.category(c) for c in codes.CATEGORY_CODES]
    found += [codes.status(c) for c in codes.STATUS_CODES]
    found += [codes.status(c, "QC") for c in codes.STATUS_CODES]
    found += [codes.entity(c) for c in codes.ENTITY_CODES]
    found += [codes.group(c) for c in codes.GROUP_CODES]
    found += [codes.carc(c) for c in codes.CARC_CODES]
    found += [codes.carc(f"{g}-{c}") for g in ("PR", "CO") for c in codes.CARC_CODES]
    found += [codes.rarc(c) for c in codes.RARC_CODES]
    return found


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- Categories and stages -----------------------------------------------------------------


@pytest.mark.parametrize("code", PYX12_CATEGORIES)
def test_every_category_code_has_a_meaning_and_a_stage(code: str) -> None:
    meaning = codes.category(code)
    assert meaning.known and meaning.code == code
    assert isinstance(codes.stage(code), Stage)
    assert codes.stage(code) is not Stage.UNKNOWN or code == "X0"


def test_the_table_holds_exactly_the_list() -> None:
    assert set(PYX12_CATEGORIES) == codes.CATEGORY_CODES


def test_deactivated_categories_are_marked() -> None:
    assert {c for c in PYX12_CATEGORIES if codes.category(c).deactivated} == {"F5", "RQ", "X0"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("A1", Stage.RECEIVED),
        ("A2", Stage.RECEIVED),
        ("A3", Stage.REJECTED),
        ("A6", Stage.REJECTED),
        ("A7", Stage.REJECTED),
        ("A4", Stage.NOT_FOUND),
        ("D0", Stage.NOT_FOUND),
        ("P1", Stage.IN_PROGRESS),
        ("P3", Stage.INFO_REQUESTED),
        ("R4", Stage.INFO_REQUESTED),
        ("F0", Stage.FINALIZED),
        ("F1", Stage.PAID),
        ("F2", Stage.DENIED),
        ("F3", Stage.FINALIZED),
        ("F4", Stage.FINALIZED),
        ("E0", Stage.ERROR),
        ("E2", Stage.ERROR),
        # Unlisted codes take their family's stage from the first letter.
        ("A9", Stage.RECEIVED),
        ("P9", Stage.IN_PROGRESS),
        ("F9", Stage.FINALIZED),
        ("R99", Stage.INFO_REQUESTED),
        ("E9", Stage.ERROR),
        ("D1", Stage.NOT_FOUND),
        # Anything else is unknown.
        ("Z1", Stage.UNKNOWN),
        ("", Stage.UNKNOWN),
        (None, Stage.UNKNOWN),
        # Spelled loosely.
        (" f2 ", Stage.DENIED),
        ("f3f", Stage.FINALIZED),
    ],
)
def test_stage(code: str | None, expected: Stage) -> None:
    assert codes.stage(code) is expected


def test_the_member_facing_f2_sentence() -> None:
    assert codes.category("F2").text == "The insurer decided not to pay this claim (or this line)."


# --- Coverage of the other lists -------------------------------------------------------------


def test_counts() -> None:
    assert len(codes.STATUS_CODES) >= 120
    assert len(codes.ENTITY_CODES) >= 40
    assert len(codes.CARC_CODES) >= 60
    assert len(codes.RARC_CODES) >= 60
    assert codes.GROUP_CODES == {"CO", "PR", "OA", "PI", "CR"}


@pytest.mark.parametrize(
    ("lookup", "required"),
    [
        (codes.status, REQUIRED_STATUSES),
        (codes.entity, REQUIRED_ENTITIES),
        (codes.carc, REQUIRED_CARCS),
        (codes.rarc, REQUIRED_RARCS),
    ],
)
def test_the_codes_met_in_practice_are_explained(lookup, required: list[str]) -> None:
    assert [code for code in required if not lookup(code).known] == []


def test_status_codes_are_real_508_codes() -> None:
    valid = {str(n) for n in range(772) if n not in PYX12_STATUS_GAPS}
    assert codes.STATUS_CODES <= valid


def test_remark_codes_are_real_411_codes() -> None:
    valid = {f"M{n}" for n in range(1, 145)} | {f"N{n}" for n in range(1, 735)}
    valid |= {f"MA{n:02d}" for n in range(1, 135) if n not in PYX12_MA_GAPS}
    assert codes.RARC_CODES <= valid


def test_carc_codes_look_like_carc_codes() -> None:
    assert all(re.fullmatch(r"([ABP]\d{1,2}|\d{1,3})", code) for code in codes.CARC_CODES)


def test_deactivated_status_codes_are_marked() -> None:
    assert codes.status("317").deactivated
    assert not codes.status("65").deactivated
    assert codes.group("CR").deactivated


# --- Unknown codes and normalization ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lookup", "code", "shown"),
    [
        (codes.category, " zz ", "ZZ"),
        (codes.status, "9999", "9999"),
        (codes.entity, "Q9", "Q9"),
        (codes.group, "XX", "XX"),
        (codes.carc, "999", "999"),
        (codes.carc, "Z1", "Z1"),
        (codes.rarc, "n99999", "N99999"),
        (codes.rarc, "", ""),
        (codes.category, None, ""),
    ],
)
def test_unknown_codes_say_so(lookup, code: str | None, shown: str) -> None:
    assert lookup(code) == Meaning(shown, UNKNOWN_TEXT, known=False)
    assert UNKNOWN_TEXT == "ask your insurer what this means"


def test_category_and_status_normalization() -> None:
    assert codes.category(" f3n ").code == "F3N"
    assert codes.status("035") == codes.status("35") == codes.status(" 35 ")
    assert codes.status("0").known and codes.status("000").code == "0"
    assert codes.entity(" qc ") == codes.entity("QC")


@pytest.mark.parametrize("spelled", ["PR-1", "PR1", "pr 1", "PR:1", "PR-001", " PR_1 ", "PR/1"])
def test_carc_with_a_group_prefix(spelled: str) -> None:
    meaning = codes.carc(spelled)
    assert meaning.known
    assert meaning.code == "PR-1"
    assert meaning.text.startswith(codes.carc("1").text.split(". ")[0])
    assert "Patient responsibility" in meaning.text
    assert meaning.text.count("FSA") == 1


def test_carc_groups_say_who_owes_it() -> None:
    assert codes.carc("CO45").code == "CO-45"
    assert "may not bill you" in codes.carc("CO 45").text
    assert "your share" in codes.carc("PR-2").text
    assert codes.carc("OA-23").known and codes.carc("PI-45").known


def test_carc_letter_codes_are_not_mistaken_for_groups() -> None:
    assert codes.carc("P1").code == "P1"
    assert codes.carc("B07").code == "B7"
    assert codes.carc("a1") == codes.carc("A1")
    assert codes.carc("045") == codes.carc("45")


def test_carc_group_known_reason_unknown() -> None:
    meaning = codes.carc("PR-999")
    assert not meaning.known
    assert meaning.code == "PR-999"
    assert "your share" in meaning.text


def test_carc_group_alone_is_the_group() -> None:
    assert codes.carc("CO") == codes.group("CO")


def test_member_share_reasons_mention_the_fsa_or_hra() -> None:
    for code in ("1", "2", "3"):
        assert "FSA or HRA" in codes.carc(code).text
    assert "FSA or HRA" in codes.group("PR").text
    assert "FSA or HRA" not in codes.carc("50").text


@pytest.mark.parametrize(
    ("spelled", "code"),
    [("ma1", "MA01"), ("MA01", "MA01"), (" n130 ", "N130"), ("N0130", "N130"), ("M015", "M15"), ("n 4", "N4")],
)
def test_rarc_normalization(spelled: str, code: str) -> None:
    meaning = codes.rarc(spelled)
    assert meaning.known and meaning.code == code


def test_medical_records_requests_say_the_provider_usually_sends_them() -> None:
    assert "provider usually" in codes.status("317").text
    assert "provider usually" in codes.carc("252").text


# --- Status codes about a person or organization ---------------------------------------------


def test_status_names_the_entity() -> None:
    assert codes.status("88", "QC").text == "The records show that the patient was not covered on the dates of service."
    assert "someone named on the claim" in codes.status("88").text
    assert "someone named on the claim" in codes.status("88", "??").text
    assert "the billing provider" in codes.status("562", "85").text


def test_entity_names() -> None:
    assert codes.entity_name("QC") == "the patient"
    assert codes.entity_name("PR") == "the insurer"
    assert codes.entity_name("") == "someone named on the claim"
    assert all(codes.entity_name(code)[:1].islower() for code in codes.ENTITY_CODES)


# --- One STC in words ------------------------------------------------------------------------


def test_describe_a_denial() -> None:
    assert codes.describe_stc("F2", "88", "QC") == (
        "The insurer decided not to pay this claim (or this line): "
        "the records show that the patient was not covered on the dates of service."
    )


def test_describe_a_pending_claim_waiting_for_records() -> None:
    text = codes.describe_stc("P3", "317")
    assert text.startswith("The claim is waiting for information the insurer asked the provider for: the insurer needs")
    assert text.count("The provider usually") == 1


def test_describe_keeps_acronyms_and_the_category_note() -> None:
    text = codes.describe_stc("A7", "562", "85")
    assert "the National Provider Identifier (NPI) of the billing provider" in text
    assert text.endswith("The provider needs to correct it and send the claim again.")


def test_describe_does_not_repeat_itself() -> None:
    assert codes.describe_stc("F1", "65", "1E") == codes.category("F1").text
    assert codes.describe_stc("F1") == codes.category("F1").text


def test_describe_decides_on_the_english_whether_the_note_repeats() -> None:
    """A translation whose sentences happen to open alike ("Por lo general, ...") keeps the
    category's note when the English does, and drops it only where the English does."""

    def translate(text: str) -> str:
        # every translated sentence opens with the same words
        return ". ".join(f"As a rule, {sentence}" for sentence in text.split(". "))

    kept = codes.describe_stc("P3", "6", translate=translate)
    assert kept.endswith(f"As a rule, {codes.category('P3').text.partition('. ')[2]}")
    repeated = codes.describe_stc("P3", "317", translate=translate)
    assert repeated.count("The provider usually") == codes.describe_stc("P3", "317").count("The provider usually") == 1


def test_describe_unknown_codes() -> None:
    assert codes.describe_stc("Z9", "9999") == "The insurer sent a status code we do not know; " + UNKNOWN_TEXT + "."
    assert codes.describe_stc("Z9", "88", "QC").endswith("the patient was not covered on the dates of service.")
    assert "ask your insurer" in codes.describe_stc("F2", "99999")


@pytest.mark.parametrize("cat", PYX12_CATEGORIES)
@pytest.mark.parametrize("st", ["", "0", "21", "88", "317", "562", "9999"])
def test_describe_always_gives_a_sentence(cat: str, st: str) -> None:
    text = codes.describe_stc(cat, st, "QC")
    assert text[:1].isupper() and text.endswith(".")
    assert "{" not in text and ". ." not in text and ".." not in text


# --- The words themselves --------------------------------------------------------------------


def test_every_text_is_a_plain_sentence() -> None:
    for meaning in _all_meanings():
        assert meaning.known, meaning
        text = meaning.text
        assert text and text == text.strip(), meaning
        assert text[0].isupper(), meaning
        assert text.endswith("."), meaning
        assert "{" not in text and "  " not in text, meaning


def test_sentences_are_short() -> None:
    for meaning in _all_meanings():
        for sentence in meaning.text.split(". "):
            assert len(sentence.split()) <= 25, meaning


@pytest.mark.parametrize(("kind", "code"), sorted(OFFICIAL))
def test_texts_are_not_copied_from_x12(kind: str, code: str) -> None:
    ours = _words(getattr(codes, kind)(code).text)
    official = _words(OFFICIAL[(kind, code)])
    assert ours != official
    assert official not in ours


def test_every_text_is_marked_for_translation() -> None:
    """Each string in the tables is wrapped in _() so makemessages extracts it."""
    package = Path(codes.__file__).parent
    for path in sorted(package.glob("_*.py")):
        tree = ast.parse(path.read_text())
        marked = {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
            for arg in node.args
        }
        assert any(isinstance(n, ast.FunctionDef) and n.name == "_" for n in tree.body), path
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for value in node.values:
                    for leaf in ast.walk(value):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            assert id(leaf) in marked, f"{path.name}:{leaf.lineno} {leaf.value!r}"


def test_x12_codes_does_not_import_django() -> None:
    probe = "import sys, x12.codes; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
