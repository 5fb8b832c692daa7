"""The prose's numbers against this run's: strict on the kind of machine they were measured on, a report elsewhere."""

import pytest

from crowdal_utils import measured
from crowdal_utils.measured import compare_with_prose, measured_here, numerics_signature

WHERE_MEASURED = {"torch": "2.13.0+cpu", "numpy": "2.4.6", "cpu_capability": "AVX2", "device": "cpu"}
ELSEWHERE = {**WHERE_MEASURED, "cpu_capability": "AVX512"}


@pytest.fixture
def on(monkeypatch):
    """Pretend to run on a machine with the given signature."""

    def set_signature(signature):
        monkeypatch.setattr(measured, "numerics_signature", lambda: dict(signature))

    return set_signature


def test_the_signature_names_what_decides_the_last_bits():
    import numpy as np
    import torch

    signature = numerics_signature()
    assert signature["torch"] == torch.__version__ and signature["numpy"] == np.__version__
    assert signature["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    assert signature["device"] in ("cpu", "cuda")


def test_where_measured_every_printed_digit_must_agree(on, capsys):
    on(WHERE_MEASURED)
    table = compare_with_prose({"gain": 0.0741, "labels": 410.3333}, {"gain": 0.074, "labels": 410.333}, WHERE_MEASURED)
    assert table["agrees"].all() and list(table.index) == ["gain", "labels"]
    assert "All 2 numbers" in capsys.readouterr().out
    with pytest.raises(AssertionError, match=r"1 of the prose's 2 numbers differ(.|\n)*gain"):
        compare_with_prose({"gain": 0.0746, "labels": 410.333}, {"gain": 0.074, "labels": 410.333}, WHERE_MEASURED)


def test_the_tolerance_is_half_the_last_digit_relative_to_large_numbers(on):
    on(WHERE_MEASURED)
    compare_with_prose({"labels": 410.5}, {"labels": 410.333}, WHERE_MEASURED)  # 0.167 <= 0.0005 * 410.333
    with pytest.raises(AssertionError):
        compare_with_prose({"labels": 410.6}, {"labels": 410.333}, WHERE_MEASURED)


def test_measured_here_compares_the_whole_signature(on):
    on(WHERE_MEASURED)
    assert measured_here(dict(WHERE_MEASURED)) and not measured_here(ELSEWHERE)


def test_elsewhere_differences_are_shown_not_failed(on, capsys):
    on(ELSEWHERE)
    table = compare_with_prose({"gain": 0.0166, "sd": 0.0135}, {"gain": 0.020, "sd": 0.004}, WHERE_MEASURED)
    assert table["agrees"].tolist() == [False, False]
    assert table.loc["sd", "difference"] == pytest.approx(0.0095)
    out = capsys.readouterr().out
    assert "2 of 2 numbers differ here (largest difference 0.0095)" in out and "AVX512" in out and "AVX2" in out


@pytest.mark.parametrize(
    "quoted, expected, measured_on, tolerance, err, match",
    [
        ([0.1], {"a": 0.1}, WHERE_MEASURED, 5e-4, TypeError, "`quoted` and `expected` must be dicts"),
        ({"a": 0.1}, {"b": 0.1}, WHERE_MEASURED, 5e-4, ValueError, r"only in `quoted`: \['a'\]"),
        ({"a": 0.1}, {"a": 0.1}, "AVX2", 5e-4, TypeError, "`measured_on` must be a dict"),
        ({"a": 0.1}, {"a": 0.1}, WHERE_MEASURED, -1, ValueError, "`tolerance` must be a number >= 0"),
    ],
)
def test_bad_arguments_are_named(quoted, expected, measured_on, tolerance, err, match):
    with pytest.raises(err, match=match):
        compare_with_prose(quoted, expected, measured_on, tolerance)
