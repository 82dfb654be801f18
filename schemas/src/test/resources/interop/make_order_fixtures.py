"""Writes the Python-made fixtures that PythonInteropTest decodes with the Java serde.

The encoding below is the one schemas/README.md shows for producers. Regenerate with
Debian's python3-confluent-kafka interpreter plus fastavro (not needed by the build):

    /usr/bin/python3 -m venv --system-site-packages /tmp/venv && /tmp/venv/bin/pip install fastavro
    cd schemas/src/test/resources/interop && /tmp/venv/bin/python make_order_fixtures.py
"""

import datetime
import io
import json

from fastavro import schemaless_writer
from fastavro.schema import fingerprint, load_schema, to_parsing_canonical_form

schema = load_schema("../../../main/avro/Order.avsc")
# fastavro gives the CRC-64-AVRO fingerprint as the hex of its 8 little-endian wire bytes.
HEADER = b"\xc3\x01" + bytes.fromhex(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"))


def encode(record):
    body = io.BytesIO()
    schemaless_writer(body, schema, record)
    return HEADER + body.getvalue()


order = {
    "order_id": "o-1",
    "customer_id": "C-1",
    "order_ts": datetime.datetime(2026, 11, 22, 10, 15, 30, 250000, tzinfo=datetime.timezone.utc),
    "order_total": 42.5,
    "product_category": "books",
    "lat": 52.52,
    "lon": 13.405,
}

with open("order-fastavro.bin", "wb") as out:
    out.write(encode(order))

with open("order-python.json", "w", encoding="utf-8") as out:
    # json.dumps cannot write a datetime: send ISO-8601 (or epoch millis) instead.
    out.write(json.dumps({**order, "order_ts": order["order_ts"].isoformat()}))
