import sys

from picdesk.cli import main

sys.exit(main())
