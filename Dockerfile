# presswatch on the official Airflow image: the image every service of docker-compose.yaml runs.
# The -python3.11 variant of the 3.3.2 release: constraints.txt was frozen on Python 3.11.
FROM apache/airflow:3.3.2-python3.11

# Airflow itself stays as the image has it (the pins name the same 3.3.2); the rest comes from our pins.
COPY --chown=airflow:root requirements.txt constraints.txt /opt/airflow/requirements/
RUN pip install --no-cache-dir "apache-airflow==3.3.2" \
        -r /opt/airflow/requirements/requirements.txt -c /opt/airflow/requirements/constraints.txt

# The project is baked into the image, so workers on other machines run the same code as the scheduler.
# Its root is /opt/airflow: include/ is importable from there (PYTHONPATH), sql/ sits beside it.
COPY --chown=airflow:root dags /opt/airflow/dags
COPY --chown=airflow:root plugins /opt/airflow/plugins
COPY --chown=airflow:root include /opt/airflow/include
COPY --chown=airflow:root sql /opt/airflow/sql
ENV PYTHONPATH=/opt/airflow \
    GX_ANALYTICS_ENABLED=false
