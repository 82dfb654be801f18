package dev.tessera.serving.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldFilesTest {
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");

  private final ChurnWorld world = ChurnWorld.create(60, 80, 3, END);

  @TempDir Path dir;

  @Test
  void shouldReadBackWhatItWrote() {
    Map<String, Long> counts = WorldFiles.write(world, dir);
    WorldFiles.Contents back = WorldFiles.read(dir);

    // In event-time order, which for customer rows is signup order.
    assertThat(back.customers()).containsExactlyInAnyOrderElementsOf(world.customers());
    assertThat(back.customers()).isSortedAccordingTo(Comparator.comparing(Customer::getSignupTs));
    assertThat(back.orders()).isEqualTo(world.orders());
    assertThat(back.clicks()).isEqualTo(world.clicks());
    assertThat(back.outcomes()).isEqualTo(world.outcomes());
    assertThat(back.labels()).isEqualTo(world.labels()).isNotEmpty();
    assertThat(counts)
        .containsExactly(
            Map.entry(TopicCatalog.CUSTOMERS, 60L),
            Map.entry(TopicCatalog.ORDERS, (long) back.orders().size()),
            Map.entry(TopicCatalog.CLICKS, (long) back.clicks().size()),
            Map.entry(TopicCatalog.OUTCOMES, (long) back.outcomes().size()));
  }

  @Test
  void shouldWriteTheJsonTheInputTopicsAccept() throws IOException {
    WorldFiles.write(world, dir);

    List<String> orders = Files.readAllLines(dir.resolve("orders.jsonl"));
    Order first = world.orders().get(0);
    assertThat(orders.get(0)).isEqualTo(EventSerdes.orders().toJson(first));
    // What a consumer of the topic does with a JSON value.
    assertThat(
            EventSerdes.orders()
                .deserializer()
                .deserialize("orders", orders.get(0).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(first);
    assertThat(Files.readAllLines(dir.resolve("clicks.jsonl")).get(0))
        .startsWith("{\"event_id\":")
        .contains("\"event_ts\":");
  }

  @Test
  void shouldWriteLabelsAsCsvWithIsoTimes() throws IOException {
    WorldFiles.write(world, dir);

    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
    WorldLabel first = world.labels().get(0);
    assertThat(lines.get(0)).isEqualTo("customer_id,ts,label");
    assertThat(lines.get(1)).isEqualTo(first.customerId() + "," + first.ts() + "," + first.label());
    assertThat(lines.get(1)).matches("C-\\d+,\\d{4}-\\d\\d-\\d\\dT00:00:00Z,[01]");
    assertThat(lines).hasSize(world.labels().size() + 1);
  }

  @Test
  void shouldReplayLiveEventsAppendedAfterTheHistory() {
    LiveWorld live = world.live(END, 50);
    try (WorldFiles.Writer writer = WorldFiles.open(dir)) {
      world.history().forEach(writer::accept);
      for (int i = 0; i < 200; i++) {
        writer.accept(live.next());
      }
    }
    WorldFiles.Contents back = WorldFiles.read(dir);

    assertThat(back.orders().size() + back.clicks().size())
        .isEqualTo(world.orders().size() + world.clicks().size() + 200);
    assertThat(back.clicks().get(back.clicks().size() - 1).getEventTs()).isAfterOrEqualTo(END);
    assertThat(back.labels()).isEmpty(); // not written by a bare writer
  }

  @Test
  void shouldNameTheFileAndLineOfABadRecord() throws IOException {
    Files.writeString(
        dir.resolve("orders.jsonl"),
        EventSerdes.orders().toJson(world.orders().get(0))
            + "\n\n{\"order_id\":\"x\",\"customer_id\":\"C-1\",\"order_ts\":1,\"order_total\":\"cheap\","
            + "\"product_category\":\"books\"}\n");

    assertThatThrownBy(() -> WorldFiles.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orders.jsonl:3: json: Order.order_total: expected a number");
  }

  @Test
  void shouldRejectALabelsFileWithoutItsHeaderOrWithABadRow() throws IOException {
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "C-1,2026-01-01T00:00:00Z,1\n");
    assertThatThrownBy(() -> WorldFiles.readLabels(labels))
        .hasMessageContaining("labels.csv:1: expected the header customer_id,ts,label");

    Files.writeString(
        labels, "customer_id,ts,label\nC-1,2026-01-01T00:00:00Z,1\nC-2,yesterday,0\n");
    assertThatThrownBy(() -> WorldFiles.readLabels(labels)).hasMessageContaining("labels.csv:3:");

    Files.writeString(labels, "customer_id,ts,label\nC-1,2026-01-01T00:00:00Z,2\n");
    assertThatThrownBy(() -> WorldFiles.readLabels(labels)).hasMessageContaining("not 0/1");
  }

  @Test
  void shouldReadAMissingTopicFileAsEmpty() {
    WorldFiles.Contents nothing = WorldFiles.read(dir);

    assertThat(nothing.customers()).isEmpty();
    assertThat(nothing.orders()).isEmpty();
    assertThat(nothing.labels()).isEmpty();
    assertThat(WorldFiles.readTopic(dir.resolve("nope.jsonl"), Click.class)).isEmpty();
    assertThat(WorldFiles.readTopic(dir.resolve("nope.jsonl"), Customer.class)).isEmpty();
    assertThat(WorldFiles.readTopic(dir.resolve("nope.jsonl"), Outcome.class)).isEmpty();
  }
}
