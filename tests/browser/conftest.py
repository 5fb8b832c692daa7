"""JupyterLab in headless Chromium: a private server, one browser, one recorded run per notebook.

Opt in with ``CROWDAL_BROWSER=1`` (``make browser-test``); without it every test in this folder
skips before anything here starts. Needs the ``browser`` extra (playwright for Python) and
Debian's Chromium (``apt-get install chromium``); playwright never downloads a browser here.

What one session does
---------------------
1. Copies each notebook ``notebooks/[0-9][0-9]_*.ipynb`` into a scratch root (twice: ``run/``
   and ``opened/``), so JupyterLab never touches the tracked files and no
   ``.ipynb_checkpoints`` appears in the repository.
2. Starts ``jupyter-lab`` from the interpreter running pytest, on a free port of 127.0.0.1, with a
   random token, private config/data/runtime/settings folders (autosave off, every cell attached to
   the page, no news or update checks) and the kernel environment ``CROWDAL_FAST=1``,
   ``CROWDAL_RESULTS_DIR=<results>``, the venv first on ``PATH``.
3. Per notebook, records in a :class:`NotebookRun`
   - the *opened* copy: whether the document is dirty once the kernel has answered, then saved once
     (the metadata JupyterLab writes, compared with the stored metadata);
   - the *run* copy: Run All through the Run menu, wall time, every code cell's execution count,
     outputs (errors, stderr), images (size, blank or not), widgets and progress bars; a slider of
     the crowd explorer moved by keyboard when the notebook has one; a full-height screenshot;
     whether the file on disk changed.
4. Shuts every kernel down after its notebook, then the server and the browser, and reaps any
   process left under the server. A JSON summary of all runs goes next to the screenshots.

Environment
-----------
``CROWDAL_BROWSER``
    ``1`` runs the tests; anything else skips them.
``CROWDAL_RESULTS_DIR``
    Results root (the kernels' results folder; screenshots, ``summary.json`` and the server log in
    ``browser/`` below it). The repository's root ``conftest.py`` defaults it to ``build/test-results``
    for any pytest run; ``make browser-test`` should set ``build/browser-results``. When it is unset
    (pytest run without the root conftest) it is ``build/browser-results``. That folder, and only
    that one, is emptied at the start of a session, so notebook 03 finds no checkpoints of an earlier run.
``CROWDAL_BROWSER_TIMEOUT``
    Seconds one notebook may take from Run All to its last cell (default 900).
``CROWDAL_CHROMIUM``
    The Chromium executable (default ``chromium`` on ``PATH``, else ``/usr/bin/chromium``).
``CROWDAL_FAST``
    Passed on to the kernel; default ``1`` (fast mode).
"""

import copy
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
DEFAULT_RESULTS_DIR = REPO_ROOT / "build" / "browser-results"
OPT_IN_VARIABLE = "CROWDAL_BROWSER"
DEFAULT_TIMEOUT_S = 900

#: The GUIDE's flags for Debian's Chromium; playwright adds --headless and its own user data dir handling.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
#: Chromium draws nothing reliable beyond 16384 px; a taller notebook is cut at this height.
MAX_SCREENSHOT_HEIGHT = 16000

