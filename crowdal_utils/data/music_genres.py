"""A real crowd: the Music Genres data set, labelled by Amazon Mechanical Turk workers.

Source
------
Rodrigues, F., Pereira, F., & Ribeiro, B. (2013). *Learning from multiple annotators:
distinguishing good from random labelers.* Pattern Recognition Letters 34(12), 1428-1436.
Used as a benchmark in Herde et al.'s Annot-Mix work (repository
``ies-research/multi-annotator-machine-learning``, ``maml/data/_music_genres.py``).

As described by the public loaders of it (not checked here, see below):

* 1,000 thirty-second song excerpts of 10 genres (blues, classical, country, disco, hiphop,
  jazz, metal, pop, reggae, rock) with precomputed audio features;
* 700 training songs carry answers of Mechanical Turk workers (44 workers) and the true
  genre; 300 test songs carry the true genre only.

The authors publish it in one archive together with a sentiment-polarity crowd data set:
``https://fprodrigues.com/mturk-datasets.tar.gz``. The loader reads three members of it
(it never unpacks anything to disk):

=====================================================  ===========================================
``music_genre_classification/music_genre_gold.csv``    training songs: ``id``, features, ``class``
``music_genre_classification/music_genre_test.csv``    test songs: ``id``, features, ``class``
``music_genre_classification/music_genre_mturk.csv``   crowd answers: ``annotator``, ``id``, ``class``
=====================================================  ===========================================

Licence: **unknown.** None of the public code, READMEs and pages we searched states one, and the
download location itself could not be opened from the machine this was written on. The songs
themselves are excerpts of the GTZAN collection (Tzanetakis & Cook, 2002; peerannot's
``datasets/music/music.py`` maps the ids to GTZAN files); the archive holds only their features.
Cite the paper above.

Checksum: **none published.** No page or public repository we could find states a SHA-256 (or
any other digest) of ``mturk-datasets.tar.gz``, and this project was written without network
access, so :data:`MUSIC_GENRES_SHA256` is still ``None``: see its comment. Until it is filled
in, the first download is accepted unverified (with a warning that shows its SHA-256), and later
loads check the cached archive against nothing.

Known problems reported by public code that downloads this archive: the host sits behind a bot
filter that refuses some scripted downloads (then :class:`DatasetUnavailable` tells you where
to put a copy downloaded in a browser), and the archive's *last* member is reported truncated;
the loader reads the archive as a stream and stops once it has its three members.
"""

import hashlib
import http.client
import io
import os
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .crowd_tables import CrowdLabels, _long_to_crowd_labels, _RowNames
from .digits import DataSplit

#: Where the authors publish the archive (both Music Genres and sentiment polarity inside).
MUSIC_GENRES_URL = "https://fprodrigues.com/mturk-datasets.tar.gz"

#: File name of the archive in the cache folder ``<data_home>/music_genres/``.
MUSIC_GENRES_ARCHIVE = "mturk-datasets.tar.gz"

#: Expected SHA-256 of ``mturk-datasets.tar.gz``, lowercase hex. STILL TO BE FILLED IN: no checksum is published
#: by the authors or computed by any public repository we could find (searched 2026-11-25), and this machine has no
#: internet. Someone with access should download the archive once, check it opens and holds the three members,
#: run ``sha256sum mturk-datasets.tar.gz`` and put the hash here (with the date and where the file came from).
MUSIC_GENRES_SHA256 = None

#: The ten genres, in the order of their class labels 0..9.
MUSIC_GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")

_FOLDER = "music_genres"
_MEMBERS = {
    "train": "music_genre_classification/music_genre_gold.csv",
    "test": "music_genre_classification/music_genre_test.csv",
    "crowd": "music_genre_classification/music_genre_mturk.csv",
}


class DatasetUnavailable(OSError):
    """The data set could not be downloaded (no network, server refused, ...); the message says where to put it."""


