import sys

from jogg_pipeline.cli import main

sys.exit(main())
