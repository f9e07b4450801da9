"""Operating presswatch: failure alerts, the local Airflow service, analysts' logins.

Command line: ``python -m include.presswatch.ops --help`` (behind ``make airflow``, ``make stop``, ``make docs``).
"""
