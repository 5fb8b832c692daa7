import numpy as np
import pandas as pd
import pytest

from crowdal_utils.data.crowd_tables import LONG_LAYOUTS, CrowdLabels, wide_to_long

NAN = np.nan


def _long(rows, who="worker"):
    return pd.DataFrame(rows, columns=["task", who, "label"])


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in a temporary folder, so CSV files are named as the user typed them ("labels.csv")."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(name, text):
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)
    return name


# --------------------------------------------------------------------------------------------------------------------
# Long -> wide


@pytest.mark.parametrize("who", ["worker", "annotator"])
def test_from_long_reads_crowd_kit_and_cleanlab_columns(who):
    table = _long([("a", "w1", 0), ("a", "w2", 1), ("b", "w2", 1), ("c", "w1", 2)], who=who)
    crowd = CrowdLabels.from_long(table)
    assert crowd.tasks.tolist() == ["a", "b", "c"]
    assert crowd.workers == ("w1", "w2")
    assert crowd.classes.tolist() == [0, 1, 2]
    assert crowd.class_names is None
    assert np.array_equal(crowd.matrix, [[0, 1], [NAN, 1], [2, NAN]], equal_nan=True)
    assert crowd.matrix.dtype == np.float64
    assert (crowd.n_tasks, crowd.n_workers, crowd.n_labels) == (3, 2, 4)


def test_string_labels_map_to_sorted_indices_or_to_the_given_order():
    table = _long([(1, "x", "dog"), (1, "y", "cat"), (2, "x", "eel")])
    sorted_names = CrowdLabels.from_long(table)
    assert sorted_names.class_names == ("cat", "dog", "eel")
    assert np.array_equal(sorted_names.matrix, [[1, 0], [2, NAN]], equal_nan=True)
    given = CrowdLabels.from_long(table, class_names=["eel", "dog", "cat", "fox"])
    assert given.class_names == ("eel", "dog", "cat", "fox")
    assert given.classes.tolist() == [0, 1, 2, 3]
    assert np.array_equal(given.matrix, [[1, 2], [0, NAN]], equal_nan=True)
    assert given.to_long(class_names=True)["label"].tolist() == ["dog", "cat", "eel"]


def test_string_labels_with_custom_class_values():
    crowd = CrowdLabels.from_long(_long([(0, "x", "lo"), (1, "x", "hi")]), classes=[10, 20], class_names=["lo", "hi"])
    assert crowd.matrix[:, 0].tolist() == [10, 20]


def test_numeric_labels_can_carry_class_names_and_unused_classes():
    crowd = CrowdLabels.from_long(_long([(0, "x", 1), (1, "x", 3)]), classes=[1, 3, 5], class_names=["a", "b", "c"])
    assert crowd.classes.tolist() == [1, 3, 5]
    assert crowd.to_long(class_names=True)["label"].tolist() == ["a", "b"]
    assert crowd.to_long()["label"].tolist() == [1, 3]


def test_tasks_fix_the_row_order_and_unlabelled_tasks_get_empty_rows():
    table = _long([("img_2", "w", 1), ("img_0", "w", 0)])
    crowd = CrowdLabels.from_long(table, tasks=["img_0", "img_1", "img_2", "img_3"])
    assert crowd.tasks.tolist() == ["img_0", "img_1", "img_2", "img_3"]
    assert np.array_equal(crowd.matrix[:, 0], [0, NAN, 1, NAN], equal_nan=True)


def test_workers_default_to_sorted_and_a_given_order_is_kept():
    table = _long([(0, "w3", 0), (0, "w1", 1), (1, "w2", 1)])
    assert CrowdLabels.from_long(table).workers == ("w1", "w2", "w3")
    crowd = CrowdLabels.from_long(table, workers=["w3", "w9", "w2", "w1"])
    assert crowd.workers == ("w3", "w9", "w2", "w1")
    assert np.array_equal(crowd.matrix, [[0, NAN, NAN, 1], [NAN, NAN, 1, NAN]], equal_nan=True)