@dataclass(frozen=True, eq=False)
class CrowdDataset:
    """A crowdsourced classification data set as it ships: train split with crowd labels, test split.

    Attributes
    ----------
    name : str
    crowd : CrowdLabels
        The workers' answers; row ``i`` belongs to ``X_train[i]`` (``crowd.tasks`` are the song ids).
        ``crowd.to_long()`` gives the long table for crowd-kit, ``crowd.matrix`` the wide one.
    X_train : np.ndarray of shape (n_train, n_features), float32
        Features as shipped (not standardised).
    y_train : np.ndarray of shape (n_train,), int64
        True class of each training sample (only for evaluation: a real job would not have it).
    X_test : np.ndarray of shape (n_test, n_features), float32
    y_test : np.ndarray of shape (n_test,), int64
    classes : np.ndarray of shape (n_classes,), int64
    class_names : tuple of str
    feature_names : tuple of str
    """

    name: str
    crowd: CrowdLabels
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: np.ndarray
    class_names: tuple
    feature_names: tuple


# --------------------------------------------------------------------------------------------------------------------
# Arguments


def default_data_home():
    """The cache folder: ``$CROWDAL_DATA_DIR`` if set, else ``~/crowdal_data``."""
    return Path(os.environ.get("CROWDAL_DATA_DIR") or Path.home() / "crowdal_data").expanduser()


def _check_data_home(data_home):
    if data_home is None:
        return default_data_home()
    if not isinstance(data_home, str | os.PathLike):
        raise TypeError(f"`data_home` must be a folder path (str or os.PathLike) or None, got {type(data_home)}.")
    return Path(data_home).expanduser()


def _check_url(url):
    if not isinstance(url, str):
        raise TypeError(f"`url` must be a string, got {type(url).__name__}.")
    if urllib.parse.urlsplit(url).scheme not in ("http", "https", "file"):
        raise ValueError(f"`url` must start with http://, https:// or file://, got {url!r}.")
    return url


def _check_sha256(sha256):
    if sha256 is None:
        return None
    if not isinstance(sha256, str):
        raise TypeError(f"`sha256` must be a 64-character hex string or None, got {type(sha256).__name__}.")
    digest = sha256.strip().lower()
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
        raise ValueError(f"`sha256` must be 64 hexadecimal characters, got {sha256!r}.")
    return digest


# --------------------------------------------------------------------------------------------------------------------
# Download and cache


