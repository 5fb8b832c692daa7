"""The data: the digits split, crowd-label tables (wide and long files), and a real crowd data set."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    crowd_tables CrowdLabels LONG_LAYOUTS wide_to_long
    digits       DataSplit DigitsSplit load_digits_split
    music_genres CrowdDataset DatasetUnavailable MUSIC_GENRES default_data_home load_music_genres to_data_split
""",
)
