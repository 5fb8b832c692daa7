"""The Music Genres loader, against small archives generated here in the published layout (no third-party data)."""

import hashlib
import io
import tarfile
import urllib.error
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crowdal_utils.data.crowd_tables import CrowdLabels
from crowdal_utils.data.music_genres import (
    MUSIC_GENRES,
    MUSIC_GENRES_ARCHIVE,
    MUSIC_GENRES_SHA256,
    MUSIC_GENRES_URL,
    CrowdDataset,
    DatasetUnavailable,
    _check_sha256,
    default_data_home,
    load_music_genres,
)

FOLDER = "music_genre_classification"


def make_music_archive(n_train=12, n_test=6, n_features=4, n_workers=5, seed=0, edit=None, drop=None, tail=0):
    """Bytes of a .tar.gz laid out like ``mturk-datasets.tar.gz``, and the tables written into it.

    A sentiment-polarity member comes first and, with ``tail`` > 0, an incompressible member of
    ``tail`` bytes comes last (the real archive reportedly has a truncated last member). ``edit``
    may change the tables before they are written; ``drop`` leaves out one of the three members.
    """
    rng = np.random.default_rng(seed)

    def songs(n, prefix):
        genres = np.asarray(MUSIC_GENRES)[rng.integers(0, 10, n)]
        table = pd.DataFrame(rng.normal(size=(n, n_features)).round(5), columns=[f"f{j}" for j in range(n_features)])
        table.insert(0, "id", [f"{g}.{prefix}{i:04d}.mp3" for i, g in enumerate(genres)])
        table["class"] = genres
        return table

    train, test = songs(n_train, "tr"), songs(n_test, "te")
    workers = [f"A{w}XYZ" for w in range(n_workers)]
    rows = []
    for song, genre in zip(train["id"][:-1], train["class"][:-1], strict=True):  # the last song stays unlabelled
        for worker in rng.choice(workers, size=3, replace=False):
            answer = genre if rng.random() < 0.7 else MUSIC_GENRES[rng.integers(0, 10)]
            rows.append((worker, song, answer))
    answers = pd.DataFrame(rows, columns=["annotator", "id", "class"])
    tables = {"music_genre_gold.csv": train, "music_genre_test.csv": test, "music_genre_mturk.csv": answers}
    if edit is not None:
        edit(tables)

    members = [("sentiment_polarity/mturk_answers.csv", b"WorkerId,Input.id,Answer.sent\nW1,1,pos\n")]
    members += [(f"{FOLDER}/{name}", t.to_csv(index=False).encode()) for name, t in tables.items() if name != drop]
    if tail:
        members.append(("sentiment_polarity/polarity_test_lsa_topics.csv", rng.bytes(tail)))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue(), tables


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


class Server:
    """A ``fetch(url, out)`` that serves fixed bytes and counts its calls."""

    def __init__(self, data):
        self.data = data
        self.urls = []

    def __call__(self, url, out):
        self.urls.append(url)
        out.write(self.data)


def failing_fetch(error):
    def fetch(url, out):
        out.write(b"\x1f\x8b half an archive")  # some bytes arrive before the connection drops
        raise error

    return fetch


def cache_files(data_home):
    return sorted(str(p.relative_to(data_home)) for p in data_home.rglob("*"))


@pytest.fixture
def archive():
    return make_music_archive()


# --------------------------------------------------------------------------------------------------------------------
# Happy path and cache


def test_download_loads_the_shipped_split_and_crowd(tmp_path, archive):
    data, tables = archive
    server = Server(data)
    ds = load_music_genres(tmp_path, url="https://example.org/a.tar.gz", sha256=sha256_of(data), fetch=server)
    assert server.urls == ["https://example.org/a.tar.gz"]
    assert isinstance(ds, CrowdDataset) and isinstance(ds.crowd, CrowdLabels)
    train, test, answers = (tables[f"music_genre_{p}.csv"] for p in ("gold", "test", "mturk"))
    assert ds.X_train.dtype == np.float32 and ds.X_train.shape == (12, 4)
    assert np.array_equal(ds.X_train, train[["f0", "f1", "f2", "f3"]].to_numpy(np.float32))
    assert np.array_equal(ds.X_test, test[["f0", "f1", "f2", "f3"]].to_numpy(np.float32))
    assert [MUSIC_GENRES[k] for k in ds.y_train] == train["class"].tolist()
    assert [MUSIC_GENRES[k] for k in ds.y_test] == test["class"].tolist()
    assert ds.class_names == MUSIC_GENRES and ds.classes.tolist() == list(range(10))
    assert ds.feature_names == ("f0", "f1", "f2", "f3")
    # The crowd: one row per training song, in feature order; the unlabelled last song has an empty row.
    assert ds.crowd.tasks.tolist() == train["id"].tolist()
    assert ds.crowd.workers == tuple(sorted(answers["annotator"].unique()))
    assert ds.crowd.n_labels == len(answers) == 33
    assert np.isnan(ds.crowd.matrix[-1]).all()
    for worker, song, genre in answers.itertuples(index=False):
        i, j = train["id"].tolist().index(song), ds.crowd.workers.index(worker)
        assert ds.crowd.matrix[i, j] == MUSIC_GENRES.index(genre)
    long = ds.crowd.to_long(class_names=True)
    assert sorted(map(tuple, long.values.tolist())) == sorted((s, w, g) for w, s, g in answers.itertuples(index=False))
    assert cache_files(tmp_path) == ["music_genres", f"music_genres/{MUSIC_GENRES_ARCHIVE}"]
    assert (tmp_path / "music_genres" / MUSIC_GENRES_ARCHIVE).read_bytes() == data


