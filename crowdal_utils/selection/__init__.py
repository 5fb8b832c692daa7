"""Choosing what to label: which samples (query strategies), whom to ask (annotator choice), at what cost."""

import lazy_loader

#: Public names as the stub ``__init__.pyi`` lists them (SPEC 1); each module is imported on first use.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
