"""Reading results: estimates of annotator quality and paired differences between arms."""

import lazy_loader

#: Public names as the stub ``__init__.pyi`` lists them (SPEC 1); each module is imported on first use.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
