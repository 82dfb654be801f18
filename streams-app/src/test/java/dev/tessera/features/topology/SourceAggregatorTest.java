package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.state.ViewLayout;
import dev.tessera.features.state.ViewLayout.SourceLayout;
import dev.tessera.schemas.Order;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceAggregatorTest {
  @TempDir Path stateDir;

  /**
   * Kafka Streams re-initialises the processors of a task it revives (closed dirty after a
   * TaskCorruptedException, as after a node restart under exactly-once). Seen in
   * scripts/e2e-cluster.sh: the second init doubled the store lists and the next order failed with
   * IndexOutOfBoundsException, which shut the node's pipeline down.
   */
  @Test
  void shouldProcessAfterTheTaskIsInitialisedAgain() {
    var view = ShippedFeatures.registry().view(ShippedFeatures.CUSTOMER_CHURN).orElseThrow();
    ViewLayout layout = ViewLayout.of(view);
    SourceLayout orders =
        layout.sources().stream()
            .filter(s -> s.source().topic().equals("orders"))
            .findFirst()
            .orElseThrow();
    assertThat(orders.tiles()).as("the case needs a windowed source").isNotEmpty();
    ProcessorSupplier<String, Order, Void, Void> supplier =
        SourceAggregator.supplier(
            layout, orders, Order.getClassSchema(), new ViewMeter(0), FeatureStores.ROCKSDB);

    var context =
        new MockProcessorContext<Void, Void>(new Properties(), new TaskId(0, 0), stateDir.toFile());
    for (StoreBuilder<?> builder : supplier.stores()) {
      StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    Processor<String, Order, Void, Void> processor = supplier.get();
    processor.init(context);
    processor.init(context);

    long now = System.currentTimeMillis();
    context.setCurrentStreamTimeMs(now);
    context.setCurrentSystemTimeMs(now);
    Order order =
        Order.newBuilder()
            .setOrderId("o-1")
            .setCustomerId("C-1")
            .setOrderTs(Instant.ofEpochMilli(now))
            .setOrderTotal(10.0)
            .setProductCategory("books")
            .build();
    assertThatCode(() -> processor.process(new Record<>("C-1", order, now)))
        .doesNotThrowAnyException();

    KeyValueStore<String, ?> lifetime = context.getStateStore(orders.lifetime().store());
    assertThat(lifetime.get("C-1")).as("the order is counted").isNotNull();
  }
}
