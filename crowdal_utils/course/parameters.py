"""What the sections of a lesson need from the values its parameters cell lets a student edit.

A lesson's setup cell hands its parameters to :func:`check_lesson_parameters` by the names the lesson spells them
(``check_lesson_parameters(5, LEARNERS=LEARNERS, ...)``). An edit that would break a later section — a baseline left
out, a crowd without a gold share — stops there, before any experiment runs, with a ``ValueError`` that names the
parameter and says what the sections need. Values the package uses directly are checked where they are used (an
``ExperimentConfig`` checks its sizes, :func:`crowdal_utils.crowds.annotator_labels` an annotator's index).
"""

from ..experiment.config import Arm, as_arm


def _lesson_05(LEARNERS, CHOICES, CONTROLS):
    if "majority-vote" not in LEARNERS or not {"random", "own-estimate"} <= set(CHOICES) or len(CONTROLS) != 2:
        return (
            'LEARNERS must include "majority-vote" (the baseline), CHOICES "random" and "own-estimate" (the choice '
            "effect), and CONTROLS both controls: the sections below compare against them."
        )
    return None


def _lesson_06(STRATEGIES, POLICIES):
    if "random" not in STRATEGIES or "own-estimate" not in POLICIES:
        return 'STRATEGIES must include "random" and POLICIES "own-estimate": every comparison below is against them.'
    return None


def _lesson_07(CROWDS, ARMS, QUALITY_CROWD):
    if QUALITY_CROWD not in CROWDS:
        return f"QUALITY_CROWD must be one of the CROWDS {list(CROWDS)}, got {QUALITY_CROWD!r}."
    if any(len(profiles) != 5 for profiles in CROWDS.values()) or len(ARMS) != 5:
        return "Every crowd of CROWDS must have five annotators, and ARMS five arms: the sections below name them."
    return None


def _lesson_08(CROWDS, REPETITIONS, GOLD_SHARES, ARMS, GREEDY):
    if set(REPETITIONS) != set(CROWDS) or set(GOLD_SHARES) != set(CROWDS):
        return f"REPETITIONS and GOLD_SHARES need one entry per crowd of CROWDS {list(CROWDS)}."
    arms = [as_arm(arm, "ARMS") for arm in ARMS]
    if as_arm(GREEDY, "GREEDY") not in arms or Arm("annot-mix", "oracle") not in arms:
        return "ARMS must hold GREEDY and Annot-Mix with the oracle's choice: every comparison uses them."
    return None


#: For each lesson with such needs, the check of its parameters (keyword arguments named as the lesson names them).
LESSON_CHECKS = {5: _lesson_05, 6: _lesson_06, 7: _lesson_07, 8: _lesson_08}


def check_lesson_parameters(lesson, **parameters):
    """Raise ``ValueError`` naming the parameter when ``parameters`` break what lesson ``lesson``'s sections need.

    Parameters
    ----------
    lesson : int
        The notebook's number (a key of :data:`LESSON_CHECKS`).
    **parameters
        The lesson's parameters, by the names its parameters cell gives them (e.g. ``LEARNERS=LEARNERS``).
    """
    if lesson not in LESSON_CHECKS:
        raise ValueError(f"`lesson` must be one of {sorted(LESSON_CHECKS)}, got {lesson!r}.")
    check = LESSON_CHECKS[lesson]
    expected = set(check.__code__.co_varnames[: check.__code__.co_argcount])
    if set(parameters) != expected:
        raise TypeError(f"lesson {lesson}'s parameters are {sorted(expected)}, got {sorted(parameters)}.")
    problem = check(**parameters)
    if problem is not None:
        raise ValueError(problem)