def test_an_identical_repeated_answer_is_kept_once():
    table = _long([("a", "w1", 1), ("a", "w2", 0), ("a", "w1", 1)])
    crowd = CrowdLabels.from_long(table)
    assert crowd.n_labels == 2
    assert crowd.matrix.tolist() == [[1.0, 0.0]]


def test_extra_columns_are_ignored():
    table = _long([("a", "w1", 1), ("b", "w1", 0)]).assign(seconds=[3.2, 4.1])
    assert CrowdLabels.from_long(table).matrix.tolist() == [[1.0], [0.0]]


def test_csv_ids_keep_their_type(in_tmp):
    _write("labels.csv", "task,worker,label\n007,12,1\n8,12,0\n")
    crowd = CrowdLabels.from_long("labels.csv")
    assert crowd.tasks.tolist() == ["007", "8"]  # "007" is not a plain integer: the column stays text
    assert crowd.workers == (12,)
    as_text = CrowdLabels.from_long("labels.csv", workers=["12"])
    assert as_text.workers == ("12",)  # string `workers` -> the CSV column is read as text


# --------------------------------------------------------------------------------------------------------------------
# Wide -> long -> wide


def _example(class_names=None, classes=None, tasks=None, workers=None):
    matrix = np.array([[0, NAN, 2, NAN], [NAN, NAN, NAN, NAN], [1, 1, NAN, 0], [NAN, 2, 2, 2]])
    if classes is not None:
        matrix = np.where(np.isnan(matrix), NAN, np.asarray(classes)[np.nan_to_num(matrix).astype(int)])
    return CrowdLabels.from_wide(matrix, tasks=tasks, workers=workers, classes=classes, class_names=class_names)


def _assert_same(a, b):
    assert np.array_equal(a.matrix, b.matrix, equal_nan=True)
    assert np.array_equal(a.tasks, b.tasks) and a.tasks.dtype.kind == b.tasks.dtype.kind
    assert a.workers == b.workers
    assert np.array_equal(a.classes, b.classes)
    assert a.class_names == b.class_names


@pytest.mark.parametrize("columns", sorted(LONG_LAYOUTS))
@pytest.mark.parametrize(
    "kind",
    [
        dict(),
        dict(classes=[1, 3, 5]),
        dict(class_names=["zebra", "ant", "moth"]),
        dict(class_names=["zebra", "ant", "moth"], tasks=["t3", "t1", "t0", "t2"], workers=["b", "a", "d", "c"]),
    ],
)
@pytest.mark.parametrize("names_in_table", [False, True])
def test_wide_long_wide_round_trip_is_exact(columns, kind, names_in_table):
    crowd = _example(**kind)
    long = crowd.to_long(columns=columns, class_names=names_in_table)
    assert list(long.columns) == list(LONG_LAYOUTS[columns])
    assert len(long) == crowd.n_labels == 8
    back = CrowdLabels.from_long(
        long, tasks=crowd.tasks, workers=crowd.workers, classes=crowd.classes, class_names=crowd.class_names
    )
    _assert_same(back, crowd)


def test_round_trip_without_ids_when_every_task_and_worker_has_a_label():
    matrix = np.array([[0, NAN, 1], [NAN, 1, 1], [2, 2, NAN]])
    crowd = CrowdLabels.from_wide(matrix)
    _assert_same(CrowdLabels.from_long(crowd.to_long()), crowd)
    _assert_same(CrowdLabels.from_long(crowd.to_long("cleanlab")), crowd)


def test_csv_round_trip_with_string_classes(in_tmp):
    crowd = _example(class_names=["zebra", "ant", "moth"], tasks=["t3", "t1", "t0", "t2"], workers=["b", "a", "d", "c"])
    crowd.to_csv("labels.csv", columns="cleanlab")
    text = open("labels.csv", encoding="utf-8").read().splitlines()
    assert text[0] == "task,annotator,label" and text[1] == "t3,b,zebra"
    back = CrowdLabels.from_long("labels.csv", tasks=crowd.tasks, workers=crowd.workers, class_names=crowd.class_names)
    _assert_same(back, crowd)


