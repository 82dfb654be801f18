package dev.tessera.serving.retrain;

import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.features.offline.LoggedEvent;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The labels of a retraining cycle, read from the {@code outcomes} topic: an outcome at {@code
 * outcome_ts} labels its customer's features as of {@code outcome_ts − offset} (e.g. "churned
 * within the 30 days after").
 *
 * <pre>{@code
 * var window = new OutcomeLabels.Window(now.minus(Duration.ofDays(90)), now, Duration.ofDays(30), "");
 * List<LabelRow> rows = OutcomeLabels.read(clientProps, topics, window, Duration.ofMinutes(5));
 * }</pre>
 */
public final class OutcomeLabels {
  private OutcomeLabels() {}

  /**
   * Which outcomes label, and when.
   *
   * @param from outcomes at or after this
   * @param to outcomes before this
   * @param offset feature time = outcome time − offset
   * @param source only outcomes of this source; empty takes all
   */
  public record Window(Instant from, Instant to, Duration offset, String source) {}

  /** Reads the outcomes topic to its end and keeps the outcomes in {@code window}. */
  public static List<LabelRow> read(
      Properties clientProps, TopicCatalog topics, Window window, Duration timeout) {
    Topic<String, Outcome> topic = topics.outcomes();
    EventLog log =
        EventLog.fromKafka(clientProps, topics, Map.of(topic.name(), "outcome_ts"), timeout);
    var outcomes = new ArrayList<Outcome>();
    for (LoggedEvent e : log.events()) {
      outcomes.add(topic.valueSerde().deserializer().deserialize(topic.name(), e.value()));
    }
    return select(outcomes, window);
  }

  /** The label rows of the outcomes in {@code window}, in outcome order. */
  static List<LabelRow> select(List<Outcome> outcomes, Window window) {
    var rows = new ArrayList<LabelRow>();
    for (Outcome o : outcomes) {
      Instant at = o.getOutcomeTs();
      boolean inWindow = !at.isBefore(window.from()) && at.isBefore(window.to());
      boolean fromSource = window.source().isEmpty() || window.source().equals(o.getSource());
      if (inWindow && fromSource && (o.getLabel() == 0 || o.getLabel() == 1)) {
        rows.add(
            new LabelRow(
                o.getCustomerId(),
                at.minus(window.offset()).toEpochMilli(),
                o.getLabel(),
                Map.of()));
      }
    }
    return rows;
  }
}
