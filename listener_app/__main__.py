import multiprocessing

from listener_app.cli import main

if __name__ == "__main__":
    # In the packaged app the worker processes of a big import (and their resource tracker)
    # start this same executable: freeze_support() runs them instead of the command line.
    multiprocessing.freeze_support()
    raise SystemExit(main())
