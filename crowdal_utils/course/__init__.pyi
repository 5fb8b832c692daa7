"""crowdal_utils.course's public names, for editors and type checkers (SPEC 1)."""

from .claims import claim as claim
from .colab import stop_if_restart_needed as stop_if_restart_needed
from .parameters import LESSON_CHECKS as LESSON_CHECKS, check_lesson_parameters as check_lesson_parameters
