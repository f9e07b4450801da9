"""The PostgreSQL warehouse: connection, migrations, loaders and marts."""