def _urlopen_fetch(url, out, timeout=60.0):
    """Default opener: stream ``url`` into the binary file ``out`` with urllib (http, https, file)."""
    request = urllib.request.Request(url, headers={"User-Agent": "crowdal-utils (course data loader)"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        shutil.copyfileobj(response, out, length=1 << 20)


def file_sha256(path):
    """Lowercase hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_verified(url, archive, expected, fetch, parse):
    """Download ``url`` to a temporary file next to ``archive``, check its SHA-256 and that ``parse`` can read it,
    then rename it to ``archive``. On any failure the temporary file and the folders this call created are removed."""
    folder = archive.parent
    created = [d for d in (folder, *folder.parents) if not d.exists()]  # deepest first
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{archive.name}.", suffix=".part", dir=folder)
    tmp = Path(tmp)
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                fetch(url, out)
        except (OSError, http.client.HTTPException) as err:
            raise DatasetUnavailable(
                f"Downloading {url} failed ({type(err).__name__}: {err}); download the file in a browser and save it "
                f"as {archive}, then run this again."
            ) from err
        actual = file_sha256(tmp)
        if expected is not None and actual != expected:
            raise ValueError(
                f"The file downloaded from {url} has SHA-256 {actual}, but {expected} was expected; it was deleted "
                f"and nothing was cached (a changed or damaged file, or a page in place of the archive)."
            )
        if expected is None:
            warnings.warn(
                f"{archive.name} from {url} could not be verified: no published SHA-256 is known. Its SHA-256 is "
                f"{actual}; compare it with a trusted copy before relying on it.",
                UserWarning,
                stacklevel=3,
            )
        parsed = parse(tmp)
        os.replace(tmp, archive)
        return parsed
    except BaseException:
        tmp.unlink(missing_ok=True)
        for directory in created:  # leave no trace: remove the folders this call made, if still empty
            try:
                directory.rmdir()
            except OSError:
                break
        raise


def _read_members(archive, wanted, shown_as, advice):
    """Bytes of the ``wanted`` member paths, read as a stream (stops once all are found; never writes to disk).

    Errors name the file as ``shown_as`` and end with ``advice``."""
    found = {}
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                name = member.name.removeprefix("./")
                if name in wanted and member.isfile():
                    found[name] = tar.extractfile(member).read()
                    if len(found) == len(wanted):
                        break
    except (tarfile.TarError, EOFError, zlib.error, OSError) as err:
        raise ValueError(
            f"{shown_as} is not a readable .tar.gz archive ({type(err).__name__}: {err}); {advice}"
        ) from None
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise ValueError(f"{shown_as} lacks the member(s) {missing}, so it is not the expected archive; {advice}")
    return found


# --------------------------------------------------------------------------------------------------------------------
# The loader


def load_music_genres(data_home=None, *, url=MUSIC_GENRES_URL, sha256=MUSIC_GENRES_SHA256, fetch=None):
    """Load the Music Genres crowd data set (Rodrigues et al., 2013), downloading it on first use.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Cache folder; the archive is kept as ``<data_home>/music_genres/mturk-datasets.tar.gz``.
        Default: ``$CROWDAL_DATA_DIR``, else ``~/crowdal_data``. To install the file by hand
        (for example after downloading it in a browser), put it at that path.
    url : str, default=MUSIC_GENRES_URL
        Where to download the archive from (http, https or file).
    sha256 : str or None, default=MUSIC_GENRES_SHA256
        Expected SHA-256 of the archive. A download must match it before it is read or cached,
        and a cached archive is checked against it on every load. None: accept the first
        download unverified, with a ``UserWarning`` that shows its hash.
    fetch : callable ``fetch(url, out)``, optional
        Writes the bytes at ``url`` to the binary file object ``out``; raises ``OSError`` on
        failure. Default: urllib. Tests pass their own.

    Returns
    -------
    CrowdDataset
        Training songs with the workers' answers and their true genres, test songs with true genres
        (700 and 300 according to the publications that use the data).

    Raises
    ------
    DatasetUnavailable
        The archive is not cached and the download failed (e.g. no network): catch it to fall back
        on a simulated crowd. The message says where to put a copy.
    ValueError
        Checksum mismatch (nothing is cached), an unreadable archive, or data that break the layout.
    """
    data_home = _check_data_home(data_home)
    url = _check_url(url)
    expected = _check_sha256(sha256)
    if fetch is None:
        fetch = _urlopen_fetch
    elif not callable(fetch):
        raise TypeError(f"`fetch` must be a callable fetch(url, out), got {type(fetch).__name__}.")
    archive = data_home / _FOLDER / MUSIC_GENRES_ARCHIVE

    def parse(path, shown_as, advice):
        return _music_genres_from_members(_read_members(path, set(_MEMBERS.values()), shown_as, advice))

    if not archive.exists():
        return _download_verified(
            url,
            archive,
            expected,
            fetch,
            lambda path: parse(path, f"The file downloaded from {url}", "it was deleted and nothing was cached."),
        )
    if expected is not None:
        actual = file_sha256(archive)
        if actual != expected:
            raise ValueError(
                f"The cached {archive} has SHA-256 {actual}, but {expected} was expected; delete it (it will be "
                f"downloaded again) or replace it with a good copy."
            )
    return parse(archive, f"The cached {archive}", "delete it (it will be downloaded again) or replace it.")


def _music_genres_from_members(members):
    def table(part):
        try:
            return pd.read_csv(io.BytesIO(members[_MEMBERS[part]]))
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise ValueError(f"{_MEMBERS[part]} is not a readable CSV file ({err}).") from None

    train, test, answers = table("train"), table("test"), table("crowd")
    X_train, y_train, feature_names = _features_and_genres(train, _MEMBERS["train"])
    X_test, y_test, test_features = _features_and_genres(test, _MEMBERS["test"])
    if test_features != feature_names:
        raise ValueError(f"{_MEMBERS['test']} and {_MEMBERS['train']} have different feature columns.")

    missing = {"annotator", "id", "class"} - set(answers.columns)
    if missing:
        raise ValueError(
            f"{_MEMBERS['crowd']} must have the columns annotator, id, class; missing {sorted(missing)}, found "
            f"{list(answers.columns)}."
        )
    long = answers.rename(columns={"id": "task", "class": "label"})[["task", "annotator", "label"]]
    crowd = _long_to_crowd_labels(
        long,
        _RowNames(_MEMBERS["crowd"], lambda k: str(k + 2)),
        tasks=train["id"].to_numpy(),
        workers=None,
        classes=None,
        class_names=MUSIC_GENRES,
    )
    return CrowdDataset(
        name="Music Genres (Rodrigues et al., 2013)",
        crowd=crowd,
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        classes=np.arange(len(MUSIC_GENRES), dtype=np.int64),
        class_names=MUSIC_GENRES,
        feature_names=feature_names,
    )


def _features_and_genres(frame, member):
    """Split a song table (``id``, features..., ``class``) into float32 features, genre labels and feature names."""
    missing = {"id", "class"} - set(frame.columns)
    if missing:
        raise ValueError(f"{member} must have the columns id and class; missing {sorted(missing)}.")
    if len(frame) == 0:
        raise ValueError(f"{member} holds no songs.")
    if frame["id"].isna().any() or frame["id"].duplicated().any():
        k = int(np.flatnonzero(frame["id"].isna() | frame["id"].duplicated())[0])
        raise ValueError(f"row {k + 2} of {member}: the song id is missing or repeated.")
    feature_names = tuple(str(c) for c in frame.columns if c not in ("id", "class"))
    if not feature_names:
        raise ValueError(f"{member} has no feature columns besides id and class.")
    features = frame[list(feature_names)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float32)
    bad = ~np.isfinite(features)
    if bad.any():
        k, j = np.argwhere(bad)[0]
        raise ValueError(f"row {k + 2} of {member}: feature {feature_names[j]!r} is not a finite number.")
    genres = pd.Index(MUSIC_GENRES).get_indexer(frame["class"].astype(str).str.strip())
    if (genres < 0).any():
        k = int(np.flatnonzero(genres < 0)[0])
        raise ValueError(f"row {k + 2} of {member}: genre {frame['class'].iloc[k]!r} is not one of {MUSIC_GENRES}.")
    return features, genres.astype(np.int64), feature_names


# --------------------------------------------------------------------------------------------------------------------
# Into the experiment


def to_data_split(dataset, standardize=True):
    """The samples of a :class:`CrowdDataset` as the :class:`~crowdal_utils.data.DataSplit` experiments train on.

    Rows keep their order, so ``dataset.crowd`` (whose rows follow ``X_train``) goes
    to ``run_experiment(config, data=to_data_split(dataset), crowd_labels=dataset.crowd)``
    as it is; feature vectors get the MLP backbone there.

    Parameters
    ----------
    dataset : CrowdDataset
    standardize : bool, default=True
        Centre every feature on its training mean and divide by its training
        standard deviation (features that are constant on the training songs are
        only centred). The test songs are transformed with the training statistics.
        Audio features come on very different scales, which a small network trained
        for a fixed number of epochs does not cope with.

    Returns
    -------
    DataSplit
        ``X_train`` (n_train, n_features) and ``X_test`` float32; labels and classes as shipped.
    """
    if not isinstance(dataset, CrowdDataset):
        raise TypeError(f"`dataset` must be a CrowdDataset (e.g. load_music_genres()), got {type(dataset).__name__}.")
    if not isinstance(standardize, bool):
        raise TypeError(f"`standardize` must be True or False, got {standardize!r}.")
    X_train = np.asarray(dataset.X_train, dtype=np.float64)
    X_test = np.asarray(dataset.X_test, dtype=np.float64)
    if standardize:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    return DataSplit(
        X_train.astype(np.float32),
        X_test.astype(np.float32),
        np.asarray(dataset.y_train, dtype=np.int64),
        np.asarray(dataset.y_test, dtype=np.int64),
        np.asarray(dataset.classes, dtype=np.int64),
    )
