import sys

from picdesk.ops.cli import main

sys.exit(main())
