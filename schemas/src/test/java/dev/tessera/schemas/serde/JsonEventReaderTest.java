package dev.tessera.schemas.serde;

import static dev.tessera.schemas.serde.Rejections.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonEventReaderTest {
  private static final String TOPIC = "orders";
  private static final EventSerde<Order> ORDERS = EventSerdes.orders();
  private static final String ALLOWED_ORDER_FIELDS =
      "order_id, customer_id, order_ts, order_total, product_category, lat, lon";

  private static final String MINIMAL_ORDER =
      "{\"order_id\":\"o-1\",\"customer_id\":\"C-1\",\"order_ts\":\"2026-11-22T10:15:30.250Z\","
          + "\"order_total\":42.5,\"product_category\":\"books\"}";

  // --- accepted ---

  @Test
  void shouldReadMinimalOrderWithOptionalFieldsMissing() {
    assertThat(read(MINIMAL_ORDER)).isEqualTo(SampleEvents.orderWithoutLocation());
  }

  @Test
  void shouldReadOrderWithLocationAndEpochMillis() {
    Order order =
        read(
            """
            {"order_id": "o-1", "customer_id": "C-1", "order_ts": 1795342530250,
             "order_total": 42.5, "product_category": "books", "lat": 52.52, "lon": 13.405}
            """);

    assertThat(order).isEqualTo(SampleEvents.order());
  }

  @Test
  void shouldReadIsoTimestampsWithOffsetAndFraction() {
    assertThat(readTimestamp("\"2026-11-22T10:15:30Z\""))
        .isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
    assertThat(readTimestamp("\"2026-11-22T11:15:30.250+01:00\"")).isEqualTo(SampleEvents.TS);
    assertThat(readTimestamp("\"2026-11-22T10:15:30.250999999Z\""))
        .as("the wire keeps milliseconds")
        .isEqualTo(SampleEvents.TS);
    assertThat(readTimestamp("-1000")).isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
  }

  @Test
  void shouldAcceptWhitespaceAndByteOrderMarkAround() {
    byte[] json = ("\uFEFF \r\n\t" + MINIMAL_ORDER + " \n").getBytes(StandardCharsets.UTF_8);

    assertThat(json[0]).isEqualTo((byte) 0xEF);
    assertThat(ORDERS.deserializer().deserialize(TOPIC, json))
        .isEqualTo(SampleEvents.orderWithoutLocation());
  }

  @Test
  void shouldAcceptExplicitNullsForOptionalFields() {
    Customer customer =
        EventSerdes.customers()
            .deserializer()
            .deserialize(
                "customers",
                bytes(
                    """
                    {"customer_id": "C-1", "signup_ts": "2024-02-29T00:00:00Z",
                     "subscription_tier": "premium", "region": "eu-west",
                     "home_lat": null, "home_lon": null}
                    """));

    assertThat(customer).isEqualTo(SampleEvents.customerWithoutHome());
  }

  @Test
  void shouldReadPredictionWithMapArrayAndNestedRecord() throws IOException {
    Prediction prediction =
        EventSerdes.predictions()
            .deserializer()
            .deserialize("predictions", resource("prediction.json"));

    assertThat(prediction).isEqualTo(SampleEvents.prediction());
    assertThat(prediction.getFeatures().get(0).getFound()).as("schema default").isTrue();
    assertThat(prediction.getClientRequestId()).isNull();
  }

  @Test
  void shouldProduceRecordsThatReserialize() throws IOException {
    EventSerde<Prediction> serde = EventSerdes.predictions();
    Prediction fromJson =
        serde.deserializer().deserialize("predictions", resource("prediction.json"));

    byte[] avro = serde.serializer().serialize("predictions", fromJson);

    assertThat(Prediction.getDecoder().decode(avro).getFeatures()).hasSize(2);
    assertThat(serde.deserializer().deserialize("predictions", avro)).isEqualTo(fromJson);
  }

  @Test
  void shouldAcceptIntegralNumbersWrittenWithFractionOrExponent() {
    Order order = read(MINIMAL_ORDER.replace("\"2026-11-22T10:15:30.250Z\"", "1.79534253025e12"));

    assertThat(order.getOrderTs()).isEqualTo(SampleEvents.TS);
  }

  @Test
  void shouldAcceptAvroJsonEncodingOfUnions() {
    Order order = read(MINIMAL_ORDER.replace("}", ",\"lat\":{\"double\":52.52},\"lon\":13.405}"));

    assertThat(order).isEqualTo(SampleEvents.order());
  }

  @Test
  void shouldReadThroughTheReaderDirectly() {
    assertThat(JsonEventReader.of(Order.class).read(MINIMAL_ORDER))
        .isEqualTo(SampleEvents.orderWithoutLocation());
  }

  // --- rejected: not one JSON object ---

  @Test
  void shouldRejectJsonArray() {
    assertThat(reason(ORDERS, "[" + MINIMAL_ORDER + "]"))
        .isEqualTo("json: Order: expected an object, got an array");
  }

  @Test
  void shouldRejectJsonString() {
    assertThat(reason(ORDERS, "\"{\\\"order_id\\\":\\\"o-1\\\"}\""))
        .isEqualTo(
            "json: Order: expected an object, got string \"{\\\"order_id\\\":\\\"o-1\\\"}\"");
  }

  @Test
  void shouldRejectInvalidJsonWithLocation() {
    assertThat(reason(ORDERS, "{\"order_id\": \"o-1\",}"))
        .isEqualTo(
            "json: Order: not valid JSON at line 1, column 20: Unexpected character ('}' (code 125)):"
                + " was expecting double-quote to start field name");
    assertThat(reason(ORDERS, "{\"order_id\": NaN}"))
        .isEqualTo("json: Order: not valid JSON at line 1, column 17: Non-standard token 'NaN'");
    assertThat(reason(ORDERS, "{\"order_id\": \"o-1\""))
        .isEqualTo(
            "json: Order: not valid JSON at line 1, column 19: Unexpected end-of-input: expected"
                + " close marker for Object (start marker at [line: 1, column: 1])");
  }

  @Test
  void shouldRejectDuplicateField() {
    assertThat(reason(ORDERS, "{\"order_id\": \"o-1\",\n \"order_id\": \"o-2\"}"))
        .startsWith("json: Order: not valid JSON at line 2, column ")
        .contains("Duplicate field 'order_id'");
  }

  @Test
  void shouldRejectTrailingContent() {
    assertThat(reason(ORDERS, MINIMAL_ORDER + " x"))
        .isEqualTo(
            "json: Order: unexpected content after the JSON object at line 1, column 124"
                + " (one object per record)");
    assertThat(reason(ORDERS, MINIMAL_ORDER + "\n" + MINIMAL_ORDER))
        .isEqualTo(
            "json: Order: unexpected content after the JSON object at line 2, column 1"
                + " (one object per record)");
  }

  // --- rejected: schema violations ---

  @Test
  void shouldRejectJsonWithMissingRequiredField() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace(",\"order_total\":42.5", "")))
        .isEqualTo("json: Order: missing required field 'order_total'");
  }

  @Test
  void shouldRejectNullForRequiredField() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("\"2026-11-22T10:15:30.250Z\"", "null")))
        .isEqualTo(
            "json: Order.order_ts: expected epoch millis or an ISO-8601 timestamp like"
                + " 2026-11-22T10:15:30Z, got null");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("\"o-1\"", "null")))
        .isEqualTo("json: Order.order_id: expected a string, got null");
  }

  @Test
  void shouldRejectUnknownFieldListingAllowedOnes() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("\"customer_id\"", "\"customerId\"")))
        .isEqualTo(
            "json: Order: unknown field 'customerId' (allowed: " + ALLOWED_ORDER_FIELDS + ")");
  }

  @Test
  void shouldRejectStringForDouble() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("42.5", "\"abc\"")))
        .isEqualTo("json: Order.order_total: expected a number, got string \"abc\"");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("42.5", "\"NaN\"")))
        .isEqualTo("json: Order.order_total: expected a number, got string \"NaN\"");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("42.5", "true")))
        .isEqualTo("json: Order.order_total: expected a number, got boolean true");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("}", ",\"lat\":\"52.5\"}")))
        .isEqualTo("json: Order.lat: expected a number, got string \"52.5\"");
  }

  @Test
  void shouldRejectDoubleOutOfRange() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("42.5", "1e400")))
        .isEqualTo("json: Order.order_total: number 1E+400 is out of range");
  }

  @Test
  void shouldRejectFractionOrStringForLong() throws IOException {
    String prediction = new String(resource("prediction.json"), StandardCharsets.UTF_8);

    assertThat(reason(EventSerdes.predictions(), prediction.replace("640", "1.5")))
        .isEqualTo("json: Prediction.latency_us: expected an integer, got number 1.5");
    assertThat(reason(EventSerdes.predictions(), prediction.replace("640", "\"640\"")))
        .isEqualTo("json: Prediction.latency_us: expected an integer, got string \"640\"");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("\"2026-11-22T10:15:30.250Z\"", "1.5")))
        .isEqualTo(
            "json: Order.order_ts: expected epoch millis or an ISO-8601 timestamp like"
                + " 2026-11-22T10:15:30Z, got number 1.5");
  }

  @Test
  void shouldRejectNumberForString() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("\"o-1\"", "12")))
        .isEqualTo("json: Order.order_id: expected a string, got number 12");
  }

  @Test
  void shouldRejectBadTimestampStrings() {
    String expected =
        "json: Order.order_ts: expected epoch millis or an ISO-8601 timestamp like"
            + " 2026-11-22T10:15:30Z, got string ";

    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("2026-11-22T10:15:30.250Z", "yesterday")))
        .isEqualTo(expected + "\"yesterday\"");
    assertThat(
            reason(
                ORDERS, MINIMAL_ORDER.replace("2026-11-22T10:15:30.250Z", "2026-11-22T10:15:30")))
        .as("a local time without offset is ambiguous")
        .isEqualTo(expected + "\"2026-11-22T10:15:30\"");
    assertThat(
            reason(
                ORDERS, MINIMAL_ORDER.replace("2026-11-22T10:15:30.250Z", "2026-13-01T00:00:00Z")))
        .isEqualTo(expected + "\"2026-13-01T00:00:00Z\"");
  }

  @Test
  void shouldNameThePathOfNestedProblems() throws IOException {
    String prediction = new String(resource("prediction.json"), StandardCharsets.UTF_8);

    assertThat(
            reason(
                EventSerdes.predictions(),
                prediction.replace("\"value\": 0.0", "\"value\": \"x\"")))
        .isEqualTo("json: Prediction.features[1].value: expected a number, got string \"x\"");
    assertThat(reason(EventSerdes.predictions(), prediction.replace("\"C-1\"", "7")))
        .isEqualTo(
            "json: Prediction.entity_keys[\"customer_id\"]: expected a string, got number 7");
    assertThat(reason(EventSerdes.predictions(), prediction.replace("\"bucket\": 4711, ", "")))
        .isEqualTo("json: Prediction.assignment: missing required field 'bucket'");
    assertThat(reason(EventSerdes.predictions(), prediction.replace("4711", "3000000000")))
        .isEqualTo(
            "json: Prediction.assignment.bucket: expected an integer (32-bit), got number 3000000000");
    assertThat(
            reason(
                EventSerdes.predictions(), prediction.replace("\"found\": false", "\"found\": 0")))
        .isEqualTo("json: Prediction.features[1].found: expected true or false, got number 0");
    assertThat(
            reason(
                EventSerdes.predictions(),
                prediction.replace("\"features\": [", "\"features\": [1, ")))
        .isEqualTo("json: Prediction.features[0]: expected an object, got number 1");
  }

  @Test
  void shouldKeepReasonsShortWhenEchoingLongValues() {
    String longName = "x".repeat(10_000);

    String unknown = reason(ORDERS, MINIMAL_ORDER.replace("}", ",\"" + longName + "\":1}"));
    String wrongType = reason(ORDERS, MINIMAL_ORDER.replace("42.5", "\"" + longName + "\""));

    assertThat(unknown)
        .isEqualTo(
            "json: Order: unknown field '"
                + "x".repeat(40)
                + "...' (allowed: "
                + ALLOWED_ORDER_FIELDS
                + ")");
    assertThat(wrongType)
        .isEqualTo(
            "json: Order.order_total: expected a number, got string \"" + "x".repeat(40) + "...\"");
  }

  @Test
  void shouldEscapeControlCharactersInEchoedValues() {
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("42.5", "\"4\\n2\"")))
        .isEqualTo("json: Order.order_total: expected a number, got string \"4\\n2\"");
    assertThat(reason(ORDERS, MINIMAL_ORDER.replace("}", ",\"bad\\nname\":1}")))
        .startsWith("json: Order: unknown field 'bad\\nname' (allowed: ");
  }

  private static Order read(String json) {
    return ORDERS.deserializer().deserialize(TOPIC, bytes(json));
  }

  private static Instant readTimestamp(String jsonValue) {
    return read(MINIMAL_ORDER.replace("\"2026-11-22T10:15:30.250Z\"", jsonValue)).getOrderTs();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = JsonEventReaderTest.class.getResourceAsStream("/json/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
