"""`python -m readiness` runs the same entry point as the `readiness` script."""

from readiness.cli import main

raise SystemExit(main())
