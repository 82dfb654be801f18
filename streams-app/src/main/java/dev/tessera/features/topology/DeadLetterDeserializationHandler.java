package dev.tessera.features.topology;

import dev.tessera.schemas.serde.InvalidEventException;
import dev.tessera.schemas.serde.SchemaRegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every record that cannot be deserialized to the dead-letter topic (named by {@value
 * StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}) with its reason, and keeps going.
 * Under exactly-once the dead letter is written in the same transaction as the consumed offset, so
 * a bad record is neither lost nor dead-lettered twice.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private String deadLetterTopic;
  private PipelineActivity activity;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetterTopic = DeadLetterProcessingHandler.deadLetterTopic(configs);
    activity = PipelineActivity.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof SchemaRegistryUnavailableException) {
      // Not the record's fault: fail, and the pipeline reads it again on a new stream thread.
      log.warn(
          "Cannot read {}-{}@{} now: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          exception.getMessage());
      return Response.fail();
    }
    String reason =
        exception instanceof InvalidEventException invalid
            ? invalid.reason()
            : "deserialization: " + exception;
    log.debug(
        "Dead-lettering {}-{}@{}: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        reason);
    if (activity != null) {
      activity.deadLettered(context.topic());
    }
    return Response.resume(DeadLetters.of(deadLetterTopic, context, reason));
  }
}