def test_default_opener_downloads_from_a_file_url(tmp_path, archive):
    data, _ = archive
    source = tmp_path / "served" / "mturk.tar.gz"
    source.parent.mkdir()
    source.write_bytes(data)
    ds = load_music_genres(tmp_path / "cache", url=source.as_uri(), sha256=sha256_of(data))
    assert ds.X_train.shape == (12, 4)
    assert (tmp_path / "cache" / "music_genres" / MUSIC_GENRES_ARCHIVE).read_bytes() == data


def test_second_call_reads_the_cache_without_downloading(tmp_path, archive):
    data, _ = archive
    server = Server(data)
    first = load_music_genres(tmp_path, sha256=sha256_of(data), fetch=server)
    second = load_music_genres(tmp_path, sha256=sha256_of(data), fetch=server)
    assert len(server.urls) == 1
    assert np.array_equal(first.X_train, second.X_train)
    assert np.array_equal(first.crowd.matrix, second.crowd.matrix, equal_nan=True)


def test_a_copy_put_in_the_cache_by_hand_is_used(tmp_path, archive):
    data, _ = archive
    (tmp_path / "music_genres").mkdir()
    (tmp_path / "music_genres" / MUSIC_GENRES_ARCHIVE).write_bytes(data)
    ds = load_music_genres(tmp_path, sha256=sha256_of(data), fetch=failing_fetch(OSError("offline")))
    assert ds.y_test.shape == (6,)


def test_cache_folder_defaults_to_the_environment_variable(tmp_path, monkeypatch, archive):
    data, _ = archive
    monkeypatch.setenv("CROWDAL_DATA_DIR", str(tmp_path / "from_env"))
    assert default_data_home() == tmp_path / "from_env"
    load_music_genres(sha256=sha256_of(data), fetch=Server(data))
    assert (tmp_path / "from_env" / "music_genres" / MUSIC_GENRES_ARCHIVE).is_file()
    monkeypatch.delenv("CROWDAL_DATA_DIR")
    assert default_data_home() == Path.home() / "crowdal_data"


def test_a_truncated_last_member_after_the_needed_ones_does_not_matter(tmp_path):
    data, _ = make_music_archive(tail=300_000)
    cut = data[: len(data) - 100_000]  # chops the incompressible tail member in half
    ds = load_music_genres(tmp_path, sha256=sha256_of(cut), fetch=Server(cut))
    assert ds.X_train.shape == (12, 4)


def test_without_a_known_checksum_the_download_is_accepted_with_a_warning_showing_its_hash(tmp_path, archive):
    data, _ = archive
    with pytest.warns(UserWarning, match=f"could not be verified.*{sha256_of(data)}"):
        ds = load_music_genres(tmp_path, sha256=None, fetch=Server(data))
    assert ds.X_train.shape == (12, 4)
    assert (tmp_path / "music_genres" / MUSIC_GENRES_ARCHIVE).is_file()


# --------------------------------------------------------------------------------------------------------------------
# Failures


def test_checksum_mismatch_names_both_hashes_and_caches_nothing(tmp_path, archive):
    data, _ = archive
    expected = "ab" * 32
    with pytest.raises(ValueError, match=f"SHA-256 {sha256_of(data)}, but {expected} was expected.*nothing was cached"):
        load_music_genres(tmp_path, sha256=expected, fetch=Server(data))
    assert cache_files(tmp_path) == []


