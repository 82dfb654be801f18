package dev.tessera.features.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.FieldType;
import dev.tessera.features.definition.SourceDeclaration.Format;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import dev.tessera.features.definition.SourceDeclaration.SourceField;
import dev.tessera.features.definition.SourceDeclaration.SourceTime;
import dev.tessera.features.definition.SourceDeclaration.TimeUnit;
import dev.tessera.features.definition.SourceDeclaration.UnknownFields;
import dev.tessera.schemas.serde.InvalidEventException;
import dev.tessera.schemas.serde.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SourceDecoderTest {
  private static final List<SourceField> FIELDS =
      List.of(
          new SourceField("user_id", List.of("user", "id"), FieldType.STRING),
          new SourceField("amount", List.of("payment", "amount"), FieldType.DOUBLE),
          new SourceField("items", List.of("items"), FieldType.LONG),
          new SourceField("card_present", List.of("card_present"), FieldType.BOOLEAN));

  private static SourceDeclaration json(TimeUnit unit, UnknownFields unknown) {
    return new SourceDeclaration(
        "transactions",
        "transactions",
        Format.JSON,
        null,
        unknown,
        KeyFrom.VALUE,
        FIELDS,
        new SourceTime("ts", List.of("ts"), unit),
        List.of());
  }

  private static GenericData.Record decodeJson(TimeUnit unit, String text) {
    return SourceDecoder.of(json(unit, UnknownFields.IGNORE), WriterSchemas.none())
        .decode(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String reason(TimeUnit unit, UnknownFields unknown, String text) {
    SourceDecoder decoder = SourceDecoder.of(json(unit, unknown), WriterSchemas.none());
    try {
      decoder.decode(text.getBytes(StandardCharsets.UTF_8));
    } catch (InvalidEventException e) {
      return e.reason();
    }
    throw new AssertionError("decoded: " + text);
  }

  private static String reason(String text) {
    return reason(TimeUnit.EPOCH_S, UnknownFields.IGNORE, text);
  }

  @Test
  void shouldReadNestedJsonFieldsIntoTheRowAndSkipWhatIsNotDeclared() {
    GenericData.Record row =
        decodeJson(
            TimeUnit.EPOCH_S,
            """
            {"id": "t-1", "user": {"id": 42, "name": "Ada", "tags": [1, {"a": 2}]},
             "payment": {"amount": 12.5, "currency": "EUR"}, "items": 3,
             "card_present": true, "ts": 1770000000.25}""");

    assertThat(row.get("user_id")).isEqualTo("42");
    assertThat(row.get("amount")).isEqualTo(12.5);
    assertThat(row.get("items")).isEqualTo(3L);
    assertThat(row.get("card_present")).isEqualTo(true);
    assertThat(row.get("ts")).isEqualTo(Instant.ofEpochMilli(1_770_000_000_250L));
  }

  @Test
  void shouldLeaveAbsentAndNullFieldsNull() {
    GenericData.Record row = decodeJson(TimeUnit.EPOCH_MS, "{\"payment\": null, \"ts\": 5}");

    assertThat(row.get("user_id")).isNull();
    assertThat(row.get("amount")).isNull();
    assertThat(row.get("ts")).isEqualTo(Instant.ofEpochMilli(5));
  }

  @Test
  void shouldReadIsoTimesWithAZone() {
    assertThat(decodeJson(TimeUnit.ISO8601, "{\"ts\": \"2026-03-01T13:00:00+01:00\"}").get("ts"))
        .isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
  }

  @Test
  void shouldRefuseWhatDoesNotFitWithTheSourcePathAndValue() {
    assertThat(reason("{\"payment\": {\"amount\": \"lots\"}, \"ts\": 1}"))
        .isEqualTo("transactions: payment.amount: expected a number, got string \"lots\"");
    assertThat(reason("{\"items\": 2.5, \"ts\": 1}"))
        .isEqualTo("transactions: items: expected a whole number, got number 2.5");
    assertThat(reason("{\"user\": \"u-1\", \"ts\": 1}"))
        .isEqualTo("transactions: user: expected an object, got string \"u-1\"");
    assertThat(reason("{\"user\": {\"id\": true}, \"ts\": 1}"))
        .isEqualTo("transactions: user.id: expected a string, got true");
    assertThat(reason("{\"user\": {\"id\": \"u\"}}"))
        .isEqualTo("transactions: ts: missing event time (epoch_s)");
    assertThat(reason("{\"ts\": \"yesterday\"}"))
        .isEqualTo("transactions: ts: expected a number (epoch_s), got string \"yesterday\"");
    assertThat(reason(TimeUnit.ISO8601, UnknownFields.IGNORE, "{\"ts\": \"2026-03-01T12:00\"}"))
        .isEqualTo(
            "transactions: ts: cannot read \"2026-03-01T12:00\" as an ISO-8601 time with a zone,"
                + " e.g. 2026-03-01T12:00:00Z");
    assertThat(reason("{\"ts\": -5}"))
        .isEqualTo("transactions: ts: time -5 (epoch_s) is before 1970");
    assertThat(reason("[1, 2]"))
        .isEqualTo("transactions: value: expected a JSON object, got an array");
    assertThat(reason("{\"ts\": 1} {\"ts\": 2}"))
        .isEqualTo("transactions: value: more than one JSON value in the record");
    assertThat(reason("{\"ts\": 1, \"ts\": 2}")).startsWith("transactions: value: not valid JSON:");
    assertThat(reason("not json")).startsWith("transactions: value: not valid JSON: Unrecognized");
  }

  @Test
  void shouldRejectUndeclaredFieldsWhenTheSourceSaysSo() {
    assertThat(
            reason(
                TimeUnit.EPOCH_S,
                UnknownFields.REJECT,
                "{\"user\": {\"id\": \"u\", \"nick\": \"x\"}, \"ts\": 1}"))
        .isEqualTo(
            "transactions: user.nick: unknown field (the source declares unknown_fields: reject)");
  }

  private static final Schema PAYMENT_V1 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Payment", "namespace": "shop", "fields": [
                {"name": "user", "type": {"type": "record", "name": "User", "fields": [
                  {"name": "id", "type": "string"}]}},
                {"name": "amount", "type": "float"},
                {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");

  private static final Schema PAYMENT_V2 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Payment", "namespace": "shop", "fields": [
                {"name": "user", "type": {"type": "record", "name": "User", "fields": [
                  {"name": "id", "type": "string"}]}},
                {"name": "amount", "type": "double"},
                {"name": "items", "type": "long", "default": 1},
                {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");

  private static SourceDeclaration avro() {
    return new SourceDeclaration(
        "payments",
        "payments",
        Format.AVRO,
        PAYMENT_V2,
        UnknownFields.IGNORE,
        KeyFrom.VALUE,
        List.of(
            new SourceField("user_id", List.of("user", "id"), FieldType.STRING),
            new SourceField("amount", List.of("amount"), FieldType.DOUBLE),
            new SourceField("items", List.of("items"), FieldType.LONG)),
        new SourceTime("ts", List.of("ts"), TimeUnit.EPOCH_MS),
        List.of());
  }

  private static GenericRecord payment(Schema schema, float amount) {
    var user = new GenericData.Record(schema.getField("user").schema());
    user.put("id", "u-7");
    var r = new GenericData.Record(schema);
    r.put("user", user);
    r.put("amount", schema == PAYMENT_V1 ? (Object) amount : (Object) (double) amount);
    if (schema == PAYMENT_V2) {
      r.put("items", 4L);
    }
    r.put("ts", 1_770_000_000_000L);
    return r;
  }

  @Test
  void shouldReadAvroSingleObjectWrittenWithTheDeclaredSchemaOrAnOlderOne() throws IOException {
    var writers = WriterSchemas.of(schemaDir(PAYMENT_V1), null);
    SourceDecoder decoder = SourceDecoder.of(avro(), writers);

    byte[] v2 =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), PAYMENT_V2)
            .encode(payment(PAYMENT_V2, 2.5f))
            .array();
    byte[] v1 =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), PAYMENT_V1)
            .encode(payment(PAYMENT_V1, 1.5f))
            .array();

    GenericData.Record a = decoder.decode(v2);
    assertThat(a.get("user_id")).isEqualTo("u-7");
    assertThat(a.get("amount")).isEqualTo(2.5);
    assertThat(a.get("items")).isEqualTo(4L);
    assertThat(a.get("ts")).isEqualTo(Instant.ofEpochMilli(1_770_000_000_000L));
    GenericData.Record b = decoder.decode(v1);
    assertThat(b.get("amount")).isEqualTo(1.5);
    assertThat(b.get("items")).isEqualTo(1L); // the reader schema's default
  }

  @Test
  void shouldRefuseAvroWithAnUnknownWriterSchemaNamingTheSource() throws IOException {
    SourceDecoder decoder = SourceDecoder.of(avro(), WriterSchemas.none());
    byte[] v1 =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), PAYMENT_V1)
            .encode(payment(PAYMENT_V1, 1.5f))
            .array();

    assertThatThrownBy(() -> decoder.decode(v1))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("payments: value: avro: Payment: unknown schema fingerprint");
  }

  @Test
  void shouldRefuseConfluentWireFormatWhenNoRegistryIsConfiguredNamingTheSource()
      throws IOException {
    var out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(PAYMENT_V2).write(payment(PAYMENT_V2, 3f), encoder);
    encoder.flush();
    byte[] body = out.toByteArray();
    byte[] confluent =
        ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(7).put(body).array();

    assertThatThrownBy(() -> SourceDecoder.of(avro(), WriterSchemas.none()).decode(confluent))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("payments: value: ");
  }

  private static java.nio.file.Path schemaDir(Schema schema) throws IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("schemas");
    java.nio.file.Files.writeString(dir.resolve("Payment-1.avsc"), schema.toString());
    return dir;
  }
}