#: JupyterLab user settings written into the private settings folder.
LAB_SETTINGS = {
    # Nothing is written to disk unless a test saves explicitly.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Every cell stays attached to the page, so DOM queries and the tall screenshot see all of them.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No request to jupyter.org, no "news?" toast over the notebook.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

#: Seconds to wait after the kernel answered before reading the dirty state (metadata arrive asynchronously).
SETTLE_S = 1.5


def browser_opted_in():
    """True when the environment asks for the browser tests (``CROWDAL_BROWSER=1``)."""
    return os.environ.get(OPT_IN_VARIABLE, "") == "1"


def lesson_notebooks():
    """The numbered notebooks, in order: list of Path."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def results_root():
    """The results root of this session: ``$CROWDAL_RESULTS_DIR`` or ``build/browser-results``."""
    configured = os.environ.get("CROWDAL_RESULTS_DIR")
    return Path(configured).resolve() if configured else DEFAULT_RESULTS_DIR


def _timeout_s():
    value = os.environ.get("CROWDAL_BROWSER_TIMEOUT", str(DEFAULT_TIMEOUT_S))
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"`CROWDAL_BROWSER_TIMEOUT` must be a number of seconds, got {value!r}") from None
    if seconds <= 0:
        raise ValueError(f"`CROWDAL_BROWSER_TIMEOUT` must be positive, got {value!r}")
    return seconds


def _chromium_executable():
    configured = os.environ.get("CROWDAL_CHROMIUM")
    candidates = [configured] if configured else [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    # Opted in but no browser: a failure, not a skip, so `make browser-test` cannot pass without testing anything.
    pytest.fail(
        f"no Chromium executable (tried {candidates}); install Debian's with `apt-get install -y chromium` "
        "or point `CROWDAL_CHROMIUM` at one",
        pytrace=False,
    )


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _png_size(path):
    """(width, height) read from a PNG file's header, or None when the file is not a PNG."""
    head = Path(path).read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# --------------------------------------------------------------------------------------------- server
class LabServer:
    """``jupyter-lab`` serving ``root`` on 127.0.0.1 with private folders; a context manager.

    Parameters
    ----------
    root : Path
        Folder the server serves (the notebooks' working directory).
    private_dir : Path
        Where the private config, data, runtime and settings folders are created.
    kernel_env : dict of str to str
        Variables added to the server's (and so the kernels') environment.
    log_path : Path
        The server's stdout and stderr.
    """

    def __init__(self, root, private_dir, kernel_env, log_path):
        self.root = Path(root)
        self.private_dir = Path(private_dir)
        self.kernel_env = dict(kernel_env)
        self.log_path = Path(log_path)
        self.token = secrets.token_hex(24)
        self.port = None
        self.process = None
        self._log = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        """The JupyterLab URL that opens ``path`` (relative to the root) in a fresh workspace."""
        return f"{self.base_url}/lab/tree/{path}?reset&token={self.token}"

    def api(self, method, path, timeout=10):
        """One REST call with the token; the decoded JSON answer or None for an empty one."""
        request = urllib.request.Request(
            f"{self.base_url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def _write_settings(self, settings_dir):
        for plugin, values in LAB_SETTINGS.items():
            path = settings_dir / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2))

    def start(self, timeout=120):
        folders = {name: self.private_dir / name for name in ("config", "data", "runtime", "settings", "workspaces")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        self._write_settings(folders["settings"])
        bin_dir = str(Path(sys.executable).parent)
        env = {
            **os.environ,
            **self.kernel_env,
            # The kernelspec runs "python": the venv's interpreter must come first, as in the Makefile.
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "JUPYTER_CONFIG_DIR": str(folders["config"]),
            "JUPYTER_DATA_DIR": str(folders["data"]),
            "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
            "JUPYTERLAB_SETTINGS_DIR": str(folders["settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(folders["workspaces"]),
        }
        env.pop(OPT_IN_VARIABLE, None)  # the kernels have no use for it
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        for _attempt in range(3):  # a free port can be taken between probing and binding
            self.port = _free_port()
            self.process = subprocess.Popen(
                [
                    str(Path(bin_dir) / "jupyter-lab"),  # the server itself, not the `jupyter lab` wrapper
                    f"--IdentityProvider.token={self.token}",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.port_retries=0",
                    f"--ServerApp.root_dir={self.root}",
                    "--no-browser",
                    "--allow-root",
                    # window.jupyterapp: lets the test read the document model (dirty flag, outputs, metadata).
                    "--LabApp.expose_app_in_browser=True",
                ],
                cwd=self.root,
                env=env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if self._wait_until_up(timeout):
                return self
            self.stop()
            self._log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        pytest.fail(f"JupyterLab did not start; see {self.log_path}:\n{self._log_tail()}", pytrace=False)

    def _wait_until_up(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                self.api("GET", "/api/status", timeout=5)
                return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        return False

    def _log_tail(self, n_lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n_lines:])
        except OSError:
            return "(no log)"

    def descendants(self):
        """The live processes under the server (kernels, their workers): list of psutil.Process."""
        import psutil

        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def shutdown_kernels(self):
        """Delete every session and kernel through the REST API (what the Kernel menu does)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    @staticmethod
    def reap(processes, timeout=15):
        """Wait for ``processes`` to end; terminate, then kill, the ones still alive. The reaped ones' commands."""
        import psutil

        _, alive = psutil.wait_procs(processes, timeout=timeout)
        reaped = []
        for process in alive:
            try:
                reaped.append(" ".join(process.cmdline())[:200])
                process.terminate()
            except psutil.NoSuchProcess:
                continue
        _, alive = psutil.wait_procs(alive, timeout=5)
        for process in alive:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        return reaped

    def stop(self):
        """Shut kernels and server down (REST, then SIGTERM, then SIGKILL) and reap what was under it."""
        if self.process is not None and self.process.poll() is None:
            children = self.descendants()
            try:
                self.shutdown_kernels()
                self.api("POST", "/api/shutdown", timeout=10)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.reap(children, timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


# --------------------------------------------------------------------------------------------- records
@dataclasses.dataclass
class CellRecord:
    """One code cell after Run All, as the page shows it."""

    index: int  # position among all cells (markdown included), 0-based
    source: str
    execution_count: int | None
    prompt: str
    errors: list  # "ename: evalue" of each error output
    tracebacks: list  # ANSI-free traceback text of each error output
    stderr: list  # text of each stderr stream output
    stdout: list  # text of each stdout stream output
    kernel_images: int  # image/png outputs the kernel sent (in the notebook model), drawn or not
    images: list  # dicts: width, height (natural), distinct_colors, ink_fraction, shown_width, shown_height
    widget_outputs: int  # outputs carrying an ipywidgets view
    widgets_rendered: int  # .jupyter-widgets elements in the output area
    progress_bars: list  # dicts: fill (CSS length along the bar), bar_class, text (tqdm's bars are widgets)

    @property
    def makes_figures(self):
        """True when the source calls a plotting function (``plot_*(``, ``plt.``, ``.plot(``)."""
        code = "\n".join(line.split("#", 1)[0] for line in self.source.splitlines())
        return bool(re.search(r"\bplot_\w+\(|\bplt\.\w+\(|\.plot\(", code))


@dataclasses.dataclass
class NotebookRun:
    """What one notebook did in JupyterLab: the opened copy, the run copy, timings and artefacts."""

    name: str
    # opening (the "opened/" copy)
    dirty_after_open: bool | None = None
    tab_dirty_after_open: bool | None = None
    stored_metadata: dict | None = None
    written_metadata: dict | None = None
    metadata_changes: dict = dataclasses.field(default_factory=dict)  # key -> {"stored": ..., "written": ...}
    other_changes_on_save: list = dataclasses.field(default_factory=list)
    open_seconds: float | None = None
    # running (the "run/" copy)
    started: bool = False
    finished: bool = False
    timed_out: bool = False
    kernel_died: bool = False
    run_seconds: float | None = None
    kernel_cpu_seconds: float | None = None  # the kernel's CPU time (with its ended children) at the end of the run
    browser_cpu_seconds: float | None = None  # Chromium's CPU time during the run, all its processes
    total_seconds: float | None = None
    cells: list = dataclasses.field(default_factory=list)
    file_unchanged: bool | None = None
    screenshot: str | None = None
    screenshot_size: tuple | None = None
    page_errors: list = dataclasses.field(default_factory=list)
    failed_requests: list = dataclasses.field(default_factory=list)
    reaped_processes: list = dataclasses.field(default_factory=list)
    slider: dict | None = None  # the crowd-explorer check, None when the notebook has no slider
    problems: list = dataclasses.field(default_factory=list)  # what went wrong in the driver itself

    def to_json(self):
        record = dataclasses.asdict(self)
        for cell in record["cells"]:
            cell["source"] = cell["source"][:200]
        return record


# --------------------------------------------------------------------------------------------- page scripts
# The notebook panel of `path` among the main-area widgets; stored on window for the later scripts.
_JS_FIND_PANEL = """async (path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (!panel || !panel.sessionContext) return false;
  window.__crowdalPanel = panel;
  return true;
}"""

# Resolves once the document is loaded and the kernel has answered kernel_info (language_info arrives with it).
_JS_WAIT_KERNEL = """async () => {
  const panel = window.__crowdalPanel;
  await panel.context.ready;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel) throw new Error('no kernel was started for ' + panel.context.path);
  await kernel.info;
  return kernel.name;
}"""

_JS_DIRTY = """() => {
  const panel = window.__crowdalPanel;
  const tab = Array.from(document.querySelectorAll('.lm-TabBar-tab')).find(t => t.title.includes(panel.context.path));
  return {model: panel.context.model.dirty, tab: tab ? tab.classList.contains('jp-mod-dirty') : null,
          metadata: panel.context.model.toJSON().metadata};
}"""

_JS_SAVE = """async () => {
  const panel = window.__crowdalPanel;
  await window.jupyterapp.commands.execute('docmanager:save');
  return panel.context.model.dirty;
}"""

_JS_SHUTDOWN = """async () => {
  const panel = window.__crowdalPanel;
  if (panel && panel.sessionContext.session) await panel.sessionContext.shutdown();
}"""

_JS_RUN_STATE = """() => {
  const panel = window.__crowdalPanel;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const prompts = Array.from(panel.content.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
    .map(e => e.textContent.trim());
  return {prompts: prompts, status: kernel ? kernel.status : 'none',
          connection: kernel ? kernel.connectionStatus : 'none'};
}"""

# Every code cell: model (execution count, outputs) and page (prompt, images with blank check, widgets, bars).
_JS_CELLS = """async () => {
  const panel = window.__crowdalPanel;
  const images = [];
  const records = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs.toJSON();
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    const imgs = Array.from(cell.node.querySelectorAll('.jp-OutputArea-output img'));
    images.push(...imgs);
    records.push({
      index: index,
      source: cell.model.sharedModel.getSource(),
      execution_count: cell.model.executionCount,
      prompt: prompt ? prompt.textContent.trim() : '',
      errors: outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
      tracebacks: outputs.filter(o => o.output_type === 'error').map(o => o.traceback.join('\\n')),
      stderr: outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr')
        .map(o => Array.isArray(o.text) ? o.text.join('') : o.text),
      stdout: outputs.filter(o => o.output_type === 'stream' && o.name === 'stdout')
        .map(o => Array.isArray(o.text) ? o.text.join('') : o.text),
      kernel_images: outputs.filter(o => o.data && o.data['image/png']).length,
      imgs: imgs,
      widget_outputs: outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length,
      widgets_rendered: cell.node.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length,
      progress_bars: Array.from(cell.node.querySelectorAll('.jp-OutputArea-output .progress-bar')).map(fill => {
        const bar = fill.closest('.widget-hprogress, .widget-vprogress') || fill.parentElement;
        const box = bar.closest('.widget-hbox') || bar;
        const vertical = bar.classList.contains('widget-vprogress');
        return {fill: vertical ? fill.style.height : fill.style.width, bar_class: fill.className,
                text: box.textContent.trim().slice(0, 200)};
      }),
    });
  });
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => { img.onload = r; img.onerror = r; })));
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', {willReadFrequently: true});
  for (const record of records) {
    record.images = record.imgs.map(img => {
      const width = img.naturalWidth, height = img.naturalHeight;
      let distinct = 0, ink = 0;
      if (width > 0 && height > 0) {
        canvas.width = width; canvas.height = height;
        context.clearRect(0, 0, width, height);
        context.drawImage(img, 0, 0);
        const pixels = context.getImageData(0, 0, width, height).data;
        const colors = new Set();
        const background = pixels.slice(0, 4).join(',');
        let sampled = 0;
        const stride = Math.max(1, Math.floor(width * height / 200000));
        for (let p = 0; p < width * height; p += stride) {
          const key = pixels[4 * p] + ',' + pixels[4 * p + 1] + ',' + pixels[4 * p + 2] + ',' + pixels[4 * p + 3];
          if (colors.size < 4096) colors.add(key);
          if (key !== background) ink += 1;
          sampled += 1;
        }
        distinct = colors.size;
        ink = ink / sampled;
      }
      return {width: width, height: height, distinct_colors: distinct, ink_fraction: ink,
              shown_width: img.clientWidth, shown_height: img.clientHeight};
    });
    delete record.imgs;
  }
  return records;
}"""

# The images of the cell that holds the crowd explorer's sliders, as their data URLs.
_JS_SLIDER_CELL_IMAGES = """() => {
  const cell = document.querySelector('[data-crowdal-slider-cell]');
  return cell ? Array.from(cell.querySelectorAll('.jp-OutputArea-output img')).map(i => i.src) : [];
}"""

# Tags the first code cell with an enabled ipywidgets slider and that slider; describes the slider.
_JS_TAG_SLIDER = """() => {
  const panel = window.__crowdalPanel;
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const sliders = Array.from(cell.node.querySelectorAll('.widget-slider'));
    const enabled = sliders.filter(s => !s.querySelector('.noUi-target[disabled]')
      && !s.classList.contains('mod-disabled') && s.querySelector('.noUi-handle'));
    if (enabled.length === 0) continue;
    cell.node.setAttribute('data-crowdal-slider-cell', '1');
    enabled[0].setAttribute('data-crowdal-slider', '1');
    const readout = enabled[0].querySelector('.widget-readout');
    const label = enabled[0].querySelector('.widget-label');
    return {n_sliders: sliders.length, n_enabled: enabled.length,
            n_dropdowns: cell.node.querySelectorAll('.widget-dropdown').length,
            label: label ? label.textContent.trim() : '', readout: readout ? readout.textContent.trim() : ''};
  }
  return null;
}"""

# Scrolls the notebook to its first cell; returns how much taller than its box the notebook's content is.
_JS_SCROLL_TO_TOP = """() => {
  const node = window.__crowdalPanel.content.node;
  const outer = node.querySelector('.jp-WindowedPanel-outer') || node;
  outer.scrollTop = 0;
  return outer.scrollHeight - outer.clientHeight;
}"""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _cmdline(process):
    import psutil

    try:
        return process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def _chromium_processes():
    """Chromium's processes: descendants of this pytest process (through playwright's driver)."""
    import psutil

    return [p for p in psutil.Process().children(recursive=True) if "chromium" in " ".join(_cmdline(p)[:1])]


def _cpu_seconds(processes, with_children=False):
    """Summed user + system CPU seconds of ``processes`` (the ones that ended meanwhile count 0)."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
        if with_children:
            total += times.children_user + times.children_system
    return total


def _strip_ansi(text):
    return _ANSI.sub("", text)


def _digest(strings):
    return hashlib.sha256("\n".join(strings).encode()).hexdigest()[:16]


def _metadata_changes(stored, written):
    """Keys whose value differs between two metadata dicts: {key: {"stored": ..., "written": ...}}."""
    keys = sorted(set(stored) | set(written))
    return {
        key: {"stored": stored.get(key), "written": written.get(key)}
        for key in keys
        if stored.get(key) != written.get(key)
    }


def _other_changes(original, saved):
    """What saving changed outside the notebook metadata: list of short descriptions."""
    changes = []
    for key in ("nbformat", "nbformat_minor"):
        if original.get(key) != saved.get(key):
            changes.append(f"{key}: {original.get(key)} -> {saved.get(key)}")
    if len(original["cells"]) != len(saved["cells"]):
        changes.append(f"number of cells: {len(original['cells'])} -> {len(saved['cells'])}")
        return changes
    for index, (before, after) in enumerate(zip(original["cells"], saved["cells"], strict=True)):
        before, after = copy.deepcopy(before), copy.deepcopy(after)
        for cell in (before, after):
            if isinstance(cell.get("source"), list):
                cell["source"] = "".join(cell["source"])
        if before != after:
            keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            changes.append(f"cell {index}: {', '.join(keys)}")
    return changes


# --------------------------------------------------------------------------------------------- driver
class LabDriver:
    """Opens and runs notebooks of ``server.root`` in a Chromium context; one NotebookRun each.

    Parameters
    ----------
    server : LabServer
    context : playwright.sync_api.BrowserContext
    screenshot_dir : Path
    timeout_s : float
        Seconds from Run All to the last cell's end.
    """

    def __init__(self, server, context, screenshot_dir, timeout_s):
        self.server = server
        self.context = context
        self.screenshot_dir = Path(screenshot_dir)
        self.timeout_s = timeout_s

    # -- one page per document ------------------------------------------------------------------
    def _open(self, relative_path, record):
        page = self.context.new_page()
        page.set_default_timeout(120_000)
        page.on("pageerror", lambda error: record.page_errors.append(str(error)[:300]))
        # Requests to other hosts fail offline (the Colab badge); only the server's own are worth reporting.
        page.on(
            "requestfailed",
            lambda request: (
                record.failed_requests.append(f"{request.url[:150]} ({request.failure})")
                if request.url.startswith(self.server.base_url)
                else None
            ),
        )
        page.goto(self.server.url(relative_path))
        page.wait_for_selector(".jp-NotebookPanel")
        page.wait_for_function(_JS_FIND_PANEL, arg=relative_path)
        page.evaluate(_JS_WAIT_KERNEL)
        return page

    def _close(self, page, record):
        """Shut the page's kernel down (as Kernel > Shut Down does), close the page, reap leftovers."""
        children = self.server.descendants()
        try:
            page.evaluate(_JS_SHUTDOWN)
        except Exception as error:  # noqa: BLE001 - the page may be gone; the REST call below still cleans up
            record.problems.append(f"kernel shutdown from the page failed: {error}"[:300])
        page.close()
        self.server.shutdown_kernels()
        record.reaped_processes.extend(self.server.reap(children))

    # -- the opened copy --------------------------------------------------------------------------
    def probe_opening(self, relative_path, record):
        """Open, let the kernel answer, read the dirty state; then save once and diff the metadata."""
        path = self.server.root / relative_path
        original = json.loads(path.read_text())
        start = time.perf_counter()
        page = self._open(relative_path, record)
        try:
            record.open_seconds = time.perf_counter() - start
            page.wait_for_timeout(SETTLE_S * 1000)
            state = page.evaluate(_JS_DIRTY)
            record.dirty_after_open = state["model"]
            record.tab_dirty_after_open = state["tab"]
            still_dirty = page.evaluate(_JS_SAVE)
            if still_dirty:
                record.problems.append("the document was still dirty after docmanager:save")
            saved = json.loads(path.read_text())
            record.stored_metadata = original["metadata"]
            record.written_metadata = saved["metadata"]
            record.metadata_changes = _metadata_changes(original["metadata"], saved["metadata"])
            record.other_changes_on_save = _other_changes(original, saved)
        finally:
            self._close(page, record)

    # -- the run copy -----------------------------------------------------------------------------
    def run(self, relative_path, record):
        """Run All through the Run menu; wait; collect cells, slider check and screenshot."""
        path = self.server.root / relative_path
        before = path.read_bytes()
        start = time.perf_counter()
        page = self._open(relative_path, record)
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            run_start = time.perf_counter()
            browser_cpu = _cpu_seconds(_chromium_processes())
            self._wait_for_run(page, record, run_start)
            record.run_seconds = time.perf_counter() - run_start
            record.browser_cpu_seconds = _cpu_seconds(_chromium_processes()) - browser_cpu
            kernels = [p for p in self.server.descendants() if "ipykernel" in " ".join(_cmdline(p))]
            record.kernel_cpu_seconds = _cpu_seconds(kernels, with_children=True)
            if record.finished:
                page.wait_for_function("() => window.__crowdalPanel.sessionContext.session.kernel.status === 'idle'")
            record.cells = [self._cell(raw) for raw in page.evaluate(_JS_CELLS)]
            self._screenshot(page, record)
            record.slider = self._move_slider(page) if record.finished else None
        finally:
            self._close(page, record)
            record.total_seconds = time.perf_counter() - start
        record.file_unchanged = path.read_bytes() == before

    def _wait_for_run(self, page, record, run_start):
        start_deadline = run_start + 60
        deadline = run_start + self.timeout_s
        while True:
            state = page.evaluate(_JS_RUN_STATE)
            prompts = state["prompts"]
            running = any("*" in prompt for prompt in prompts)
            numbered = bool(prompts) and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
            if state["status"] in ("dead", "autorestarting", "restarting") or state["connection"] == "disconnected":
                record.kernel_died = True
                record.problems.append(f"kernel {state['status']} ({state['connection']}) during the run")
                return
            if running:
                record.started = True
            elif record.started or numbered:
                record.started = True
                record.finished = True
                return
            now = time.perf_counter()
            if not record.started and now > start_deadline:
                record.problems.append(f"Run All did not start within 60 s; prompts {prompts}")
                return
            if now > deadline:
                record.timed_out = True
                record.problems.append(f"not finished after {self.timeout_s:.0f} s; prompts {prompts}")
                return
            time.sleep(0.5)

    @staticmethod
    def _cell(raw):
        raw["tracebacks"] = [_strip_ansi(t) for t in raw["tracebacks"]]
        return CellRecord(**raw)

    def _move_slider(self, page):
        """Move the first enabled slider one step with the keyboard; did the cell's image change?"""
        found = page.evaluate(_JS_TAG_SLIDER)
        if found is None:
            return None
        slider = page.locator("[data-crowdal-slider]")
        slider.scroll_into_view_if_needed()
        result = dict(found, visible=slider.is_visible())
        before = page.evaluate(_JS_SLIDER_CELL_IMAGES)
        result["images_before"] = len(before)
        handle = slider.locator(".noUi-handle").first
        # Up from the start value unless the slider sits at its maximum.
        key = (
            "ArrowLeft"
            if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            else "ArrowRight"
        )
        handle.focus()
        handle.press(key)
        start = time.perf_counter()
        after = before
        while time.perf_counter() - start < 60:
            page.wait_for_timeout(250)
            after = page.evaluate(_JS_SLIDER_CELL_IMAGES)
            if after and _digest(after) != _digest(before):
                break
        page.wait_for_function("() => window.__crowdalPanel.sessionContext.session.kernel.status === 'idle'")
        after = page.evaluate(_JS_SLIDER_CELL_IMAGES)
        readout = slider.locator(".widget-readout")
        result.update(
            key=key,
            readout_after=readout.first.text_content().strip() if readout.count() else "",
            images_after=len(after),
            image_changed=bool(before) and bool(after) and _digest(after) != _digest(before),
            redraw_seconds=time.perf_counter() - start,
        )
        return result

    def _screenshot(self, page, record):
        """The whole notebook: the viewport grows to the notebook's height for one full-page screenshot."""
        extra = page.evaluate(_JS_SCROLL_TO_TOP)
        height = min(MAX_SCREENSHOT_HEIGHT, VIEWPORT["height"] + max(0, extra))
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.wait_for_timeout(500)
        page.evaluate(_JS_SCROLL_TO_TOP)  # the panel may have scrolled back to the active cell on resize
        page.wait_for_timeout(300)
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        target = self.screenshot_dir / f"{Path(record.name).stem}.png"
        page.screenshot(path=str(target))
        page.set_viewport_size(VIEWPORT)
        record.screenshot = str(target)
        record.screenshot_size = _png_size(target)


class NotebookRuns:
    """Runs each notebook at most once per session, in the order asked; the records by name."""

    def __init__(self, driver, root):
        self.driver = driver
        self.root = Path(root)
        self.records = {}

    def __getitem__(self, name):
        if name not in self.records:
            record = NotebookRun(name=name)
            self.records[name] = record
            source = NOTEBOOK_DIR / name
            for folder in ("opened", "run"):
                (self.root / folder).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, self.root / folder / name)
            self.driver.probe_opening(f"opened/{name}", record)
            self.driver.run(f"run/{name}", record)
        return self.records[name]

    @staticmethod
    def available():
        """Names of the numbered notebooks, in order."""
        return [path.name for path in lesson_notebooks()]

    def summary(self):
        return {name: record.to_json() for name, record in self.records.items()}


# --------------------------------------------------------------------------------------------- collection
_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Skip this folder's tests, with the reason, unless the environment opts in."""
    if browser_opted_in():
        return
    skip = pytest.mark.skip(reason=f"browser test: set {OPT_IN_VARIABLE}=1 (make browser-test) to run it")
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


def pytest_generate_tests(metafunc):
    """A test asking for ``notebook_name`` runs once per numbered notebook (ids: the notebook's stem)."""
    if "notebook_name" in metafunc.fixturenames:
        paths = lesson_notebooks()
        metafunc.parametrize("notebook_name", [p.name for p in paths], ids=[p.stem for p in paths])


# --------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def browser_results_dir():
    """``<results root>/browser``: screenshots, summary.json, the server log."""
    root = results_root()
    if root == DEFAULT_RESULTS_DIR and root.exists():
        shutil.rmtree(root)  # our own default folder: start from nothing (no checkpoints from a last session)
    folder = root / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, browser_results_dir):
    """A running JupyterLab serving a scratch root with copies of the notebooks."""
    if not browser_opted_in():
        pytest.skip(f"set {OPT_IN_VARIABLE}=1 to run the browser tests")
    scratch = tmp_path_factory.mktemp("jupyterlab")
    root = scratch / "root"
    root.mkdir()
    kernel_env = {
        "CROWDAL_FAST": os.environ.get("CROWDAL_FAST", "1"),
        "CROWDAL_RESULTS_DIR": str(browser_results_dir.parent),
    }
    server = LabServer(root, scratch / "private", kernel_env, browser_results_dir / "jupyterlab.log")
    with server:
        yield server


@pytest.fixture(scope="session")
def chromium_context(tmp_path_factory):
    """One headless Chromium (Debian's) with a fresh profile; closed at the end of the session."""
    if not browser_opted_in():
        pytest.skip(f"set {OPT_IN_VARIABLE}=1 to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail('playwright is missing: `pip install -e ".[browser]"`', pytrace=False)
    executable = _chromium_executable()
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=VIEWPORT,
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def notebook_runs(lab_server, chromium_context, browser_results_dir):
    """Lazily recorded runs, ``notebook_runs["01_….ipynb"]``; summary.json written at the end."""
    driver = LabDriver(lab_server, chromium_context, browser_results_dir, _timeout_s())
    runs = NotebookRuns(driver, lab_server.root)
    try:
        yield runs
    finally:
        summary = runs.summary()
        (browser_results_dir / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
        _SESSION_SUMMARY.update(summary)


_SESSION_SUMMARY = {}


def pytest_terminal_summary(terminalreporter):
    """One line per notebook run: wall times, dirty-on-open, errors, images, slider."""
    if not _SESSION_SUMMARY:
        return
    terminalreporter.section("JupyterLab in Chromium")
    total = 0.0
    for name, run in _SESSION_SUMMARY.items():
        total += run["total_seconds"] or 0.0
        n_errors = sum(len(c["errors"]) for c in run["cells"])
        n_images = sum(len(c["images"]) for c in run["cells"])
        slider = run["slider"]
        terminalreporter.write_line(
            f"{name}: run {run['run_seconds'] or 0:.1f} s (CPU: kernel {run['kernel_cpu_seconds'] or 0:.0f} s, "
            f"Chromium {run['browser_cpu_seconds'] or 0:.0f} s), open+run+close {run['total_seconds'] or 0:.1f} s, "
            f"open {run['open_seconds'] or 0:.1f} s; finished={run['finished']} errors={n_errors} "
            f"images={n_images} dirty-on-open={run['dirty_after_open']} "
            f"slider={'-' if slider is None else slider.get('image_changed')}"
        )
    terminalreporter.write_line(f"total {total:.1f} s (summary: {results_root() / 'browser' / 'summary.json'})")