def test_from_wide_defaults_and_read_only_fields():
    crowd = CrowdLabels.from_wide(np.array([[0, 1], [1, 1]]))
    assert crowd.tasks.tolist() == [0, 1] and crowd.workers == (0, 1) and crowd.classes.tolist() == [0, 1]
    with pytest.raises(ValueError, match="read-only"):
        crowd.matrix[0, 0] = 1
    with pytest.raises(AttributeError):
        crowd.classes = np.arange(3)
    assert repr(crowd) == "CrowdLabels(n_tasks=2, n_workers=2, n_labels=4, classes=[0, 1])"


def test_from_wide_copies_its_input():
    matrix = np.array([[0.0, 1.0]])
    crowd = CrowdLabels.from_wide(matrix)
    matrix[0, 0] = 1.0
    assert crowd.matrix[0, 0] == 0.0


# --------------------------------------------------------------------------------------------------------------------
# wide_to_long and the two libraries


@pytest.mark.parametrize("columns, who", [("crowd-kit", "worker"), ("cleanlab", "annotator")])
def test_wide_to_long_uses_row_and_column_indices(columns, who):
    long = wide_to_long(np.array([[NAN, 2], [NAN, NAN], [1, 0]]), columns=columns)
    assert list(long.columns) == ["task", who, "label"]
    assert long.values.tolist() == [[0, 1, 2], [2, 0, 1], [2, 1, 0]]
    assert all(dtype == np.int64 for dtype in long.dtypes)


def test_wide_to_long_of_an_empty_pool_is_an_empty_table():
    long = wide_to_long(np.full((3, 2), NAN))
    assert long.shape == (0, 3) and list(long.columns) == ["task", "worker", "label"]
    assert wide_to_long(np.array([[1, 0]])).values.tolist() == [[0, 0, 1], [0, 1, 0]]  # int matrix, no gaps


def test_wide_to_long_feeds_crowd_kit_dawid_skene():
    aggregation = pytest.importorskip("crowdkit.aggregation")
    truth = np.array([0, 1, 2, 1, 0, 2])
    matrix = np.tile(truth[:, None], (1, 3)).astype(float)
    matrix[0, 2] = 1  # one dissenting vote, outvoted
    matrix[5, 0] = NAN
    labels = aggregation.DawidSkene(n_iter=20).fit_predict(wide_to_long(matrix))
    assert labels.index.tolist() == list(range(6))
    assert labels.to_numpy().tolist() == truth.tolist()


def test_to_long_cleanlab_matches_cleanlab_wide_conversion():
    from cleanlab.multiannotator import convert_long_to_wide_dataset

    crowd = _example(tasks=["t0", "t1", "t2", "t3"], workers=["a", "b", "c", "d"])
    wide = convert_long_to_wide_dataset(crowd.to_long("cleanlab"))
    labelled = ~np.isnan(crowd.matrix).all(axis=1)
    assert wide.index.tolist() == crowd.tasks[labelled].tolist()
    assert wide.columns.tolist() == list(crowd.workers)
    assert np.array_equal(wide.to_numpy(dtype=float), crowd.matrix[labelled], equal_nan=True)


# --------------------------------------------------------------------------------------------------------------------
# Bad tables: every message names the row (or the argument)

TWO = _long([("a", "w", 0), ("b", "w", 1)])
GOOD_CSV = "task,worker,label\nimg_1,w1,cat\nimg_1,w2,dog\nimg_2,w1,dog\n"


