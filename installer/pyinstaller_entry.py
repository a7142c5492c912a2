"""Entry point of the frozen MoEscope (build.spec): the same ``main`` as the ``moescope`` command.

One executable serves three roles, by its first argument: the window (default), the engine process
(``--engine-host``, started by the window itself) and ``--self-test``.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # Nothing in MoEscope uses multiprocessing, but a library might; in a frozen build its child
    # processes would otherwise start a second window.
    multiprocessing.freeze_support()
    from app.main import main

    sys.exit(main())