def test_checksum_mismatch_leaves_an_existing_cache_folder_as_it_was(tmp_path, archive):
    data, _ = archive
    (tmp_path / "music_genres").mkdir()
    (tmp_path / "music_genres" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="was expected"):
        load_music_genres(tmp_path, sha256="0" * 64, fetch=Server(data))
    assert cache_files(tmp_path) == ["music_genres", "music_genres/notes.txt"]


def test_a_damaged_cached_archive_is_reported_not_used(tmp_path, archive):
    data, _ = archive
    load_music_genres(tmp_path, sha256=sha256_of(data), fetch=Server(data))
    cached = tmp_path / "music_genres" / MUSIC_GENRES_ARCHIVE
    cached.write_bytes(data[:-10])
    with pytest.raises(ValueError, match=f"cached .*{MUSIC_GENRES_ARCHIVE} has SHA-256 {sha256_of(data[:-10])}"):
        load_music_genres(tmp_path, sha256=sha256_of(data), fetch=Server(data))


@pytest.mark.parametrize(
    "error", [urllib.error.URLError("[Errno -3] Temporary failure in name resolution"), ConnectionResetError("reset")]
)
def test_download_failure_raises_dataset_unavailable_saying_where_to_put_the_file(tmp_path, error):
    url = "https://example.org/mturk-datasets.tar.gz"
    with pytest.raises(DatasetUnavailable) as caught:
        load_music_genres(tmp_path, url=url, sha256="0" * 64, fetch=failing_fetch(error))
    message = str(caught.value)
    assert isinstance(caught.value, OSError)
    assert message.startswith(f"Downloading {url} failed")
    assert f"save it as {tmp_path / 'music_genres' / MUSIC_GENRES_ARCHIVE}, then run this again." in message
    assert message.count(". ") == 0  # one sentence
    assert cache_files(tmp_path) == []  # the half-written temporary file is gone


def test_default_opener_failure_is_dataset_unavailable(tmp_path):
    missing = (tmp_path / "nowhere.tar.gz").as_uri()
    with pytest.raises(DatasetUnavailable, match="Downloading file://.*nowhere.tar.gz failed"):
        load_music_genres(tmp_path / "cache", url=missing)
    assert not (tmp_path / "cache").exists()


def test_corrupt_archive_is_a_clear_error_and_is_not_cached(tmp_path):
    junk = b"<html>Checking your browser before accessing</html>"
    with pytest.raises(ValueError, match="downloaded from .* is not a readable .tar.gz archive.*nothing was cached"):
        load_music_genres(tmp_path, sha256=sha256_of(junk), fetch=Server(junk))
    assert cache_files(tmp_path) == []


def test_archive_without_the_crowd_member_is_rejected(tmp_path):
    data, _ = make_music_archive(drop="music_genre_mturk.csv")
    with pytest.raises(ValueError, match=f"lacks the member.*'{FOLDER}/music_genre_mturk.csv'"):
        load_music_genres(tmp_path, sha256=sha256_of(data), fetch=Server(data))
    assert cache_files(tmp_path) == []


SAME_AS_ROW_0 = object()


def _set(table, column, row, value):
    def edit(tables):
        frame = tables[table]
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = frame.loc[0, column] if value is SAME_AS_ROW_0 else value

    return edit


@pytest.mark.parametrize(
    "edit, match",
    [
        (_set("music_genre_mturk.csv", "class", 1, "polka"), "row 3 of .*music_genre_mturk.csv: label 'polka' is not"),
        (_set("music_genre_mturk.csv", "id", 4, "jazz.xx.mp3"), "row 6 of .*mturk.csv: task 'jazz.xx.mp3' is not in"),
        (
            _set("music_genre_mturk.csv", "annotator", 2, None),
            "row 4 of .*music_genre_mturk.csv: the worker is missing",
        ),
        (_set("music_genre_gold.csv", "class", 3, "polka"), "row 5 of .*music_genre_gold.csv: genre 'polka'"),
        (_set("music_genre_test.csv", "f2", 0, "n/a"), "row 2 of .*music_genre_test.csv: feature 'f2' is not a"),
        (_set("music_genre_gold.csv", "id", 2, SAME_AS_ROW_0), "row 4 of .*gold.csv: the song id is missing or"),
        (lambda t: t.update({"music_genre_test.csv": t["music_genre_test.csv"].drop(columns="f3")}), "different feat"),
        (
            lambda t: t.update(
                {"music_genre_mturk.csv": t["music_genre_mturk.csv"].rename(columns={"annotator": "worker"})}
            ),
            "annotator, id",
        ),
    ],
)
def test_bad_data_inside_the_archive_names_member_and_row(tmp_path, edit, match):
    data, _ = make_music_archive(edit=edit, seed=1)
    with pytest.raises(ValueError, match=match):
        load_music_genres(tmp_path, sha256=sha256_of(data), fetch=Server(data))
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(data_home=3), TypeError, "`data_home` must be a folder path"),
        (dict(url=3), TypeError, "`url` must be a string"),
        (dict(url="ftp://example.org/a.tar.gz"), ValueError, "`url` must start with http://"),
        (dict(sha256="abc"), ValueError, "`sha256` must be 64 hexadecimal characters"),
        (dict(sha256="g" * 64), ValueError, "`sha256` must be 64 hexadecimal characters"),
        (dict(sha256=123), TypeError, "`sha256` must be a 64-character hex string"),
        (dict(fetch="curl"), TypeError, "`fetch` must be a callable"),
    ],
)
def test_bad_arguments_are_named(tmp_path, kwargs, err, match):
    kwargs.setdefault("data_home", tmp_path)
    with pytest.raises(err, match=match):
        load_music_genres(**kwargs)