@pytest.mark.parametrize(
    "text, kwargs, match",
    [
        ("", {}, "labels.csv is empty"),
        ("task,worker,label\n", {}, "labels.csv holds no labels"),
        ("item,user,answer\nimg_1,w1,cat\n", {}, r"columns found: \['item', 'user', 'answer'\]"),
        ("task,worker,annotator,label\nimg_1,w1,w1,cat\n", {}, "both a 'worker' and an 'annotator' column"),
        ("task,worker,label\nimg_1,w1,cat\n,w2,dog\n", {}, "row 3 of labels.csv: the task is missing"),
        ("task,worker,label\nimg_1,w1,cat\nimg_1,,dog\n", {}, "row 3 of labels.csv: the worker is missing"),
        ("task,worker,label\nimg_1,w1,cat\nimg_2,w1,dog\nimg_2,w2,\n", {}, "row 4 of labels.csv: the label is missing"),
        (
            "task,worker,label\nimg_3,w1,cat\nimg_1,w1,dog\nimg_3,w1,dog\n",
            {},
            "rows 2 and 4 of labels.csv: worker 'w1' labelled task 'img_3' twice, with different labels",
        ),
        ("task,worker,label\nimg_1,w1,1\nimg_1,w2,2.5\n", {}, "row 3 of labels.csv: label 2.5 is not a whole-number"),
        ("task,worker,label\nimg_1,w1,1\nimg_2,w1,7\n", {"classes": [0, 1, 2]}, "row 3 of labels.csv: label 7 is"),
        (GOOD_CSV + "img_2,w2,dgo\n", {}, None),  # an unseen name simply becomes a class without class_names ...
        (GOOD_CSV + "img_2,w2,dgo\n", {"class_names": ["cat", "dog"]}, "row 5 of labels.csv: label 'dgo' is not"),
        (
            GOOD_CSV + "img_9,w2,cat\n",
            {"tasks": ["img_1", "img_2"]},
            "row 5 of labels.csv: task 'img_9' is not in `tasks`, so it has no features",
        ),
        (GOOD_CSV, {"workers": ["w1"]}, "row 3 of labels.csv: worker 'w2' is not in `workers`"),
        ("task,worker,label\n1,w1,0\n2,w1,1\n", {"tasks": ["1", "2", "x"], "workers": [1]}, "worker 'w1' is not in"),
        ("task,worker,label\nimg_1,w1,cat\nimg_2,w1,cat\n", {}, "row 2 of labels.csv: every label is 'cat'"),
        ("task,worker,label\nimg_1,w1,2\nimg_2,w1,2\n", {}, "row 2 of labels.csv: every label is 2; .*pass `classes`"),
        ("task,worker,label\nimg_1,w1,cat\n", {"class_names": ["cat", "dog"], "classes": [0, 1, 2]}, "`classes` has 3"),
    ],
)
def test_bad_csv_tables_name_the_row(in_tmp, text, kwargs, match):
    _write("labels.csv", text)
    if match is None:
        assert CrowdLabels.from_long("labels.csv", **kwargs).class_names == ("cat", "dgo", "dog")
        return
    with pytest.raises(ValueError, match=match):
        CrowdLabels.from_long("labels.csv", **kwargs)


