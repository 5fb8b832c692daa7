"""What lessons call besides the story: the Colab restart check and checks of prose claims."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    claims claim
    colab  stop_if_restart_needed
""",
)
