"""Checks of what a lesson's prose claims, in words a student reads next to the numbers.

:func:`claim` states one sentence of the prose with the condition that makes it true
and prints ``holds: ...``; the check cells of notebooks 05 and 06 call it, so nbval
fails when a conclusion the prose draws no longer follows from the output.
"""


def claim(sentence, holds):
    """A check cell's test of one sentence of the lesson: print "holds: <sentence>", or fail saying which one."""
    if not isinstance(sentence, str):
        raise TypeError(f"`sentence` must be the lesson's sentence (str), got {type(sentence).__name__}.")
    assert holds, f"the lesson says: {sentence!r}, and this run does not show it"
    print("holds:", sentence)
