"""Lazy exports: a subpackage names its public functions and classes without importing their modules."""

from importlib import import_module


def lazy_exports(package, table):
    """``(__getattr__, __dir__, __all__)`` for the ``__init__`` of ``package``.

    ``table`` has one line per module of the package: the module's name, then the
    public names it defines, separated by spaces (more indented lines continue them). A module is imported when one of
    its names is first used, so importing a subpackage (or naming a learner) loads
    neither torch nor matplotlib.
    """
    lines = [line for line in table.splitlines() if line.strip()]
    indent = min(len(line) - len(line.lstrip()) for line in lines)
    exports, module = {}, None
    for line in lines:
        words = line.split()
        if len(line) - len(line.lstrip()) == indent:  # a module's line; deeper lines continue its names
            module, *words = words
        for name in words:
            if name in exports:
                raise ValueError(f"{package} exports {name!r} from both {exports[name]!r} and {module!r}")
            exports[name] = module

    def __getattr__(name):
        if name in exports:
            return getattr(import_module(f"{package}.{exports[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(exports)

    __getattr__.exports = exports  # for tests and tools: name -> module
    return __getattr__, __dir__, sorted(exports)