@pytest.mark.parametrize(
    "table, kwargs, match",
    [
        (_long([("a", "w", 0), (None, "w", 1)]), {}, "row 1 of the DataFrame: the task is missing"),
        (_long([("a", "w", 0), ("b", "w", 1.5)]), {}, "row 1 of the DataFrame: label 1.5 is not a whole-number"),
        (_long([("a", "w", 0), ("b", "w", np.inf)]), {}, "row 1 of the DataFrame: label inf is not a whole-number"),
        (_long([("a", "w", 0), ("b", "w", "cat")]), {}, "row 1 of the DataFrame: label 'cat' mixes strings into"),
        (_long([("a", "w", True), ("b", "w", False)]), {}, "row 0 of the DataFrame: label True is a boolean"),
        (_long([("a", "w", 0), ("b", "w", [1])]), {}, r"row 1 of the DataFrame: label \[1\] \(list\) is neither"),
        (
            _long([(1, "w", 0), (2, "w", 1)]),
            {"tasks": ["1", "2"]},
            "task 1 is not in `tasks`.*holds strings, the table's task ids are numbers",
        ),
        (_long([(1, "w", 0), (1, 7, 1)]), {}, "row 1 of the DataFrame: worker 7 mixes numbers and strings"),
        (_long([("a", "w", 0), ("b", "w", 1)]).set_axis(["q1", "q2"]), {"classes": [0, 2]}, "row 'q2' of the"),
    ],
)
def test_bad_dataframes_name_the_row(table, kwargs, match):
    with pytest.raises(ValueError, match=match):
        CrowdLabels.from_long(table, **kwargs)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: CrowdLabels.from_long(42), TypeError, "`table` must be a pandas DataFrame or a path"),
        (lambda: CrowdLabels.from_long(TWO, tasks="abc"), TypeError, "`tasks` must be a sequence"),
        (lambda: CrowdLabels.from_long(TWO, tasks=[]), ValueError, "`tasks` must not be empty"),
        (lambda: CrowdLabels.from_long(TWO, tasks=["a", "a"]), ValueError, "`tasks` holds the id"),
        (lambda: CrowdLabels.from_long(_long([("a", "w", "x")]), class_names="xy"), TypeError, "`class_names` must"),
        (lambda: CrowdLabels.from_long(_long([("a", "w", "x")]), class_names=["x", "x"]), ValueError, "distinct"),
        (lambda: CrowdLabels.from_long(TWO, classes=[2, 0, 1]), ValueError, "`classes` must be"),
        (lambda: CrowdLabels.from_long(TWO, classes=7), TypeError, "`classes` must be a 1-D"),
        (lambda: CrowdLabels.from_long("no_such_file.csv"), FileNotFoundError, "no_such_file.csv"),
        (lambda: _example().to_long(columns=3), TypeError, "`columns` must be a column layout name"),
        (lambda: _example().to_long(columns="crowdkit"), ValueError, "`columns` must be .*got 'crowdkit'"),
        (lambda: _example().to_long(class_names="yes"), TypeError, "`class_names` must be True or False"),
        (lambda: _example().to_csv(3), TypeError, "`path` must be a path"),
    ],
)
def test_bad_arguments_are_named(call, err, match):
    with pytest.raises(err, match=match):
        call()


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(matrix="abc"), TypeError, "`matrix` must be an array"),
        (dict(matrix=np.array([["a", "b"]])), TypeError, "`matrix` must hold numbers"),
        (dict(matrix=np.array([0, 1])), ValueError, r"`matrix` must have shape \(n_tasks, n_workers\)"),
        (dict(matrix=np.array([[0, 1], [5, 1]]), classes=[0, 1]), ValueError, r"holds 5.0 at \(row 1, column 0\)"),
        (dict(matrix=np.array([[0, 1.5]])), ValueError, "`matrix` holds 1.5, which is not a whole-number"),
        (dict(matrix=np.array([[1, 1]])), ValueError, "fewer than two classes.*pass `classes`"),
        (dict(matrix=np.array([[0, 1]]), tasks=["a", "b"]), ValueError, "`tasks` has 2 ids but `matrix` has 1 rows"),
        (dict(matrix=np.array([[0, 1]]), workers=["w"]), ValueError, "`workers` has 1 ids but `matrix` has 2"),
        (
            dict(matrix=np.array([[0, 1]]), class_names=["a", "b", "c"], classes=[0, 1]),
            ValueError,
            "`class_names` has 3",
        ),
    ],
)
def test_from_wide_rejects_bad_input_by_name(kwargs, err, match):
    with pytest.raises(err, match=match):
        CrowdLabels.from_wide(**kwargs)


@pytest.mark.parametrize(
    "matrix, err, match",
    [
        ("abc", TypeError, "`matrix` must be an array"),
        (np.array([[True, False]]), TypeError, "`matrix` must hold numbers"),
        (np.array([0.0, 1.0]), ValueError, r"`matrix` must have shape \(n_samples, n_annotators\)"),
        (np.array([[0.0, 2.5]]), ValueError, r"`matrix` holds 2.5 at \(row 0, column 1\)"),
        (np.array([[0.0, np.inf]]), ValueError, r"`matrix` holds inf at \(row 0, column 1\)"),
    ],
)
def test_wide_to_long_rejects_bad_matrices(matrix, err, match):
    with pytest.raises(err, match=match):
        wide_to_long(matrix)
