package dev.tessera.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class OfflineEngineTest {
  private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000L;
  private static final long DAY = 86_400_000L;
  private static final FeatureRegistry REGISTRY = ShippedFeatures.registry();
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  @TempDir Path dir;

  private static LoggedEvent customer(String id, long signup) {
    var c =
        Customer.newBuilder()
            .setCustomerId(id)
            .setSignupTs(Instant.ofEpochMilli(signup))
            .setSubscriptionTier("premium")
            .setRegion("eu-west")
            .setHomeLat(52.52)
            .setHomeLon(13.40)
            .build();
    return new LoggedEvent(
        "customers",
        id,
        TOPICS.customers().valueSerde().serializer().serialize("customers", c),
        signup);
  }

  private static LoggedEvent order(String id, long ts, double total) {
    var o =
        Order.newBuilder()
            .setOrderId("o-" + id + "-" + ts)
            .setCustomerId(id)
            .setOrderTs(Instant.ofEpochMilli(ts))
            .setOrderTotal(total)
            .setProductCategory("books")
            .build();
    return new LoggedEvent(
        "orders", id, TOPICS.orders().valueSerde().serializer().serialize("orders", o), ts);
  }

  private static LoggedEvent click(String id, long ts) {
    var c =
        Click.newBuilder()
            .setEventId("c-" + id + "-" + ts)
            .setCustomerId(id)
            .setEventType("page_view")
            .setEventTs(Instant.ofEpochMilli(ts))
            .build();
    return new LoggedEvent(
        "clicks", id, TOPICS.clicks().valueSerde().serializer().serialize("clicks", c), ts);
  }

  private static List<LoggedEvent> history() {
    var events = new ArrayList<LoggedEvent>();
    events.add(customer("C-1", T0 - 100 * DAY));
    events.add(customer("C-2", T0 - 10 * DAY));
    events.add(order("C-1", T0 - 40 * DAY, 10));
    events.add(order("C-1", T0 - 5 * DAY, 30));
    events.add(order("C-1", T0 + 5 * DAY, 50));
    events.add(click("C-1", T0 - 2 * DAY));
    events.add(click("C-1", T0 - 2 * DAY + 10 * MINUTE));
    events.add(click("C-1", T0 - DAY));
    events.add(order("C-2", T0 + 2 * DAY, 20));
    return events;
  }

  private static FeatureTable table(
      String service, List<LabelRow> labels, List<LoggedEvent> events) {
    return OfflineEngine.trainingSet(
        REGISTRY, service, labels, EventLog.of(events), ProgressListener.NONE);
  }

  private static double value(FeatureTable t, int row, String column) {
    return t.values()[row][t.columns().indexOf(column)];
  }

  @Test
  void shouldServeEachRowWhatTheStoreHeldAtItsInstant() {
    var labels =
        List.of(
            new LabelRow("C-1", T0 + 10 * DAY, 1, Map.of()), // out of time order on purpose
            new LabelRow("C-1", T0, 0, Map.of()),
            new LabelRow("C-2", T0, 0, Map.of()),
            new LabelRow("nobody", T0, 0, Map.of()));

    FeatureTable t = table("churn_v2", labels, history());

    assertThat(t.keys()).containsExactly("C-1", "C-1", "C-2", "nobody");
    assertThat(t.labels()).containsExactly(1, 0, 0, 0);
    assertThat(value(t, 1, "total_orders")).isEqualTo(2.0);
    assertThat(value(t, 1, "orders_30d")).isEqualTo(1.0);
    assertThat(value(t, 1, "lifetime_revenue")).isEqualTo(40.0);
    assertThat(value(t, 1, "days_since_last_order")).isEqualTo(5.0);
    assertThat(value(t, 1, "sessions_last_30d")).isEqualTo(2.0);
    assertThat(value(t, 1, "page_views_30d")).isEqualTo(3.0);
    assertThat(value(t, 1, "account_age_days")).isEqualTo(100.0);
    assertThat(value(t, 1, "subscription_tier")).isEqualTo(2.0);
    assertThat(value(t, 1, "region_eu_west")).isEqualTo(1.0);
    assertThat(value(t, 0, "total_orders")).isEqualTo(3.0);
    assertThat(value(t, 0, "orders_30d")).isEqualTo(2.0);
    assertThat(value(t, 0, "days_since_last_order")).isEqualTo(5.0);
    assertThat(value(t, 2, "total_orders")).isEqualTo(0.0);
    assertThat(value(t, 2, "days_since_last_order")).isEqualTo(-1.0);
    assertThat(value(t, 2, "account_age_days")).isEqualTo(10.0);
    assertThat(value(t, 3, "account_age_days")).isEqualTo(-1.0);
  }

  @Test
  void shouldNotLetAnEventAfterARowsInstantChangeThatRow() {
    var labels =
        List.of(new LabelRow("C-1", T0, 0, Map.of()), new LabelRow("C-2", T0, 0, Map.of()));
    var withFuture = new ArrayList<>(history());
    for (int d = 0; d <= 20; d++) {
      withFuture.add(order("C-1", T0 + 1 + d * DAY, 99));
      withFuture.add(click("C-2", T0 + 1 + d * MINUTE));
    }
    List<LoggedEvent> past = history().stream().filter(e -> e.time() <= T0).toList();

    FeatureTable onlyPast = table("churn_v2", labels, past);
    FeatureTable everything = table("churn_v2", labels, withFuture);

    assertThat(everything.values()).isDeepEqualTo(onlyPast.values());
  }

  @Test
  void shouldComputeOnDemandFeaturesFromTheRowsRequestFields() {
    var labels =
        List.of(new LabelRow("C-1", T0, 0, Map.of("amount", 70.0, "lat", 52.52, "lon", 13.40)));

    FeatureTable t = table("risk_v1", labels, history());

    // Orders before T0: 10 and 30, mean 20, sample stddev 14.142...
    assertThat(value(t, 0, "amount_zscore"))
        .isCloseTo(50 / Math.sqrt(200), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(value(t, 0, "distance_from_home_km")).isEqualTo(0.0);
  }

  @Test
  void shouldReadJsonLinesFilesAndLeaveOutWhatDoesNotDecode() throws IOException {
    Files.writeString(
        dir.resolve("orders.jsonl"),
        "{\"order_id\":\"a\",\"customer_id\":\"C-9\",\"order_ts\":\"2026-09-30T12:00:00Z\","
            + "\"order_total\":5.0,\"product_category\":\"toys\"}\n"
            + "not json\n"
            + "{\"order_id\":\"b\",\"customer_id\":\"C-9\",\"order_ts\":\"2026-09-20T12:00:00Z\","
            + "\"order_total\":7.0,\"product_category\":\"toys\"}\n",
        StandardCharsets.UTF_8);

    EventLog log =
        EventLog.fromDirectory(dir, TOPICS, FeatureTopology.timeFields(REGISTRY.views()));
    FeatureTable t =
        OfflineEngine.trainingSet(
            REGISTRY,
            "churn_v1",
            List.of(new LabelRow("C-9", T0, 1, Map.of())),
            log,
            ProgressListener.NONE);

    assertThat(log.events()).extracting(LoggedEvent::key).containsExactly("C-9", "C-9");
    assertThat(log.events().get(0).time()).isLessThan(log.events().get(1).time());
    assertThat(log.rejected()).containsEntry("orders", 1);
    assertThat(t.columns()).containsExactly("total_orders", "orders_30d");
    assertThat(t.values()[0]).containsExactly(2.0, 2.0);
  }

  @Test
  void shouldGiveEachRowTheVersionOfTheProfileInEffectAtItsTime() throws IOException {
    // C-1 signs up on basic and moves to premium at T0 (a new version of its row, updated_ts T0).
    Files.writeString(
        dir.resolve("customers.jsonl"),
        "{\"customer_id\":\"C-1\",\"signup_ts\":\"2026-06-01T00:00:00Z\","
            + "\"subscription_tier\":\"basic\",\"region\":\"eu-west\"}\n"
            + "{\"customer_id\":\"C-1\",\"signup_ts\":\"2026-06-01T00:00:00Z\","
            + "\"subscription_tier\":\"premium\",\"region\":\"us-east\","
            + "\"updated_ts\":\"2026-10-01T00:00:00Z\"}\n",
        StandardCharsets.UTF_8);
    EventLog log =
        EventLog.fromDirectory(dir, TOPICS, FeatureTopology.timeFields(REGISTRY.views()));

    FeatureTable t =
        OfflineEngine.trainingSet(
            REGISTRY,
            "churn_v2",
            List.of(
                new LabelRow("C-1", T0 - DAY, 0, Map.of()),
                new LabelRow("C-1", T0 + DAY, 1, Map.of())),
            log,
            ProgressListener.NONE);

    assertThat(log.events())
        .extracting(LoggedEvent::time)
        .containsExactly(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli(), T0);
    assertThat(value(t, 0, "subscription_tier")).as("basic before T0").isEqualTo(1.0);
    assertThat(value(t, 1, "subscription_tier")).as("premium after").isEqualTo(2.0);
    assertThat(value(t, 0, "region_eu_west")).isEqualTo(1.0);
    assertThat(value(t, 1, "region_us_east")).isEqualTo(1.0);
    assertThat(value(t, 1, "account_age_days"))
        .as("the signup time stays the account's")
        .isEqualTo(
            (T0 + DAY - Instant.parse("2026-06-01T00:00:00Z").toEpochMilli()) / (double) DAY);
  }

  @Test
  void shouldReportProgressUpToTheTotal() {
    var seen = new ArrayList<long[]>();
    OfflineEngine.trainingSet(
        REGISTRY,
        "churn_v1",
        List.of(new LabelRow("C-1", T0, 0, Map.of())),
        EventLog.of(history()),
        (done, total) -> seen.add(new long[] {done, total}));

    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1)).containsExactly(10, 10);
  }

  @Test
  void shouldRefuseAnUnknownServiceNamingTheKnownOnes() {
    assertThatThrownBy(() -> table("nope", List.of(), history()))
        .hasMessageContaining("Unknown feature service nope")
        .hasMessageContaining("churn_v2");
  }

  @Test
  void shouldWriteCsvAndAvroContainerFiles() throws IOException {
    FeatureTable t = table("churn_v1", List.of(new LabelRow("C-1", T0, 1, Map.of())), history());

    Path csv = dir.resolve("train.csv");
    Path avro = dir.resolve("train.avro");
    FeatureTableFiles.write(t, "customer_id", csv);
    FeatureTableFiles.write(t, "customer_id", avro);

    assertThat(Files.readAllLines(csv))
        .containsExactly(
            "customer_id,ts,label,total_orders,orders_30d", "C-1,2026-10-01T00:00:00Z,1,2.0,1.0");
    try (var reader =
        new DataFileReader<GenericRecord>(avro.toFile(), new GenericDatumReader<>())) {
      GenericRecord row = reader.next();
      assertThat(row.get("customer_id").toString()).isEqualTo("C-1");
      assertThat(row.get("ts")).isEqualTo(T0);
      assertThat(row.get("label")).isEqualTo(1);
      assertThat(row.get("total_orders")).isEqualTo(2.0);
      assertThat(reader.hasNext()).isFalse();
    }
  }
}
