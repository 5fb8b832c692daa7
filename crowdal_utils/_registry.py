"""Looking a name up in one of the package's registries (learners, choices, strategies, file layouts)."""


def lookup(registry, name, argument, kind):
    """``registry[name]``; a name that is not a string raises ``TypeError``, an unknown one ``ValueError``.

    Both messages name ``argument`` (the caller's parameter) and ``kind`` (what the
    registry holds, e.g. ``"learner"``) and list the names that exist.
    """
    if not isinstance(name, str):
        raise TypeError(f"`{argument}` must be a {kind} name (str), got {type(name).__name__}.")
    if name not in registry:
        raise ValueError(f"`{argument}` must be one of {list(registry)}, got {name!r}.")
    return registry[name]
