"""crowdal_utils.data's public names, for editors and type checkers (SPEC 1)."""

from .crowd_tables import LONG_LAYOUTS as LONG_LAYOUTS
from .crowd_tables import CrowdLabels as CrowdLabels
from .crowd_tables import wide_to_long as wide_to_long
from .digits import DataSplit as DataSplit
from .digits import DigitsSplit as DigitsSplit
from .digits import load_digits_split as load_digits_split
from .music_genres import (
    MUSIC_GENRES as MUSIC_GENRES,
)
from .music_genres import (
    CrowdDataset as CrowdDataset,
)
from .music_genres import (
    DatasetUnavailable as DatasetUnavailable,
)
from .music_genres import (
    default_data_home as default_data_home,
)
from .music_genres import (
    load_music_genres as load_music_genres,
)
from .music_genres import (
    to_data_split as to_data_split,
)
