"""The office lab: network namespaces that behave like a small office and its internet.

    from tests.lab import Lab, lab_available
    with Lab.up("dual") as lab:
        lab.exec(["readiness", "audit", "--config", str(lab.config_path), ...])
        lab.cut("primary"); lab.restore("primary")

See tests/lab/README.md.
"""

from tests.lab.lab import Lab, lab_available
from tests.lab.netns import LabError, LabUnavailable
from tests.lab.scenarios import SCENARIOS

__all__ = ["SCENARIOS", "Lab", "LabError", "LabUnavailable", "lab_available"]
