"""The political-treatment parser (pure; no database)."""

from __future__ import annotations

from datetime import date

import pytest

from plans.treatments import MEETING, MONTH, QUARTER, Treatment, parse_period, parse_treatment

COMMITTEES = [
    ("ØK", "Økonomiudvalget"),
    ("KB", "Kommunalbestyrelsen"),
    ("AU", "Arbejdsmarkedsudvalget"),
    ("BUU", "Børne- og Ungdomsudvalget"),
    ("DIR", "Direktionen"),
]


def parse(text):
    return parse_treatment(text, COMMITTEES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AU marts 2025", [Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31))]),
        ("AU mar. 2025", [Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31))]),
        ("au Marts 2025.", [Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31))]),
        ("AU 03-2025", [Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31))]),
        ("AU 2025-02", [Treatment(("AU",), MONTH, date(2025, 2, 1), date(2025, 2, 28))]),
        (
            "BUU 2. kvt. 2025",
            [Treatment(("BUU",), QUARTER, date(2025, 4, 1), date(2025, 6, 30))],
        ),
        (
            "BUU 4. kvartal 2026",
            [Treatment(("BUU",), QUARTER, date(2026, 10, 1), date(2026, 12, 31))],
        ),
        ("BUU Q1 2025", [Treatment(("BUU",), QUARTER, date(2025, 1, 1), date(2025, 3, 31))]),
        (
            "ØK, KB juni 2025",
            [Treatment(("ØK", "KB"), MONTH, date(2025, 6, 1), date(2025, 6, 30))],
        ),
        (
            "ØK og KB juni 2025",
            [Treatment(("ØK", "KB"), MONTH, date(2025, 6, 1), date(2025, 6, 30))],
        ),
        ("AU 23-01-2025", [Treatment(("AU",), MEETING, date(2025, 1, 23), date(2025, 1, 23))]),
        (
            "AU mødet den 23. januar 2025",
            [Treatment(("AU",), MEETING, date(2025, 1, 23), date(2025, 1, 23))],
        ),
        (
            "Arbejdsmarkedsudvalget september 2025",
            [Treatment(("AU",), MONTH, date(2025, 9, 1), date(2025, 9, 30))],
        ),
        (
            "Børne- og Ungdomsudvalget maj 2025",
            [Treatment(("BUU",), MONTH, date(2025, 5, 1), date(2025, 5, 31))],
        ),
        (
            "AU marts 2025; ØK, KB maj 2025",
            [
                Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31)),
                Treatment(("ØK", "KB"), MONTH, date(2025, 5, 1), date(2025, 5, 31)),
            ],
        ),
        (
            "AU marts 2025\nBUU 3. kvt. 2025",
            [
                Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31)),
                Treatment(("BUU",), QUARTER, date(2025, 7, 1), date(2025, 9, 30)),
            ],
        ),
    ],
)
def test_treatments_are_read(text, expected):
    result = parse(text)
    assert result.errors == []
    assert result.treatments == expected
    assert not result.operations


@pytest.mark.parametrize(
    "text", ["Indgår i driften", "indgår i driften.", "Driften", "  I DRIFTEN "]
)
def test_operations(text):
    result = parse(text)
    assert result.operations and result.treatments == [] and result.errors == []


@pytest.mark.parametrize("text", ["", "  ", ";", None])
def test_empty(text):
    result = parse(text)
    assert not result.operations and result.treatments == [] and result.errors == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("XYZ marts 2025", "ukendt udvalg «XYZ»"),
        ("AU, XYZ marts 2025", "ukendt udvalg «XYZ»"),
        ("AU marts", "skriv udvalg og tidspunkt"),
        ("marts 2025", "skriv udvalg og tidspunkt"),
        ("AU 31-02-2025", "skriv udvalg og tidspunkt"),
        ("AU 5. kvt. 2025", "skriv udvalg og tidspunkt"),
        ("AU 13-2025", "skriv udvalg og tidspunkt"),
        ("Snart", "skriv udvalg og tidspunkt"),
        ("Indgår i driften; AU marts 2025", "kan ikke stå sammen"),
    ],
)
def test_errors_are_danish_and_name_the_part(text, message):
    result = parse(text)
    assert any(message in error for error in result.errors), result.errors


def test_a_bad_part_does_not_hide_the_good_ones():
    result = parse("AU marts 2025; Snart")
    assert len(result.treatments) == 1 and len(result.errors) == 1


@pytest.mark.parametrize(
    ("treatment", "label"),
    [
        (Treatment(("AU",), MONTH, date(2025, 3, 1), date(2025, 3, 31)), "marts 2025"),
        (Treatment(("AU",), QUARTER, date(2025, 4, 1), date(2025, 6, 30)), "2. kvt. 2025"),
        (Treatment(("AU",), MEETING, date(2025, 1, 23), date(2025, 1, 23)), "23-01-2025"),
    ],
)
def test_labels_read_back(treatment, label):
    assert treatment.label == label
    assert parse(f"AU {label}").treatments == [treatment]


def test_overdue_after_the_period_ends():
    treatment = Treatment(("AU",), QUARTER, date(2025, 4, 1), date(2025, 6, 30))
    assert not treatment.overdue(date(2025, 6, 30))
    assert treatment.overdue(date(2025, 7, 1))


def test_parse_period_alone():
    assert parse_period("dec. 2025") == (MONTH, date(2025, 12, 1), date(2025, 12, 31))
    assert parse_period("junk") is None
