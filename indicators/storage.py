"""Fast bulk writes of indicator figures: COPY on PostgreSQL, batched inserts elsewhere."""

import io

import pandas as pd
from django.db import connection

from .models import IndicatorValue

VALUE_COLUMNS = ["release_id", "territory_id", "measure", "land_use", "detail", "value", "provenance"]


def write_values(rows: pd.DataFrame) -> int:
    """Insert ``rows`` (columns VALUE_COLUMNS) into IndicatorValue; must run inside a transaction."""
    rows = rows[VALUE_COLUMNS]
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        rows.to_csv(buffer, header=False, index=False, float_format="%.17g")
        table = IndicatorValue._meta.db_table
        columns = ", ".join(VALUE_COLUMNS)
        copy_sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (land_use, detail))"
        with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            copy.write(buffer.getvalue())
    else:
        IndicatorValue.objects.bulk_create(
            (IndicatorValue(**record) for record in rows.to_dict("records")), batch_size=2000
        )
    return len(rows)
