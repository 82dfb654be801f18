package dev.tessera.bench;

import dev.tessera.schemas.topic.TopicCatalog;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** Records on the dead-letter topic so far: a benchmark whose events were rejected is void. */
final class DeadLetterCount {
  private DeadLetterCount() {}

  static long of(Admin admin) {
    var partition = new TopicPartition(TopicCatalog.DEAD_LETTERS, 0);
    try {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get(10, TimeUnit.SECONDS)
          .offset();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot read the end offset of " + partition, e);
    }
  }
}
