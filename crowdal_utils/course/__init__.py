"""What lessons call besides the story: the Colab restart check, checks of prose claims and of a lesson's parameters."""

import lazy_loader

#: Public names as the stub ``__init__.pyi`` lists them (SPEC 1); each module is imported on first use.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
