"""The learners: one registry entry per way of learning from a crowd, the networks and classes behind them."""

import lazy_loader

#: Public names as the stub ``__init__.pyi`` lists them (SPEC 1); each module is imported on first use.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
