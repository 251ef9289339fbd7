import sys

from bench.run import main

# Guarded: the generator starts a process that imports this module again (multiprocessing's spawn).
if __name__ == "__main__":
    sys.exit(main())
