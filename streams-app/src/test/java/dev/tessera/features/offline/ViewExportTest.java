package dev.tessera.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ViewExportTest {
  private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
  private static final long DAY = 86_400_000L;
  private static final FeatureRegistry REGISTRY = ShippedFeatures.registry();
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  @TempDir Path dir;

  private static LoggedEvent customer(String id, long signup, String region) {
    var c =
        Customer.newBuilder()
            .setCustomerId(id)
            .setSignupTs(Instant.ofEpochMilli(signup))
            .setSubscriptionTier("basic")
            .setRegion(region)
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

  private static EventLog log() {
    var events = new ArrayList<LoggedEvent>();
    events.add(customer("C-1", T0 - 100 * DAY, "eu-west"));
    events.add(customer("C-2", T0 - 10 * DAY, "us-east"));
    events.add(order("C-1", T0 - 40 * DAY, 10));
    events.add(order("C-1", T0 - 5 * DAY, 30));
    events.add(order("C-3", T0 - 1 * DAY, 70)); // no customer row
    events.add(order("C-1", T0 + 5 * DAY, 50)); // after the instant
    events.add(customer("C-4", T0 + DAY, "apac")); // after the instant
    return EventLog.of(events);
  }

  private ViewTable export(String view) {
    return ViewExport.asOf(REGISTRY, view, T0, log(), ProgressListener.NONE, dir);
  }

  private static double value(ViewTable t, String key, String column) {
    return t.values()[t.keys().indexOf(key)][t.columns().indexOf(column)];
  }

  @Test
  void shouldExportEveryKeySeenUpToTheInstantAsTheStoreHeldIt() {
    ViewTable t = export("customer_churn");

    assertThat(t.keys()).containsExactly("C-1", "C-2", "C-3");
    assertThat(t.columns()).isEqualTo(REGISTRY.view("customer_churn").orElseThrow().columns());
    assertThat(value(t, "C-1", "total_orders")).isEqualTo(2.0);
    assertThat(value(t, "C-1", "lifetime_revenue")).isEqualTo(40.0);
    assertThat(value(t, "C-1", "orders_30d")).isEqualTo(1.0);
    assertThat(value(t, "C-1", "days_since_last_order")).isEqualTo(5.0);
    assertThat(value(t, "C-2", "total_orders")).isZero();
    assertThat(value(t, "C-2", "account_age_days")).isEqualTo(10.0);
    assertThat(value(t, "C-3", "account_age_days")).isEqualTo(-1.0);
    assertThat(t.found()).containsExactly(true, true, true);
    assertThat(t.eventTimes()[0]).isEqualTo(T0 - 5 * DAY);
    assertThat(t.eventTimes()[1]).isEqualTo(ViewTable.NO_EVENT);
  }

  @Test
  void shouldGiveRequestTimeFeaturesTheirDefaults() {
    ViewTable t = export("customer_risk");

    assertThat(t.keys()).containsExactly("C-1", "C-2", "C-3");
    assertThat(value(t, "C-1", "amount_zscore")).isZero();
    assertThat(value(t, "C-1", "distance_from_home_km")).isEqualTo(-1.0);
    assertThat(value(t, "C-1", "region_avg_order_value_365d")).isEqualTo(20.0);
  }

  @Test
  void shouldKeyARegionViewByTheCustomerRowsRegions() {
    ViewTable t = export("region_orders");

    assertThat(t.keyColumn()).isEqualTo("region");
    assertThat(t.keys()).containsExactly("eu-west", "us-east");
    assertThat(value(t, "eu-west", "avg_order_value_365d")).isEqualTo(20.0);
    assertThat(t.found()).containsExactly(true, false);
  }

  @Test
  void shouldWriteCsvAndAvro() throws IOException {
    ViewTable t = export("customer_churn");
    Path csv = dir.resolve("churn.csv");
    Path avro = dir.resolve("churn.avro");

    ViewTableFiles.write(t, csv);
    ViewTableFiles.write(t, avro);

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("customer_id,as_of,found,event_time,days_since_last_order,total_orders,");
    assertThat(lines.get(1))
        .startsWith("C-1,2026-10-01T00:00:00Z,true,2026-09-26T00:00:00Z,5.0,2.0,");
    assertThat(lines.get(2)).startsWith("C-2,2026-10-01T00:00:00Z,true,,-1.0,0.0,");
    try (var reader =
        new DataFileReader<GenericRecord>(avro.toFile(), new GenericDatumReader<>())) {
      GenericRecord first = reader.next();
      assertThat(first.get("customer_id").toString()).isEqualTo("C-1");
      assertThat(first.get("as_of")).isEqualTo(T0);
      assertThat(first.get("total_orders")).isEqualTo(2.0);
      assertThat(reader.next().get("event_time")).isNull();
    }
  }

  @Test
  void shouldNameTheKnownViewsForAnUnknownOne() {
    assertThatThrownBy(
            () -> ViewExport.asOf(REGISTRY, "churn", T0, log(), ProgressListener.NONE, dir))
        .hasMessage(
            "Unknown feature view churn; known: [customer_churn, customer_risk, region_orders,"
                + " user_fraud, country_transactions, user_merchant_transactions]");
  }

  @Test
  void shouldReportProgressUpToTheTotal() {
    var seen = new ArrayList<long[]>();
    ViewExport.asOf(
        REGISTRY, "customer_churn", T0, log(), (d, t) -> seen.add(new long[] {d, t}), dir);

    long[] last = seen.get(seen.size() - 1);
    assertThat(last[0]).isEqualTo(last[1]).isEqualTo(7 + 3);
  }
}
