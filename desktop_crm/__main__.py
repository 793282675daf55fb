import multiprocessing

from desktop_crm.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app's side processes (the demo's search index) start here
    raise SystemExit(main())
