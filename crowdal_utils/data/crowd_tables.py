"""Crowd labels as a table: the long format of real annotation jobs, and the wide matrix crowdal works with.

A real annotation job hands back one row per answer: which *task* (sample) was
shown, which *worker* answered, and the *label* they gave. That is the **long
format**. The two libraries this course uses name its columns differently:

==============  ========  =============  =========
layout          task      who answered   label
==============  ========  =============  =========
``crowd-kit``   ``task``  ``worker``     ``label``
``cleanlab``    ``task``  ``annotator``  ``label``
==============  ========  =============  =========

(crowd-kit 1.4.2 ``crowdkit.aggregation.*.fit(data)``; cleanlab 2.9.0
``cleanlab.multiannotator.convert_long_to_wide_dataset``.)

Inside crowdal, crowd labels are a **wide** float matrix of shape
(n_tasks, n_workers) with NaN where a worker gave no label. :class:`CrowdLabels`
holds that matrix together with the task ids (row order), the worker ids
(column order), the classes and, when the labels were words, the class names, so
a table can travel long -> wide -> long without losing anything.

Rules for a long table (each violation raises ``ValueError`` naming the row):

* it has the columns ``task``, ``label`` and one of ``worker``/``annotator``
  (other columns are ignored) and at least one row;
* no cell of those three columns is empty;
* labels are either all whole numbers (class labels) or all strings (class names);
* a worker labels a task at most once. The same (task, worker, label) row
  repeated is kept once (a resubmitted answer adds no information); the same
  (task, worker) pair with two different labels is an error;
* with ``tasks`` given (the ids that have features, in feature-row order), every
  labelled task must be one of them. Tasks without any label are fine: they are
  the unlabelled pool.

Rows are counted as in a spreadsheet for CSV files (the header is row 1, the
first answer row 2) and by index label for DataFrames.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._registry import lookup
from .._validation import check_classes

#: Column names of each supported long layout: (task, who answered, label).
LONG_LAYOUTS = {
    "crowd-kit": ("task", "worker", "label"),
    "cleanlab": ("task", "annotator", "label"),
}


# --------------------------------------------------------------------------------------------------------------------
# Small checks


def _check_layout(columns):
    return lookup(LONG_LAYOUTS, columns, "columns", "column layout")


def _check_bool(value, name):
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False, got {value!r}.")
    return bool(value)


def _check_path(path, name):
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"`{name}` must be a path (str or os.PathLike), got {type(path).__name__}.")
    return Path(path)


def _check_ids(ids, name):
    """Return ``ids`` as a 1-D array of unique, non-missing task or worker ids."""
    if isinstance(ids, str | bytes) or not hasattr(ids, "__len__"):
        raise TypeError(f"`{name}` must be a sequence of ids (list, tuple or 1-D array), got {type(ids).__name__}.")
    ids = ids if isinstance(ids, np.ndarray) else _ids_array(ids)
    if ids.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D, got shape {ids.shape}.")
    if ids.size == 0:
        raise ValueError(f"`{name}` must not be empty.")
    if ids.dtype.kind == "O" and all(isinstance(i, str) for i in ids):
        ids = ids.astype(str)
    missing = pd.isna(ids)
    if missing.any():
        raise ValueError(f"`{name}` holds a missing id at position {int(np.flatnonzero(missing)[0])}.")
    duplicated = pd.Index(ids).duplicated()
    if duplicated.any():
        raise ValueError(f"`{name}` holds the id {ids[np.flatnonzero(duplicated)[0]]!r} more than once.")
    return ids


def _check_sorted_classes(classes):
    if isinstance(classes, str) or not hasattr(classes, "__len__"):
        raise TypeError(f"`classes` must be a 1-D array of integer class labels, got {type(classes).__name__}.")
    raw = np.asarray(classes)
    checked = check_classes(raw)
    if not np.array_equal(raw, checked):
        raise ValueError(f"`classes` must be sorted in ascending order, got {raw.tolist()}.")
    return checked.astype(np.int64)


def _check_class_names(class_names):
    if class_names is None:
        return None
    if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
        raise TypeError(f"`class_names` must be a sequence of strings, got {type(class_names).__name__}.")
    names = tuple(class_names)
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"`class_names` must hold non-empty strings, got {name!r}.")
    if len(set(names)) != len(names):
        raise ValueError(f"`class_names` must be distinct, got {list(names)}.")
    return names


def _as_python(value):
    """A numpy scalar as the plain Python value (for messages and worker tuples)."""
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------------------------------------------------
# The wide matrix


@dataclass(frozen=True, eq=False, repr=False)
class CrowdLabels:
    """Crowd labels in the wide layout, with the ids that tie them to tasks and workers.

    Attributes
    ----------
    matrix : np.ndarray of shape (n_tasks, n_workers), float64, read-only
        ``matrix[i, j]`` is the class label worker ``workers[j]`` gave task
        ``tasks[i]``, NaN if they gave none. Every other entry is one of ``classes``.
    tasks : np.ndarray of shape (n_tasks,), read-only
        Task ids in row order (e.g. the order of the feature rows).
    workers : tuple of length n_workers
        Worker ids in column order.
    classes : np.ndarray of shape (n_classes,), int64, read-only
        Sorted class labels (0..K-1 or any sorted integers).
    class_names : tuple of str of length n_classes, or None
        ``class_names[k]`` names ``classes[k]``; None when the labels were numbers.
    """

    matrix: np.ndarray
    tasks: np.ndarray
    workers: tuple
    classes: np.ndarray
    class_names: tuple | None = None

    def __post_init__(self):
        matrix = self.matrix
        if not isinstance(matrix, np.ndarray):
            raise TypeError(f"`matrix` must be a numpy array of shape (n_tasks, n_workers), got {type(matrix)}.")
        if matrix.dtype == bool or not np.issubdtype(matrix.dtype, np.number):
            raise TypeError(f"`matrix` must hold numbers with NaN for a missing label, got dtype {matrix.dtype}.")
        if matrix.ndim != 2 or 0 in matrix.shape:
            raise ValueError(f"`matrix` must have shape (n_tasks, n_workers) with both > 0, got {matrix.shape}.")
        matrix = np.array(matrix, dtype=np.float64)
        classes = _check_sorted_classes(self.classes)
        given = ~np.isnan(matrix)
        outside = given & ~np.isin(matrix, classes)
        if outside.any():
            i, j = np.argwhere(outside)[0]
            raise ValueError(
                f"`matrix` holds {matrix[i, j]} at (row {i}, column {j}), which is not one of `classes` "
                f"{classes.tolist()}."
            )
        tasks = _check_ids(self.tasks, "tasks")
        if tasks.shape[0] != matrix.shape[0]:
            raise ValueError(f"`tasks` has {tasks.shape[0]} ids but `matrix` has {matrix.shape[0]} rows.")
        workers = tuple(_as_python(w) for w in _check_ids(self.workers, "workers"))
        if len(workers) != matrix.shape[1]:
            raise ValueError(f"`workers` has {len(workers)} ids but `matrix` has {matrix.shape[1]} columns.")
        class_names = _check_class_names(self.class_names)
        if class_names is not None and len(class_names) != classes.size:
            raise ValueError(
                f"`class_names` has {len(class_names)} names but there are {classes.size} classes {classes.tolist()}."
            )
        for array in (matrix, tasks, classes):
            array.flags.writeable = False
        object.__setattr__(self, "matrix", matrix)
        object.__setattr__(self, "tasks", tasks)
        object.__setattr__(self, "workers", workers)
        object.__setattr__(self, "classes", classes)
        object.__setattr__(self, "class_names", class_names)

    # ----------------------------------------------------------------------------------------------------------------
    # Sizes

    @property
    def n_tasks(self):
        """Number of tasks (rows)."""
        return self.matrix.shape[0]

    @property
    def n_workers(self):
        """Number of workers (columns)."""
        return self.matrix.shape[1]

    @property
    def n_labels(self):
        """Number of labels given (non-NaN entries)."""
        return int(np.count_nonzero(~np.isnan(self.matrix)))

    def __repr__(self):
        names = "" if self.class_names is None else f", class_names={self.class_names}"
        return (
            f"CrowdLabels(n_tasks={self.n_tasks}, n_workers={self.n_workers}, n_labels={self.n_labels}, "
            f"classes={self.classes.tolist()}{names})"
        )

    # ----------------------------------------------------------------------------------------------------------------
    # Wide in

    @classmethod
    def from_wide(cls, matrix, tasks=None, workers=None, classes=None, class_names=None):
        """Wrap a wide crowd-label matrix.

        Parameters
        ----------
        matrix : array-like of shape (n_tasks, n_workers)
            Class labels, NaN where a worker gave no label (an integer matrix has no gaps).
        tasks : sequence of n_tasks ids, optional
            Row ids; default ``0..n_tasks-1``.
        workers : sequence of n_workers ids, optional
            Column ids; default ``0..n_workers-1``.
        classes : sorted 1-D int array, optional
            Default: ``0..len(class_names)-1`` with ``class_names``, else the distinct labels in ``matrix``.
        class_names : sequence of str, optional
            Names of ``classes``, in the same order.

        Returns
        -------
        CrowdLabels
        """
        if isinstance(matrix, pd.DataFrame):
            matrix = matrix.to_numpy()
        if not isinstance(matrix, np.ndarray | list | tuple):
            raise TypeError(f"`matrix` must be an array of shape (n_tasks, n_workers), got {type(matrix).__name__}.")
        matrix = np.asarray(matrix)
        if matrix.dtype == bool or not np.issubdtype(matrix.dtype, np.number):
            raise TypeError(f"`matrix` must hold numbers with NaN for a missing label, got dtype {matrix.dtype}.")
        if matrix.ndim != 2 or 0 in matrix.shape:
            raise ValueError(f"`matrix` must have shape (n_tasks, n_workers) with both > 0, got {matrix.shape}.")
        names = _check_class_names(class_names)
        if classes is None:
            if names is not None:
                classes = np.arange(len(names))
            else:
                given = matrix[~np.isnan(matrix.astype(np.float64))]
                if given.size and not np.all(given == np.round(given)):
                    bad = given[given != np.round(given)][0]
                    raise ValueError(f"`matrix` holds {bad}, which is not a whole-number class label.")
                classes = np.unique(given).astype(np.int64)
                if classes.size < 2:
                    raise ValueError(
                        f"`matrix` shows fewer than two classes ({classes.tolist()}); pass `classes` explicitly."
                    )
        tasks = np.arange(matrix.shape[0]) if tasks is None else tasks
        workers = tuple(range(matrix.shape[1])) if workers is None else workers
        return cls(matrix, tasks, workers, classes, names)

    # ----------------------------------------------------------------------------------------------------------------
    # Long in

    @classmethod
    def from_long(cls, table, tasks=None, workers=None, classes=None, class_names=None):
        """Read long-format labels (one row per task, worker, label) into the wide layout.

        Parameters
        ----------
        table : pandas.DataFrame or path to a CSV file
            Columns ``task``, ``worker``, ``label`` (crowd-kit) or ``task``, ``annotator``,
            ``label`` (cleanlab); other columns are ignored. In a CSV, ids and labels
            that are all whole numbers (like ``3``, not ``007``) are read as integers.
        tasks : sequence of ids, optional
            The tasks that have features, in feature-row order: rows of the result
            follow it, and tasks in it without labels get an all-NaN row. A labelled
            task missing from it is an error. Default: labelled tasks in order of
            first appearance.
        workers : sequence of ids, optional
            Column order (workers without labels get an all-NaN column); a worker
            missing from it is an error. Default: the workers in the table, sorted.
        classes : sorted 1-D int array, optional
            With numeric labels: the allowed labels (default: those that appear).
            With string labels: the class label of each name (default ``0..K-1``).
        class_names : sequence of str, optional
            With string labels: the allowed names, and their order (default: the
            names that appear, sorted). With numeric labels: names for ``classes``.

        Returns
        -------
        CrowdLabels

        Raises
        ------
        TypeError
            If ``table`` is neither a DataFrame nor a path.
        ValueError
            If the table breaks a rule of the module docstring; the message names the row.
        """
        if isinstance(table, pd.DataFrame):
            frame = table
            row = _RowNames("the DataFrame", lambda k: repr(_as_python(table.index[k])))
        elif isinstance(table, str | os.PathLike):
            frame = _read_long_csv(Path(table), tasks, workers)
            row = _RowNames(str(table), lambda k: str(k + 2))
        else:
            raise TypeError(f"`table` must be a pandas DataFrame or a path to a CSV file, got {type(table).__name__}.")
        return _long_to_crowd_labels(frame, row, tasks, workers, classes, class_names)

    # ----------------------------------------------------------------------------------------------------------------
    # Long out

    def to_long(self, columns="crowd-kit", class_names=False):
        """The labels as a long table, one row per given label, task by task in row order.

        Parameters
        ----------
        columns : {"crowd-kit", "cleanlab"}, default="crowd-kit"
            ``task, worker, label`` (crowd-kit's ``fit``) or ``task, annotator, label``
            (cleanlab's ``convert_long_to_wide_dataset``).
        class_names : bool, default=False
            True: write class names instead of class labels where the labels have names.

        Returns
        -------
        pandas.DataFrame of shape (n_labels, 3)
        """
        layout = _check_layout(columns)
        named = _check_bool(class_names, "class_names") and self.class_names is not None
        rows, cols = np.nonzero(~np.isnan(self.matrix))
        labels = self.matrix[rows, cols].astype(np.int64)
        if named:
            labels = np.asarray(self.class_names, dtype=object)[np.searchsorted(self.classes, labels)]
        return pd.DataFrame(
            {layout[0]: self.tasks[rows], layout[1]: _ids_array(self.workers)[cols], layout[2]: labels},
            columns=list(layout),
        )

    def to_csv(self, path, columns="crowd-kit", class_names=True):
        """Write :meth:`to_long` to a CSV file (without the index) and return its path.

        ``class_names=True`` (the default here) writes names where the labels have them,
        so the file reads like the job's export; read it back with
        ``CrowdLabels.from_long(path, class_names=labels.class_names)`` to keep the class order.
        """
        path = _check_path(path, "path")
        self.to_long(columns=columns, class_names=class_names).to_csv(path, index=False)
        return path


def _ids_array(ids):
    """Ids as a 1-D array that keeps each id's type: all strings -> str, all integers -> int64, else object."""
    ids = list(ids)
    if all(isinstance(i, str) for i in ids):
        return np.asarray(ids, dtype=str)
    if all(isinstance(i, int | np.integer) and not isinstance(i, bool | np.bool_) for i in ids):
        return np.asarray(ids, dtype=np.int64)
    array = np.empty(len(ids), dtype=object)
    array[:] = ids
    return array


# --------------------------------------------------------------------------------------------------------------------
# The one function other modules need


def wide_to_long(matrix, columns="crowd-kit"):
    """A partial crowd-label matrix as the long table crowd-kit's (or cleanlab's) aggregators read.

    Parameters
    ----------
    matrix : array-like of shape (n_samples, n_annotators)
        Whole-number class labels, NaN where no label was acquired yet. Rows and
        columns without any label are allowed (they produce no rows).
    columns : {"crowd-kit", "cleanlab"}, default="crowd-kit"
        Column names ``task, worker, label`` or ``task, annotator, label``.

    Returns
    -------
    pandas.DataFrame of shape (n_labels, 3), int64 columns
        ``task`` = row index, ``worker``/``annotator`` = column index, ``label`` =
        the class label; ordered by task, then worker. Empty (with those columns)
        when the matrix has no label.

    Examples
    --------
    >>> import numpy as np
    >>> wide_to_long(np.array([[0, np.nan], [np.nan, 2]])).values.tolist()
    [[0, 0, 0], [1, 1, 2]]
    """
    layout = _check_layout(columns)
    if not isinstance(matrix, np.ndarray | list | tuple):
        raise TypeError(f"`matrix` must be an array of shape (n_samples, n_annotators), got {type(matrix).__name__}.")
    matrix = np.asarray(matrix)
    if matrix.dtype == bool or not np.issubdtype(matrix.dtype, np.number):
        raise TypeError(f"`matrix` must hold numbers with NaN for a missing label, got dtype {matrix.dtype}.")
    if matrix.ndim != 2:
        raise ValueError(f"`matrix` must have shape (n_samples, n_annotators), got {matrix.shape}.")
    matrix = matrix.astype(np.float64)
    rows, cols = np.nonzero(~np.isnan(matrix))
    values = matrix[rows, cols]
    whole = np.isfinite(values) & (values == np.round(values))
    if not whole.all():
        k = int(np.flatnonzero(~whole)[0])
        raise ValueError(
            f"`matrix` holds {values[k]} at (row {rows[k]}, column {cols[k]}); labels must be whole numbers or NaN."
        )
    return pd.DataFrame(
        {layout[0]: rows.astype(np.int64), layout[1]: cols.astype(np.int64), layout[2]: values.astype(np.int64)},
        columns=list(layout),
    )


# --------------------------------------------------------------------------------------------------------------------
# Reading a long table


def _read_long_csv(path, tasks, workers):
    """Read a CSV with every cell as text (empty cells as NaN), then type the id and label columns."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path} is empty: it holds no header and no labels.") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise ValueError(f"{path} is not a readable CSV file ({err}).") from None
    for column, ids in (("task", tasks), ("worker", workers), ("annotator", workers), ("label", None)):
        if column not in frame.columns:
            continue
        keep_text = ids is not None and not isinstance(ids, str) and all(isinstance(i, str) for i in ids)
        if not keep_text:
            frame[column] = _numbers_if_all_numeric(frame[column], allow_float=column == "label")
    return frame


def _numbers_if_all_numeric(column, allow_float):
    """A text column as int64 if every cell is a plain integer (``3``, not ``007``), as float if every cell is a
    number and ``allow_float``, else unchanged. A column with an empty cell stays text: the empty cell is reported."""
    if column.isna().any():
        return column
    text = column.str.strip()
    if text.str.fullmatch(r"-?(0|[1-9][0-9]*)").all():
        return text.astype(np.int64)
    numbers = pd.to_numeric(text, errors="coerce")
    if allow_float and numbers.notna().all():
        return numbers
    return column


class _RowNames:
    """Names the rows of a long table in error messages: "row 17 of labels.csv"."""

    def __init__(self, source, label_of):
        self.source = source
        self._label_of = label_of

    def __call__(self, position):
        return f"row {self._label_of(position)} of {self.source}"

    def pair(self, first, second):
        return f"rows {self._label_of(first)} and {self._label_of(second)} of {self.source}"


def _long_to_crowd_labels(frame, row, tasks, workers, classes, class_names):
    tasks = None if tasks is None else _check_ids(tasks, "tasks")
    workers = None if workers is None else _check_ids(workers, "workers")
    task_column, worker_column = _find_columns(frame, row.source)
    if len(frame) == 0:
        raise ValueError(f"{row.source} holds no labels: the table has a header but no rows.")
    for column, what in ((task_column, "task"), (worker_column, "worker"), ("label", "label")):
        missing = frame[column].isna().to_numpy()
        if missing.any():
            raise ValueError(f"{row(int(np.flatnonzero(missing)[0]))}: the {what} is missing.")

    label_values, classes, names = _label_values(frame["label"].to_numpy(), row, classes, class_names)
    task_ids = _ordered_ids(frame[task_column].to_numpy(), tasks, "tasks", "task", row, sort=False)
    worker_ids = _ordered_ids(frame[worker_column].to_numpy(), workers, "workers", "worker", row, sort=True)
    rows = _positions(frame[task_column].to_numpy(), task_ids, "tasks", "task", row)
    cols = _positions(frame[worker_column].to_numpy(), worker_ids, "workers", "worker", row)
    keep = _drop_repeated_answers(rows, cols, label_values, frame, task_column, worker_column, row)

    matrix = np.full((task_ids.size, worker_ids.size), np.nan)
    matrix[rows[keep], cols[keep]] = label_values[keep]
    return CrowdLabels(matrix, task_ids, tuple(_as_python(w) for w in worker_ids), classes, names)


def _find_columns(frame, source):
    columns = [str(c) for c in frame.columns]
    if "worker" in columns and "annotator" in columns:
        raise ValueError(
            f"{source} has both a 'worker' and an 'annotator' column; keep one (crowd-kit says worker, cleanlab "
            f"annotator). Columns found: {columns}."
        )
    who = "worker" if "worker" in columns else "annotator"
    if not {"task", who, "label"} <= set(columns):
        raise ValueError(
            f"{source} must have the columns task, worker, label (crowd-kit) or task, annotator, label (cleanlab); "
            f"columns found: {columns}."
        )
    return "task", who


def _label_values(values, row, classes, class_names):
    """Class label of every row, the classes, and the class names (or None)."""
    names = _check_class_names(class_names)
    if values.dtype == bool:
        raise ValueError(
            f"{row(0)}: label {_as_python(values[0])!r} is a boolean; labels must be class labels or class names."
        )
    is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=values.size)
    if is_text.all():
        return _labels_from_names(values, row, classes, names)
    if is_text.any():
        first_kind = is_text[0]
        k = int(np.flatnonzero(is_text != first_kind)[0])
        raise ValueError(
            f"{row(k)}: label {_as_python(values[k])!r} mixes "
            f"{'numbers' if first_kind else 'strings'} into a column of {'strings' if first_kind else 'numbers'}; "
            f"labels must be all class labels or all class names."
        )
    numbers = _as_numbers(values, row)
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    if not whole.all():
        k = int(np.flatnonzero(~whole)[0])
        raise ValueError(f"{row(k)}: label {_as_python(values[k])!r} is not a whole-number class label.")
    numbers = numbers.astype(np.int64)
    if classes is None:
        classes = np.unique(numbers)
        if classes.size < 2:
            raise ValueError(
                f"{row(0)}: every label is {numbers[0]}; with a single class in the table, pass `classes`."
            )
    classes = _check_sorted_classes(classes)
    unknown = ~np.isin(numbers, classes)
    if unknown.any():
        k = int(np.flatnonzero(unknown)[0])
        raise ValueError(f"{row(k)}: label {numbers[k]} is not one of `classes` {classes.tolist()}.")
    if names is not None and len(names) != classes.size:
        raise ValueError(f"`class_names` has {len(names)} names but there are {classes.size} classes.")
    return numbers, classes, names


def _as_numbers(values, row):
    """Numeric labels as float64, naming the first row that is not a number."""
    if np.issubdtype(values.dtype, np.number):
        return values.astype(np.float64)
    for k, value in enumerate(values):
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
            raise ValueError(
                f"{row(k)}: label {value!r} ({type(value).__name__}) is neither a class label nor a class name."
            )
    return values.astype(np.float64)


def _labels_from_names(values, row, classes, names):
    if names is None:
        names = tuple(sorted(set(values)))
        if len(names) < 2:
            raise ValueError(f"{row(0)}: every label is {names[0]!r}; with one class name, pass `class_names`.")
    index = pd.Index(names).get_indexer(values)
    if (index < 0).any():
        k = int(np.flatnonzero(index < 0)[0])
        raise ValueError(f"{row(k)}: label {values[k]!r} is not one of `class_names` {list(names)}.")
    classes = np.arange(len(names)) if classes is None else classes
    classes = _check_sorted_classes(classes)
    if classes.size != len(names):
        raise ValueError(f"`classes` has {classes.size} labels but there are {len(names)} class names {list(names)}.")
    return classes[index], classes, names


def _ordered_ids(values, given, argument, what, row, sort):
    """The row (or column) order: ``given`` if there is one, else the ids in the table."""
    if given is not None:
        return _check_ids(given, argument)
    unique = pd.unique(values)
    if sort:
        try:
            unique = _ids_array(sorted(unique.tolist()))
        except TypeError:
            kinds = np.array([isinstance(v, str) for v in values])
            k = int(np.flatnonzero(kinds != kinds[0])[0])
            raise ValueError(
                f"{row(k)}: {what} {_as_python(values[k])!r} mixes numbers and strings among the {what} ids."
            ) from None
    return _check_ids(unique, argument)


def _positions(values, ids, argument, what, row):
    """Position of every row's id in ``ids``; a row whose id is not there is an error."""
    positions = pd.Index(ids).get_indexer(values)
    if (positions < 0).any():
        k = int(np.flatnonzero(positions < 0)[0])
        value = _as_python(values[k])
        hint = ""
        if ids.dtype.kind in "iuU" and isinstance(value, str) != (ids.dtype.kind == "U"):
            kinds = ("strings", "numbers") if ids.dtype.kind == "U" else ("numbers", "strings")
            hint = f" (`{argument}` holds {kinds[0]}, the table's {what} ids are {kinds[1]})"
        reason = "so it has no features" if what == "task" else "the list of workers"
        raise ValueError(f"{row(k)}: {what} {value!r} is not in `{argument}`, {reason}{hint}.")
    return positions


def _drop_repeated_answers(rows, cols, labels, frame, task_column, worker_column, row):
    """Mask keeping one row per (task, worker); raise if a pair carries two different labels."""
    pairs = pd.DataFrame({"r": rows, "c": cols, "label": labels})
    repeated = pairs.duplicated(["r", "c"], keep=False).to_numpy()
    if repeated.any():
        conflicts = pairs[repeated].groupby(["r", "c"])["label"].nunique()
        conflicts = conflicts[conflicts > 1]
        if len(conflicts):
            r, c = conflicts.index[0]
            at = np.flatnonzero((rows == r) & (cols == c))
            first = at[0]
            second = next(k for k in at if labels[k] != labels[first])
            raw = frame["label"].to_numpy()
            raise ValueError(
                f"{row.pair(first, second)}: {worker_column} "
                f"{_as_python(frame[worker_column].to_numpy()[first])!r} labelled {task_column} "
                f"{_as_python(frame[task_column].to_numpy()[first])!r} twice, with different labels "
                f"({_as_python(raw[first])!r} and {_as_python(raw[second])!r})."
            )
    return ~pairs.duplicated(["r", "c"], keep="first").to_numpy()
