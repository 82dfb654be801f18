package dev.tessera.features.topology;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events that a processor rejected ({@link RejectedEventException}) to the dead-letter topic
 * with their reason and keeps going; any other exception is a bug and stops the application so that
 * nothing is silently skipped.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

  private String deadLetterTopic;
  private PipelineActivity activity;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetterTopic = deadLetterTopic(configs);
    activity = PipelineActivity.from(configs);
  }

  static String deadLetterTopic(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new ConfigException(
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
              + " must name the dead-letter topic");
    }
    return topic.toString();
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof RejectedEventException rejected) {
      log.debug(
          "Dead-lettering {}-{}@{}: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          rejected.getMessage());
      if (activity != null) {
        activity.deadLettered(context.topic());
      }
      return Response.resume(DeadLetters.of(deadLetterTopic, context, rejected.getMessage()));
    }
    log.error(
        "Processing failed at {}-{}@{} in {}",
        context.topic(),
        context.partition(),
        context.offset(),
        context.processorNodeId(),
        exception);
    return Response.fail();
  }
}
