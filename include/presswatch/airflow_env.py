"""The local Airflow the commands run the DAGs with: its home, config and metadata database.

Must be applied before anything imports ``airflow``: Airflow reads its configuration at import time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import settings


def airflow_home() -> Path:
    return Path(os.environ.get("AIRFLOW_HOME") or settings.state_dir() / "airflow")


def configure() -> Path:
    """Point Airflow at this project (DAGs, no examples, a local home) unless the caller already did."""
    home = airflow_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["AIRFLOW_HOME"] = str(home)
    os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(settings.PROJECT_ROOT / "dags"))
    os.environ.setdefault("AIRFLOW__CORE__PLUGINS_FOLDER", str(settings.PROJECT_ROOT / "plugins"))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
    os.environ.setdefault("AIRFLOW__LOGGING__BASE_LOG_FOLDER", str(home / "logs"))
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    root = str(settings.PROJECT_ROOT)
    if root not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    if root not in sys.path:
        sys.path.insert(0, root)
    return home


def migrate_metadata_db() -> None:
    """Create or upgrade Airflow's own metadata database (a no-op when it is current)."""
    marker = airflow_home() / ".migrated-3.3"
    if marker.exists():
        return
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, stdout=subprocess.DEVNULL)
    marker.touch()
