"""Regenerate ``reference_z_train.npy`` from the reference tutorial itself.

The fixture pins ``crowdal_utils.simulate_crowd()`` to the crowd labels that the
reference notebook draws. Rather than retyping the reference's code, this script
reads the notebook, executes its import and data-preparation cells unchanged, and
stores the resulting ``z_train`` (shape ``(898, 5)``, values 0..9) as ``uint8``.

Usage (from the repository root)::

    python tests/data/make_reference_crowd.py \
        ../shared/reference/11_multiple_annotators_advanced.ipynb
"""

import json
import sys
from pathlib import Path

import numpy as np


def reference_crowd(notebook_path):
    """Execute the reference cells up to the crowd simulation; return z_train."""
    cells = json.loads(Path(notebook_path).read_text())["cells"]
    namespace = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "import numpy as np" in source or "z_train = " in source:
            exec(compile(source, str(notebook_path), "exec"), namespace)
        if "z_train" in namespace:
            return np.asarray(namespace["z_train"])
    raise RuntimeError(f"no cell of {notebook_path} defines z_train")


if __name__ == "__main__":
    z_train = reference_crowd(sys.argv[1])
    out = Path(__file__).with_name("reference_z_train.npy")
    np.save(out, z_train.astype(np.uint8))
    print(f"wrote {out}: shape {z_train.shape}")
