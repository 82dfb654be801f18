package dev.tessera.schemas.serde;

import static dev.tessera.schemas.serde.Rejections.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Prediction;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerdeTest {
  private static final String TOPIC = "test-topic";

  static Stream<Arguments> everyType() {
    return Stream.of(
        Arguments.of(EventSerdes.orders(), SampleEvents.order()),
        Arguments.of(EventSerdes.orders(), SampleEvents.orderWithoutLocation()),
        Arguments.of(EventSerdes.clicks(), SampleEvents.click()),
        Arguments.of(EventSerdes.customers(), SampleEvents.customerWithoutHome()),
        Arguments.of(EventSerdes.outcomes(), SampleEvents.outcome()),
        Arguments.of(EventSerdes.predictions(), SampleEvents.prediction()));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyType")
  <T extends SpecificRecord> void shouldRoundTripSingleObjectEncoding(
      EventSerde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize(TOPIC, record);

    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyType")
  <T extends SpecificRecord> void shouldWriteHeaderWithLittleEndianSchemaFingerprint(
      EventSerde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize(TOPIC, record);

    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(SchemaNormalization.parsingFingerprint64(record.getSchema()))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(serde.schema()));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyType")
  <T extends SpecificRecord> void shouldRoundTripThroughJsonOutput(EventSerde<T> serde, T record) {
    String json = serde.toJson(record);

    assertThat(json).doesNotContain("\n");
    assertThat(serde.deserializer().deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(record);
  }

  @Test
  void shouldWriteJsonWithEpochMillisAndExplicitNulls() {
    assertThat(EventSerdes.orders().toJson(SampleEvents.orderWithoutLocation()))
        .isEqualTo(
            "{\"order_id\":\"o-1\",\"customer_id\":\"C-1\",\"order_ts\":1795342530250,"
                + "\"order_total\":42.5,\"product_category\":\"books\",\"lat\":null,\"lon\":null}");
  }

  @Test
  void shouldProduceBytesThatPlainAvroDecodes() throws Exception {
    byte[] order = EventSerdes.orders().serializer().serialize(TOPIC, SampleEvents.order());
    byte[] prediction =
        EventSerdes.predictions().serializer().serialize(TOPIC, SampleEvents.prediction());

    assertThat(Order.getDecoder().decode(order)).isEqualTo(SampleEvents.order());
    // Expected value on the left: Avro's own array type cannot compare records holding an
    // Instant (see AvroSingleObjectReader), records from EventSerde can.
    assertThat(SampleEvents.prediction()).isEqualTo(Prediction.getDecoder().decode(prediction));
  }

  @Test
  void shouldReadBytesThatPlainAvroEncodes() throws Exception {
    byte[] bytes = Order.getEncoder().encode(SampleEvents.order()).array();

    assertThat(EventSerdes.orders().deserializer().deserialize(TOPIC, bytes))
        .isEqualTo(SampleEvents.order());
  }

  @Test
  void shouldDecodeRecordsThatCompareEqualEitherWay() {
    Prediction expected = SampleEvents.prediction();
    byte[] bytes = EventSerdes.predictions().serializer().serialize(TOPIC, expected);

    Prediction decoded = EventSerdes.predictions().deserializer().deserialize(TOPIC, bytes);

    // Avro's own array type throws here (decoded.equals(expected)); see DecodedArrays.
    assertThat(decoded.equals(expected)).isTrue();
    assertThat(expected.equals(decoded)).isTrue();
    assertThat(decoded.hashCode()).isEqualTo(expected.hashCode());
  }

  @Test
  void shouldPassTombstonesThroughAsNull() {
    EventSerde<?> customers = EventSerdes.customers();

    assertThat(customers.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(EventSerdes.customers().serializer().serialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldRejectEmptyValue() {
    assertThat(reason(EventSerdes.orders(), new byte[0])).isEqualTo("empty value");
  }

  @Test
  void shouldRejectGarbageText() {
    assertThat(reason(EventSerdes.orders(), "hello"))
        .isEqualTo(
            "not an Order: expected Avro single-object encoding (C3 01 header), Confluent's wire"
                + " format (00 and a schema id) or a JSON object, got 5 bytes starting 0x68 0x65"
                + " 0x6C 0x6C 0x6F");
    assertThat(reason(EventSerdes.clicks(), "  42 is the answer"))
        .isEqualTo(
            "not a Click: expected Avro single-object encoding (C3 01 header), Confluent's wire"
                + " format (00 and a schema id) or a JSON object, got 18 bytes starting 0x20 0x20"
                + " 0x34 0x32 0x20 0x69 0x73 0x20 ...");
  }

  @Test
  void shouldRejectAvroWithUnknownFingerprint() {
    byte[] click = EventSerdes.clicks().serializer().serialize(TOPIC, SampleEvents.click());

    assertThat(reason(EventSerdes.orders(), click))
        .isEqualTo(
            String.format(
                "avro: Order: unknown schema fingerprint 0x%016x: not Order's schema (0x%016x),"
                    + " and no schema directory is configured (schemas.dir)",
                SchemaNormalization.parsingFingerprint64(Click.getClassSchema()),
                SchemaNormalization.parsingFingerprint64(Order.getClassSchema())));
  }

  @Test
  void shouldRejectTruncatedAvro() {
    byte[] order = orderBytes();

    assertThat(reason(EventSerdes.orders(), Arrays.copyOf(order, order.length - 3)))
        .isEqualTo("avro: Order: truncated record");
    assertThat(reason(EventSerdes.orders(), Arrays.copyOf(order, 6)))
        .isEqualTo("avro: Order: truncated header (6 of 10 bytes)");
    assertThat(reason(EventSerdes.orders(), Arrays.copyOf(order, 10)))
        .isEqualTo("avro: Order: truncated record");
  }

  @Test
  void shouldRejectAvroWithBytesAfterTheRecord() {
    byte[] order = orderBytes();

    assertThat(reason(EventSerdes.orders(), Arrays.copyOf(order, order.length + 2)))
        .isEqualTo("avro: Order: unexpected bytes after the record");
  }

  @Test
  void shouldRejectCorruptLengthWithoutAllocatingIt() throws Exception {
    // order_id claims 1.5 GB: Avro alone would allocate that much (more than the test heap)
    // before noticing that the payload is 30 bytes long.
    byte[] bytes = singleObject(Order.getClassSchema(), out -> out.writeLong(1_500_000_000L));

    assertThat(reason(EventSerdes.orders(), bytes)).isEqualTo("avro: Order: truncated record");
  }

  @Test
  void shouldRejectCorruptArrayCountWithoutAllocatingIt() throws Exception {
    Prediction prediction = SampleEvents.prediction();
    byte[] bytes =
        singleObject(
            Prediction.getClassSchema(),
            out -> {
              out.writeString(prediction.getRequestId());
              out.writeIndex(0); // client_request_id: null
              out.writeLong(prediction.getTs().toEpochMilli());
              out.writeString("churn");
              out.writeString("champion");
              out.writeString("churn_gbm");
              out.writeString("3");
              out.writeLong(0); // entity_keys: empty map
              out.writeLong(Integer.MAX_VALUE - 8); // features: "2 billion items follow"
            });

    assertThat(reason(EventSerdes.predictions(), bytes))
        .isEqualTo("avro: Prediction: truncated record");
  }

  @Test
  void shouldRejectCorruptUnionIndexAndNegativeLength() throws Exception {
    byte[] badUnion =
        singleObject(
            Order.getClassSchema(),
            out -> {
              out.writeString("o-1");
              out.writeString("C-1");
              out.writeLong(0);
              out.writeDouble(1.0);
              out.writeString("books");
              out.writeIndex(5); // lat: a union has only two branches
            });
    byte[] negativeLength = singleObject(Order.getClassSchema(), out -> out.writeLong(-4));

    assertThat(reason(EventSerdes.orders(), badUnion))
        .isEqualTo("avro: Order: corrupt record: union branch index 5 out of range 0..1");
    assertThat(reason(EventSerdes.orders(), negativeLength))
        .isEqualTo("avro: Order: corrupt record: negative length -4");
  }

  @Test
  void shouldReportSerializationFailureWithTypeAndTopic() {
    Order incomplete = new Order(); // required fields left null

    assertThatThrownBy(() -> EventSerdes.orders().serializer().serialize("orders", incomplete))
        .isInstanceOf(SerializationException.class)
        .isNotInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("Cannot serialize Order for topic orders: ");
  }

  @Test
  void shouldServeSeveralThreadsAtOnce() throws Exception {
    EventSerde<Prediction> serde = EventSerdes.predictions();
    Prediction prediction = SampleEvents.prediction();
    byte[] json = serde.toJson(prediction).getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    byte[] avro = serde.serializer().serialize(TOPIC, prediction);
                    if (!prediction.equals(serde.deserializer().deserialize(TOPIC, avro))
                        || !prediction.equals(serde.deserializer().deserialize(TOPIC, json))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRefuseClassesWhoseSchemaHasNoJsonForm() {
    assertThatThrownBy(() -> EventSerde.of(WithBytes.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JSON input does not support Avro type bytes at WithBytes.payload");
  }

  private static byte[] orderBytes() {
    return EventSerdes.orders().serializer().serialize(TOPIC, SampleEvents.order());
  }

  interface BodyWriter {
    void write(BinaryEncoder out) throws Exception;
  }

  /** A single-object header with the schema's real fingerprint, followed by a hand-made body. */
  private static byte[] singleObject(org.apache.avro.Schema schema, BodyWriter body)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xC3, 0x01});
    bytes.write(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(SchemaNormalization.parsingFingerprint64(schema))
            .array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    body.write(encoder);
    encoder.flush();
    return bytes.toByteArray();
  }
}
