"""The numbers a lesson quotes, and the machine they were measured on.

A lesson's prose quotes numbers from one full run (notebooks 05 and 06: paired differences, shares, counts). On the
same kind of machine a rerun gives them again: every fit is seeded and uses one torch thread. On another kind it may
not. PyTorch, oneDNN, MKL and numpy pick their kernels by the CPU's instruction set (AVX2, AVX-512, ...), and these
kernels add in a different order, so the last bits of a forward pass change. Usually that flips the prediction of a
test digit here and there. Where a run hangs on a near-tie (which samples are most uncertain, which annotator is
rated best) it can take another path, and its numbers move in the second or third decimal (measured on two CPUs:
benchmarks/README.md, "Same code, two CPUs"). PyTorch's documentation on reproducibility says the same: results are
not guaranteed to be reproducible across platforms.

So a lesson's check cell says where its prose was measured (:func:`numerics_signature` of that machine). Then
:func:`compare_with_prose` holds this run to every printed digit on that kind of machine. Anywhere else it shows the
differences without failing. The claims the lesson draws (orderings, "within noise") are asserted by the notebook on
every machine.
"""

import numpy as np
import pandas as pd


def cpu_capability():
    """The instruction set PyTorch's CPU kernels use here, e.g. ``"AVX2"`` or ``"AVX512"``."""
    import torch

    return torch.backends.cpu.get_cpu_capability()


def numerics_signature():
    """What decides a CPU run's last bits besides the code: ``{"torch", "numpy", "cpu_capability", "device"}``.

    The CPU capability stands in for the whole family of kernel choices: on an unmodified machine oneDNN, MKL and
    numpy follow the same instruction set as PyTorch.
    """
    import torch

    from .models import pick_device

    return {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cpu_capability": cpu_capability(),
        "device": pick_device(),
    }


def measured_here(measured_on):
    """Whether this machine has the signature ``measured_on``, so that a rerun reproduces the prose's run."""
    if not isinstance(measured_on, dict):
        raise TypeError(f"`measured_on` must be a dict from numerics_signature(), got {type(measured_on).__name__}.")
    return numerics_signature() == measured_on


def compare_with_prose(quoted, expected, measured_on, tolerance=5e-4):
    """Set this run's values of the prose's numbers beside the printed ones; strict where they were measured.

    Parameters
    ----------
    quoted : dict of str -> float
        This run's values, each computed with the expression that produced the prose's number.
    expected : dict of str -> float
        The numbers as the prose prints them (same keys).
    measured_on : dict
        :func:`numerics_signature` of the machine the prose's numbers come from.
    tolerance : float, default=5e-4
        Allowed difference per unit of ``max(1, |expected|)``: half of the last printed digit at 3 decimals.

    Returns
    -------
    pandas.DataFrame
        One row per quantity (index: the keys): ``this run``, ``prose``, ``difference``, ``agrees``.

    Raises
    ------
    AssertionError
        If this machine has the signature ``measured_on`` and a number disagrees. There a rerun reproduces the
        prose's run, so a difference means that the code or the data changed.
    """
    if not isinstance(quoted, dict) or not isinstance(expected, dict):
        raise TypeError(
            f"`quoted` and `expected` must be dicts, got {type(quoted).__name__} and {type(expected).__name__}."
        )
    if set(quoted) != set(expected):
        raise ValueError(
            "`quoted` and `expected` must name the same numbers; only in `quoted`: "
            f"{sorted(set(quoted) - set(expected))}, only in `expected`: {sorted(set(expected) - set(quoted))}."
        )
    if not (isinstance(tolerance, int | float) and tolerance >= 0):
        raise ValueError(f"`tolerance` must be a number >= 0, got {tolerance!r}.")
    strict = measured_here(measured_on)  # also checks `measured_on`
    table = pd.DataFrame(
        {"this run": [float(quoted[k]) for k in expected], "prose": [float(v) for v in expected.values()]},
        index=list(expected),
    )
    table["difference"] = table["this run"] - table["prose"]
    table["agrees"] = table["difference"].abs() <= tolerance * np.maximum(1.0, table["prose"].abs())
    differing = table[~table["agrees"]]
    if strict:
        if not differing.empty:  # raised, not asserted: the check must also hold under ``python -O``
            raise AssertionError(
                f"{len(differing)} of the prose's {len(table)} numbers differ on the machine they were measured on "
                f"({measured_on}), where a rerun reproduces them:\n{differing.to_string()}"
            )
        print(
            f"All {len(table)} numbers of the prose agree with this run ({measured_on['cpu_capability']},"
            " the same kind of machine they were measured on)."
        )
    else:
        print(
            f"The prose's numbers were measured with {_describe(measured_on)}; this run has"
            f" {_describe(numerics_signature())}. Other kernels round differently, and some runs take other paths:"
            f" {len(differing)} of {len(table)} numbers differ here"
            + ("." if differing.empty else f" (largest difference {differing['difference'].abs().max():.4f}):")
        )
        if not differing.empty:
            print(differing.round(4).to_string())
        print("The lesson's claims, checked next, must hold on any machine.")
    return table


def _describe(signature):
    """``{"torch": ..., "cpu_capability": "AVX2", ...}`` -> ``"AVX2 kernels (torch ..., numpy ..., cpu)"``."""
    return (
        f"{signature.get('cpu_capability')} kernels (torch {signature.get('torch')}, numpy {signature.get('numpy')},"
        f" {signature.get('device')})"
    )
