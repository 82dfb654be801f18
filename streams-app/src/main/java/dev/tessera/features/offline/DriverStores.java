package dev.tessera.features.offline;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.query.FeatureStoreAccess;
import dev.tessera.features.state.StoreNames;
import dev.tessera.schemas.Customer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** The stores of a {@link TopologyTestDriver}, read as a node reads its local stores. */
public final class DriverStores implements FeatureStoreAccess {
  private final TopologyTestDriver driver;
  private ReadOnlyKeyValueStore<String, Customer> customers;

  public DriverStores(TopologyTestDriver driver) {
    this.driver = driver;
  }

  @Override
  public ReadOnlyKeyValueStore<String, Partials> lifetimeStore(String name) {
    return driver.getKeyValueStore(name);
  }

  @Override
  public ReadOnlyWindowStore<String, Partials> tileStore(String name) {
    return driver.getWindowStore(name);
  }

  @Override
  public ReadOnlySessionStore<String, Long> sessionStore(String name) {
    return driver.getSessionStore(name);
  }

  @Override
  public ReadOnlyKeyValueStore<String, GenericRecord> tableStore(String name) {
    return driver.getKeyValueStore(name);
  }

  @Override
  public ReadOnlyKeyValueStore<String, Customer> customers() {
    // The table's store is timestamped: the driver wraps it and warns on every call, so once.
    if (customers == null) {
      customers = driver.getKeyValueStore(StoreNames.CUSTOMERS);
    }
    return customers;
  }
}
