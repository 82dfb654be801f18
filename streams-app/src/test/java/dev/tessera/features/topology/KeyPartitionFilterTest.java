package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeyPartitionFilterTest {
  @Test
  void shouldPlaceEveryKeyWhereJavasProducerAndStreamsLookupsPlaceIt() {
    for (int partitions = 1; partitions <= 7; partitions++) {
      for (int i = 0; i < 1_000; i++) {
        String key = "C-" + i;
        assertThat(KeyPartitionFilter.partitionOf(key, partitions))
            .as(key + " of " + partitions)
            .isEqualTo(
                BuiltInPartitioner.partitionForKey(
                    key.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }
}
