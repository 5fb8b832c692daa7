"""The course's own build tooling: student copies of the notebooks and the helpers that run notebooks in tests.

Not part of the installed package (``crowdal_utils``): students never call it. It needs the ``test`` and ``run``
extras (nbformat, nbclient, jupyter_client), which ``make install`` installs.
"""
