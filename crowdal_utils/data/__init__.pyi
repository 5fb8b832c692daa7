"""crowdal_utils.data's public names, for editors and type checkers (SPEC 1)."""

from .crowd_tables import LONG_LAYOUTS as LONG_LAYOUTS, CrowdLabels as CrowdLabels, wide_to_long as wide_to_long
from .digits import DataSplit as DataSplit, DigitsSplit as DigitsSplit, load_digits_split as load_digits_split
from .music_genres import (
    MUSIC_GENRES as MUSIC_GENRES,
    CrowdDataset as CrowdDataset,
    DatasetUnavailable as DatasetUnavailable,
    default_data_home as default_data_home,
    load_music_genres as load_music_genres,
    to_data_split as to_data_split,
)