def test_published_constants():
    assert MUSIC_GENRES_URL == "https://fprodrigues.com/mturk-datasets.tar.gz"
    assert len(MUSIC_GENRES) == 10 and list(MUSIC_GENRES) == sorted(MUSIC_GENRES)
    # Either still unknown, or a well-formed digest (guards the edit that fills it in).
    assert MUSIC_GENRES_SHA256 is None or _check_sha256(MUSIC_GENRES_SHA256) == MUSIC_GENRES_SHA256


# --------------------------------------------------------------------------------------------------------------------
# Into the experiment


def _loaded(tmp_path, **archive_options):
    data, _ = make_music_archive(**archive_options)
    return load_music_genres(tmp_path, url="https://example.org/a.tar.gz", sha256=sha256_of(data), fetch=Server(data))


def test_to_data_split_standardises_with_the_training_statistics(tmp_path):
    from crowdal_utils.data.digits import DataSplit
    from crowdal_utils.data.music_genres import to_data_split

    ds = _loaded(tmp_path, n_train=40, n_test=10, n_features=3)
    split = to_data_split(ds)
    assert isinstance(split, DataSplit)
    assert split.X_train.dtype == split.X_test.dtype == np.float32
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(split.X_train.std(axis=0), 1, atol=1e-5)
    mean, std = ds.X_train.astype(float).mean(axis=0), ds.X_train.astype(float).std(axis=0)
    np.testing.assert_allclose(split.X_test, (ds.X_test - mean) / std, rtol=1e-5, atol=1e-6)  # the same transform
    assert np.array_equal(split.y_train, ds.y_train) and np.array_equal(split.y_test, ds.y_test)
    assert np.array_equal(split.classes, ds.classes)
    raw = to_data_split(ds, standardize=False)
    assert np.array_equal(raw.X_train, ds.X_train) and np.array_equal(raw.X_test, ds.X_test)


def test_to_data_split_only_centres_a_constant_feature(tmp_path):
    from crowdal_utils.data.music_genres import to_data_split

    def constant_feature(tables):
        for name in ("music_genre_gold.csv", "music_genre_test.csv"):
            tables[name]["f1"] = 2.5

    split = to_data_split(_loaded(tmp_path, n_train=20, edit=constant_feature))
    assert np.all(split.X_train[:, 1] == 0) and np.all(split.X_test[:, 1] == 0)
    assert np.isfinite(split.X_train).all()


def test_to_data_split_names_bad_input(tmp_path):
    from crowdal_utils.data.music_genres import to_data_split

    with pytest.raises(TypeError, match="`dataset` must be a CrowdDataset"):
        to_data_split("music")
    with pytest.raises(TypeError, match="`standardize` must be True or False"):
        to_data_split(_loaded(tmp_path), standardize="yes")


def test_a_loaded_crowd_runs_through_the_experiment_without_a_detour(tmp_path):
    from crowdal_utils.data.music_genres import to_data_split
    from crowdal_utils.experiment.config import ExperimentConfig
    from crowdal_utils.experiment.loop import run_experiment

    ds = _loaded(tmp_path, n_train=30, n_test=8, n_features=5)
    config = ExperimentConfig(n_repetitions=1, n_cycles=2, query_batch_size=16, max_epochs=1)
    results = run_experiment(config, to_data_split(ds), ds.crowd, progress=False, n_jobs=1, reuse=False)
    assert results.annotator_names == [str(w) for w in ds.crowd.workers]
    assert results.n_annotations().tolist() == [16, 32]
