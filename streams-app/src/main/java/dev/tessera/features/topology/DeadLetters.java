package dev.tessera.features.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the rejected record's raw key and value, unchanged, with headers that
 * say where it came from and why it was rejected.
 */
public final class DeadLetters {
  public static final String SOURCE_TOPIC = "tessera.dlq.source.topic";
  public static final String SOURCE_PARTITION = "tessera.dlq.source.partition";
  public static final String SOURCE_OFFSET = "tessera.dlq.source.offset";
  public static final String REASON = "tessera.dlq.reason";

  private DeadLetters() {}

  /** The dead-letter record for the record being handled in {@code context}. */
  public static List<ProducerRecord<byte[], byte[]>> of(
      String deadLetterTopic, ErrorHandlerContext context, String reason) {
    var headers = new RecordHeaders(context.headers().toArray());
    headers.add(SOURCE_TOPIC, utf8(context.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(context.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(context.offset())));
    headers.add(REASON, utf8(reason));
    return List.of(
        new ProducerRecord<>(
            deadLetterTopic,
            null,
            context.timestamp() >= 0 ? context.timestamp() : null,
            context.sourceRawKey(),
            context.sourceRawValue(),
            headers));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
