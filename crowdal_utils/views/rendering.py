"""How an explorer is shown: controls and one figure that is redrawn in place.

It displays as **two outputs** of its cell: the controls (an ipywidgets ``VBox``) and the
figure, an ordinary ``image/png`` output with a ``display_id``. Every change redraws the
figure and replaces that image in place (IPython's ``update_display``), so the live
notebook holds exactly one figure. Because the figure is a plain image, it survives where
widgets do not render: GitHub's notebook viewer, ``jupyter nbconvert --to html``, an
executed copy opened untrusted in JupyterLab. There the controls fall back to their text
(the state as first shown) and the image shows the state as it was when the notebook was
saved; its caption says what it shows, so it explains itself. Both explorers share this
through :class:`_LiveFigure`.
"""

import base64
import io
import uuid

import numpy as np
from IPython.display import display, update_display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

#: Width in CSS pixels at which the figure is shown. JupyterLab 4.6's output area measured 848 px in a 952 px
#: notebook panel and 898 px in a 1002 px one (Chromium): the image is not scaled down there, and its 10 pt
#: text shows at 12.5 px (9.4 figure inches in 846 px).
FIGURE_WIDTH_PX = 846
#: Width in inches at which every explorer's figure is drawn (shown at FIGURE_WIDTH_PX).
_FIGURE_INCHES = 9.4
_PX_PER_INCH = FIGURE_WIDTH_PX / _FIGURE_INCHES
_RENDER_SCALE = 2  # the PNG holds twice the pixels, sharp on high-density screens
#: Inches at which each figure is redrawn; rows of the composed image: caption, accuracies | majority
#: vote of k, confusion matrices.
_INCHES = {
    "caption": (_FIGURE_INCHES, 0.3),
    "accuracies": (5.5, 3.2),
    "majority_vote": (_FIGURE_INCHES - 5.5, 3.2),
    "confusions": (_FIGURE_INCHES, 2.5),
}
_ROWS = (("caption",), ("accuracies", "majority_vote"), ("confusions",))


class _LiveFigure:
    """An explorer's two outputs: its controls, then its figure as a plain output replaced in place.

    Parameters
    ----------
    name : str
        Prefix of the output's ``display_id`` (a unique suffix is added).
    figure_bundle : callable () -> dict
        The figure's current MIME bundle (:func:`_image_bundle`, or text when there is no figure). Called only
        once the explorer is shown, so headless code never pays for drawing the image.
    """

    def __init__(self, name, figure_bundle):
        self.display_id = f"{name}-{uuid.uuid4().hex}"
        self.shown = False
        self._figure_bundle = figure_bundle

    def show(self, controls, text):
        """Display ``controls`` (an ipywidget, with ``text`` as its fallback where widgets cannot render), then the
        figure with :attr:`display_id`."""
        bundle = controls._repr_mimebundle_()
        bundle["text/plain"] = text
        display(bundle, raw=True)
        display(self._figure_bundle(), raw=True, metadata=_IMAGE_METADATA, display_id=self.display_id)
        self.shown = True

    def refresh(self):
        """Replace the figure's output in place with the current bundle (nothing before :meth:`show`)."""
        if self.shown:
            update_display(self._figure_bundle(), raw=True, metadata=_IMAGE_METADATA, display_id=self.display_id)


#: Every figure image is shown at :data:`FIGURE_WIDTH_PX` (its PNG holds twice the pixels).
_IMAGE_METADATA = {"image/png": {"width": FIGURE_WIDTH_PX}}


def _image_bundle(png, caption):
    """The MIME bundle of a figure: the PNG, and ``caption`` as its text fallback (terminals, text-only viewers)."""
    return {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": caption}


def _text_figure(text, max_chars=125):
    """A strip of text the width of the composed image, broken only after " · " (a plain Figure, not in pyplot)."""
    lines = [""]
    for part in text.split(" · "):
        joined = f"{lines[-1]} · {part}" if lines[-1] else part
        if len(joined) <= max_chars or not lines[-1]:
            lines[-1] = joined
        else:
            lines[-1] += " ·"
            lines.append(part)
    width, line_height = _INCHES["caption"]
    fig = Figure(figsize=(width, line_height * len(lines)))
    fig.text(0.005, 0.5, "\n".join(lines), va="center", ha="left", fontsize=10)
    return fig


def _draw(fig, width, height):
    """Pixels of ``fig`` drawn at ``width`` x ``height`` inches and the display scale, shape (h, w, 3) uint8.

    The figure is drawn once on an Agg canvas of its own, independent of the pyplot backend (inline, ipympl, Agg).
    """
    fig.set_size_inches(width, height)
    fig.set_dpi(_PX_PER_INCH * _RENDER_SCALE)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def _png(pixels):
    """Bytes of a PNG of ``pixels`` (h, w, 3) uint8."""
    out = io.BytesIO()
    PILImage.fromarray(pixels).save(out, format="png")
    return out.getvalue()


def _compose(figures):
    """One PNG of the figures in ``_ROWS``, each resized to ``_INCHES`` (the caption keeps its height)."""
    pixels = {}
    for key, fig in figures.items():
        width, height = _INCHES[key]
        pixels[key] = _draw(fig, width, height if key != "caption" else fig.get_figheight())
    rows = [[pixels[key] for key in row] for row in _ROWS]
    width = max(sum(p.shape[1] for p in row) for row in rows)
    heights = [max(p.shape[0] for p in row) for row in rows]
    image = np.full((sum(heights), width, 3), 255, dtype=np.uint8)
    top = 0
    for row, height in zip(rows, heights, strict=True):
        left = 0
        for p in row:
            image[top : top + p.shape[0], left : left + p.shape[1]] = p
            left += p.shape[1]
        top += height
    return _png(image)
