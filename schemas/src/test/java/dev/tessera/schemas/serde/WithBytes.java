package dev.tessera.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A hand-written record class with a bytes field, which has no JSON form in Tessera. */
public final class WithBytes extends SpecificRecordBase {
  private static final long serialVersionUID = 1L;

  public static final Schema SCHEMA$ =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"WithBytes\",\"namespace\":\"dev.tessera.test\","
                  + "\"fields\":[{\"name\":\"payload\",\"type\":\"bytes\"}]}");

  private ByteBuffer payload;

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return payload;
  }

  @Override
  public void put(int field, Object value) {
    payload = (ByteBuffer) value;
  }
}
