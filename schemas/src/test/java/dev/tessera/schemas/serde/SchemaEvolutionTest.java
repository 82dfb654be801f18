package dev.tessera.schemas.serde;

import static dev.tessera.schemas.serde.Rejections.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro written with another version of a schema: found by fingerprint in a schema directory or by
 * id in a schema registry (served here over HTTP from a directory, as Confluent's REST API serves
 * it), resolved to the reader's schema, or refused naming the field.
 */
class SchemaEvolutionTest {
  /** Order v2: a field added with a default (coupon), lat and lon dropped, the total a float. */
  static final Schema ORDER_V2 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "dev.tessera.schemas", "fields": [
                {"name": "order_id", "type": "string"},
                {"name": "customer_id", "type": "string"},
                {"name": "order_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "order_total", "type": "float"},
                {"name": "product_category", "type": "string"},
                {"name": "coupon", "type": "string", "default": ""}
              ]}
              """);

  /** Order v3: the total became a string, which no Order reader can take. */
  static final Schema ORDER_V3 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "dev.tessera.schemas", "fields": [
                {"name": "order_id", "type": "string"},
                {"name": "customer_id", "type": "string"},
                {"name": "order_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "order_total", "type": "string"},
                {"name": "product_category", "type": "string"}
              ]}
              """);

  private static final long TS = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  @TempDir Path dir;
  private HttpServer registry;

  @AfterEach
  void stopRegistry() {
    if (registry != null) {
      registry.stop(0);
    }
  }

  @Test
  void shouldReadAnOrderWrittenWithASchemaOfTheSchemaDirectory() throws IOException {
    Files.writeString(dir.resolve("order-v2.avsc"), ORDER_V2.toString());
    var orders = EventSerde.of(Order.class, WriterSchemas.of(dir, null));

    Order order = orders.deserializer().deserialize("orders", singleObject(ORDER_V2, v2("C-1")));

    assertThat(order.getCustomerId()).isEqualTo("C-1");
    assertThat(order.getOrderTotal()).isEqualTo(42.5);
    assertThat(order.getOrderTs()).isEqualTo(Instant.ofEpochMilli(TS));
    assertThat(order.getLat()).as("not written: the reader's default").isNull();
    assertThat(
            orders.deserializer().deserialize("orders", orders.serializer().serialize("o", order)))
        .as("the reader's own schema still reads")
        .isEqualTo(order);
  }

  @Test
  void shouldReadACustomerWrittenBeforeTheSchemaHadUpdatedTs() throws IOException {
    Schema previous;
    try (var in =
        SchemaEvolutionTest.class.getResourceAsStream(
            "/dev/tessera/schemas/previous/Customer-1.avsc")) {
      previous = new Schema.Parser().parse(in);
    }
    assertThat(previous.getField("updated_ts")).isNull();
    GenericRecord row = new GenericData.Record(previous);
    row.put("customer_id", "C-1");
    row.put("signup_ts", TS);
    row.put("subscription_tier", "basic");
    row.put("region", "eu-west");

    Customer customer =
        EventSerdes.customers()
            .deserializer()
            .deserialize("customers", singleObject(previous, row));

    assertThat(customer.getSubscriptionTier()).isEqualTo("basic");
    assertThat(customer.getUpdatedTs()).isNull();
  }

  @Test
  void shouldRefuseAnOrderWrittenWithAnIncompatibleSchemaNamingTheField() throws IOException {
    Files.writeString(dir.resolve("order-v3.avsc"), ORDER_V3.toString());
    var orders = EventSerde.of(Order.class, WriterSchemas.of(dir, null));
    GenericRecord v3 = new GenericData.Record(ORDER_V3);
    v3.put("order_id", "o-1");
    v3.put("customer_id", "C-1");
    v3.put("order_ts", TS);
    v3.put("order_total", "cheap");
    v3.put("product_category", "books");

    assertThat(reason(orders, singleObject(ORDER_V3, v3)))
        .startsWith("avro: Order: written with schema dev.tessera.schemas.Order (0x")
        .contains("which cannot be read as Order: field order_total: ")
        .contains("STRING");
  }

  @Test
  void shouldNameTheSchemaDirectoryWhenAFingerprintIsUnknown() {
    var orders = EventSerde.of(Order.class, WriterSchemas.of(dir, null));

    assertThat(reason(orders, singleObject(ORDER_V2, v2("C-1"))))
        .isEqualTo(
            String.format(
                "avro: Order: unknown schema fingerprint 0x%016x: not Order's schema (0x%016x) nor"
                    + " one in the schema directory %s",
                SchemaNormalization.parsingFingerprint64(ORDER_V2),
                SchemaNormalization.parsingFingerprint64(Order.getClassSchema()),
                dir));
  }

  @Test
  void shouldRefuseAFileOfTheSchemaDirectoryThatIsNotASchema() throws IOException {
    Files.writeString(dir.resolve("broken.avsc"), "{\"type\": \"record\"");

    assertThatThrownBy(() -> WriterSchemas.of(dir, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Schema file " + dir.resolve("broken.avsc") + " is not an Avro");
  }

  @Test
  void shouldReadConfluentWireFormatWithTheRegistrysSchemaAskingOncePerId() throws IOException {
    AtomicInteger asked = startRegistry(Map.of(7, ORDER_V2, 8, Order.getClassSchema()), null);
    var orders = EventSerde.of(Order.class, WriterSchemas.of(null, client(null)));

    for (int i = 0; i < 3; i++) {
      Order order = orders.deserializer().deserialize("orders", confluent(7, ORDER_V2, v2("C-2")));
      assertThat(order.getCustomerId()).isEqualTo("C-2");
      assertThat(order.getOrderTotal()).isEqualTo(42.5);
    }
    assertThat(asked).hasValue(1);
    GenericRecord sameSchema = new GenericData.Record(Order.getClassSchema());
    for (Schema.Field f : Order.getClassSchema().getFields()) {
      sameSchema.put(f.name(), v2("C-3").hasField(f.name()) ? v2("C-3").get(f.name()) : null);
    }
    sameSchema.put("order_total", 9.5);
    assertThat(
            orders
                .deserializer()
                .deserialize("orders", confluent(8, Order.getClassSchema(), sameSchema))
                .getOrderTotal())
        .isEqualTo(9.5);
  }

  @Test
  void shouldSendBasicAuthToTheRegistry() throws IOException {
    startRegistry(Map.of(7, ORDER_V2), "Basic dXNlcjpzZWNyZXQ=");
    var withAuth = EventSerde.of(Order.class, WriterSchemas.of(null, client("user:secret")));
    var without = EventSerde.of(Order.class, WriterSchemas.of(null, client(null)));

    assertThat(
            withAuth
                .deserializer()
                .deserialize("orders", confluent(7, ORDER_V2, v2("C-1")))
                .getCustomerId())
        .isEqualTo("C-1");
    assertThatThrownBy(
            () -> without.deserializer().deserialize("orders", confluent(7, ORDER_V2, v2("C-1"))))
        .isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageContaining("answered 401")
        .hasMessageContaining("schema.registry.basic.auth.user.info");
  }

  @Test
  void shouldRefuseAnIdTheRegistryDoesNotHaveButNotARecordItCannotAskFor() throws IOException {
    startRegistry(Map.of(), null);
    var orders = EventSerde.of(Order.class, WriterSchemas.of(null, client(null)));

    assertThat(reason(orders, confluent(99, ORDER_V2, v2("C-1"))))
        .isEqualTo(
            "confluent: schema id 99 is not in the schema registry at http://127.0.0.1:"
                + registry.getAddress().getPort());
    assertThat(reason(EventSerdes.orders(), confluent(99, ORDER_V2, v2("C-1"))))
        .isEqualTo(
            "confluent: the record names schema id 99 of a schema registry, and none is"
                + " configured (schema.registry.url)");
    registry.stop(0);
    registry = null;
    assertThatThrownBy(
            () -> orders.deserializer().deserialize("orders", confluent(7, ORDER_V2, v2("C-1"))))
        .isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageStartingWith("Cannot reach the schema registry at http://127.0.0.1:");
  }

  private static GenericRecord v2(String customer) {
    GenericRecord r = new GenericData.Record(ORDER_V2);
    r.put("order_id", "o-1");
    r.put("customer_id", customer);
    r.put("order_ts", TS);
    r.put("order_total", 42.5f);
    r.put("product_category", "books");
    r.put("coupon", "WELCOME");
    return r;
  }

  private static byte[] body(Schema schema, GenericRecord record) {
    var out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  static byte[] singleObject(Schema schema, GenericRecord record) {
    byte[] body = body(schema, record);
    return ByteBuffer.allocate(10 + body.length)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .put(
            ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(schema))
                .array())
        .put(body)
        .array();
  }

  static byte[] confluent(int id, Schema schema, GenericRecord record) {
    byte[] body = body(schema, record);
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }

  private SchemaRegistryClient client(String userInfo) {
    return new SchemaRegistryClient(
        URI.create("http://127.0.0.1:" + registry.getAddress().getPort()),
        userInfo,
        Duration.ofSeconds(5));
  }

  /** A registry answering {@code GET /schemas/ids/<id>} as Confluent's does; counts the asks. */
  private AtomicInteger startRegistry(Map<Integer, Schema> schemas, String requiredAuth)
      throws IOException {
    var asked = new AtomicInteger();
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext(
        "/schemas/ids/",
        exchange -> {
          asked.incrementAndGet();
          String path = exchange.getRequestURI().getPath();
          Schema schema = schemas.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          int status =
              requiredAuth != null && !requiredAuth.equals(auth) ? 401 : schema == null ? 404 : 200;
          byte[] body =
              (status == 200
                      ? "{\"schema\": " + quoted(schema.toString()) + "}"
                      : "{\"error_code\": " + status + "03, \"message\": \"no\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/vnd.schemaregistry.v1+json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    registry.start();
    return asked;
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
