"""Ready-made crowds of five annotators (lists of profiles from :mod:`.profiles`).

:func:`default_crowd` is the reference tutorial's; :func:`spammer_heavy_crowd`,
:func:`adversarial_crowd`, :func:`instance_dependent_crowd` and
:func:`cluster_specialist_crowd` are notebook 07's other crowds (the last two answer
by the sample's features, so they need ``simulate_crowd(..., X=...)``).
"""

from .profiles import (
    AdversarialAnnotator,
    ClusterSpecialistAnnotator,
    InstanceDependentAnnotator,
    MajorityClassBiasedAnnotator,
    NoisyAnnotator,
    SpammerAnnotator,
)


def default_crowd():
    """The reference's five annotators, in the reference's order.

    Returns
    -------
    tuple of profiles
        near-perfect 95 %; strong 85 %; noisy 70 %; 85 % but 40 % on digit 9;
        half of the answers forced to the majority class.
    """
    return (
        NoisyAnnotator(0.95, name="near-perfect"),
        NoisyAnnotator(0.85, name="strong"),
        NoisyAnnotator(0.70, name="noisy"),
        NoisyAnnotator(0.85, class_accuracy={9: 0.40}, name="weak on 9"),
        MajorityClassBiasedAnnotator(0.50, name="majority-biased"),
    )


def spammer_heavy_crowd():
    """Two good annotators and three spammers: majority vote is outvoted by noise, a model of the annotators is not.

    Meant to show that counting votes treats a spammer like an expert. Where the
    two good annotators disagree, the spammers' random answers decide; a learned
    annotator model (Dawid–Skene, Annot-Mix) finds that A3-A5 agree with nobody,
    and choosing annotators should end up asking only A1 and A2.

    Returns
    -------
    tuple of profiles
        A1 90 % and A2 80 % (wrong answers uniform), A3-A5 spammers (10 % on the digits).
        Measured on the digits' training half with ``random_state=0``: accuracies
        0.90, 0.80, 0.10, 0.10, 0.10; majority vote 0.70; Dawid–Skene (crowd-kit) 0.84.
    """
    return (
        NoisyAnnotator(0.90, name="good"),
        NoisyAnnotator(0.80, name="fair"),
        SpammerAnnotator(name="spammer"),
        SpammerAnnotator(name="spammer"),
        SpammerAnnotator(name="spammer"),
    )


#: Digits people mix up, swapped by the adversaries of :func:`adversarial_crowd`.
COMMON_DIGIT_CONFUSIONS = ((3, 8), (1, 7), (4, 9))


def adversarial_crowd():
    """Two annotators who consistently swap 3/8, 1/7 and 4/9, and three honest ones of falling quality.

    Meant to show that consistent errors fool a majority vote yet carry
    information: on the six swapped digits the two adversaries outvote the honest
    annotators often enough to bring the majority vote down to 0.64 (0.99 on the
    other digits), while a model of each annotator's confusion matrix can learn
    the swaps and read the adversaries' answers backwards. Dawid–Skene and
    CrowdLayer estimate one confusion matrix per annotator; Annot-Mix estimates
    one per annotator and sample (its ``annotator_class`` output). Notebook 07
    measures how far each gets.

    Returns
    -------
    tuple of profiles
        A1 swaps with strength 0.9 over a 95 % annotator, A2 with strength 0.8
        over a 90 % one; A3 80 %, A4 70 %, A5 60 %. Measured on the digits'
        training half with ``random_state=0``: accuracies 0.43, 0.47, 0.80, 0.70,
        0.64 (expected 0.44, 0.47, 0.80, 0.70, 0.60); majority vote 0.78;
        Dawid–Skene (crowd-kit) 0.99.
    """
    return (
        AdversarialAnnotator(COMMON_DIGIT_CONFUSIONS, 0.9, base=NoisyAnnotator(0.95), name="swapper"),
        AdversarialAnnotator(COMMON_DIGIT_CONFUSIONS, 0.8, base=NoisyAnnotator(0.90), name="swapper"),
        NoisyAnnotator(0.80, name="strong"),
        NoisyAnnotator(0.70, name="noisy"),
        NoisyAnnotator(0.60, name="weak"),
    )


def instance_dependent_crowd():
    """Everyone is good on easy digits and bad on hard ones, and on a hard digit they all make the same mistake.

    Meant to show that errors shared by the whole crowd cannot be voted away:
    every annotator is an :class:`InstanceDependentAnnotator` whose wrong answer
    is the digit the sample looks most like, so on the hardest samples the
    majority vote is wrong about as often as the annotators, and a model of each
    annotator (Dawid–Skene) gains little. Needs ``X`` (the images).

    Returns
    -------
    tuple of profiles
        Accuracy falling linearly from the easiest to the hardest sample:
        A1 1.00 to 0.60, A2 0.98 to 0.50, A3 0.95 to 0.40, A4 0.95 to 0.30, A5 0.90 to 0.20.
        Measured on the digits' training half with ``random_state=0``:
        accuracies 0.79, 0.73, 0.71, 0.63, 0.55 (expected 0.80, 0.74, 0.68, 0.63,
        0.55); majority vote 0.76 (1.00 on the easiest quarter by difficulty, 0.45
        on the hardest); Dawid–Skene (crowd-kit) 0.80.
    """
    return (
        InstanceDependentAnnotator(1.00, 0.60, name="careful"),
        InstanceDependentAnnotator(0.98, 0.50, name="good"),
        InstanceDependentAnnotator(0.95, 0.40, name="average"),
        InstanceDependentAnnotator(0.95, 0.30, name="hasty"),
        InstanceDependentAnnotator(0.90, 0.20, name="sloppy"),
    )


def cluster_specialist_crowd():
    """Five specialists, each an expert (95 %) on one of five k-means regions of the digits and weak (30 %) elsewhere.

    Meant to show annotators whose quality depends on the sample: none is good
    overall, majority vote is mediocre, yet every sample has an expert. A model
    of annotator performance as a function of the sample (Annot-Mix's
    ``annotator_perf``) can learn who knows which region and ask them; a model
    with one number or one confusion matrix per annotator cannot. Needs ``X``.

    Returns
    -------
    tuple of profiles
        A1 ... A5 expert on cluster 0 ... 4 of ``KMeans(5, random_state=0)``
        (136, 164, 271, 238 and 89 of the 898 training images). Measured on the
        digits' training half with ``random_state=0``: accuracies 0.38, 0.45,
        0.49, 0.48, 0.36 (expected 0.40, 0.42, 0.50, 0.47, 0.36); majority vote
        0.70; Dawid–Skene (crowd-kit) 0.66; choosing each sample's expert would
        reach 0.95.
    """
    return tuple(
        ClusterSpecialistAnnotator(5, (k,), expert_accuracy=0.95, other_accuracy=0.30, name=f"expert on region {k}")
        for k in range(5)
    )
