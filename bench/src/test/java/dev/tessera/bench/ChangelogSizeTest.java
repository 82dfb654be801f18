package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ChangelogSizeTest {

  @Test
  void shouldKeepOnlyTheApplicationsChangelogs() {
    var tiles0 = new TopicPartition("bench-restore-1-customer_churn-tiles-changelog", 0);
    var tiles1 = new TopicPartition("bench-restore-1-customer_churn-tiles-changelog", 1);
    Map<TopicPartition, Long> sizes =
        Map.of(
            tiles0,
            100L,
            tiles1,
            250L,
            new TopicPartition("bench-restore-1-region-repartition", 0),
            999L,
            new TopicPartition("bench-restore-2-customer_churn-tiles-changelog", 0),
            999L,
            new TopicPartition("orders", 0),
            999L);

    Map<TopicPartition, Long> changelogs = ChangelogSize.changelogs(sizes, "bench-restore-1");

    assertThat(changelogs).containsOnly(Map.entry(tiles0, 100L), Map.entry(tiles1, 250L));
    assertThat(ChangelogSize.total(changelogs)).isEqualTo(350L);
  }
}
