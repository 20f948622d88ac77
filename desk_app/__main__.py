import multiprocessing

from desk_app.cli.main import main

if __name__ == "__main__":   # not when a spawned worker imports this module as __mp_main__
    multiprocessing.freeze_support()   # the frozen app's worker processes start here
    raise SystemExit(main())
