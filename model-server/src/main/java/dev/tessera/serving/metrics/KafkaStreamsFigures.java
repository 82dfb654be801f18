package dev.tessera.serving.metrics;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@link StreamsFigures} from Kafka Streams' own metrics: the client-level {@code records-lag-max}
 * of its consumers ({@code consumer-fetch-manager-metrics}) and the task-level {@code
 * dropped-records-total} ({@code stream-task-metrics}), which counts every record an exception
 * handler resumed past, i.e. each dead letter.
 */
final class KafkaStreamsFigures implements StreamsFigures {
  static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
  static final String TASK_GROUP = "stream-task-metrics";

  private final Supplier<Map<MetricName, ? extends Metric>> metrics;

  KafkaStreamsFigures(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    this.metrics = metrics;
  }

  @Override
  public double recordsLagMax() {
    double max = Double.NaN;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("records-lag-max")
          && name.group().equals(FETCH_GROUP)
          && !name.tags().containsKey("topic")) {
        double v = value(e.getValue());
        if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
          max = v;
        }
      }
    }
    return max;
  }

  @Override
  public double droppedRecords() {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("dropped-records-total") && name.group().equals(TASK_GROUP)) {
        double v = value(e.getValue());
        if (!Double.isNaN(v)) {
          sum += v;
        }
      }
    }
    return sum;
  }

  private static double value(Metric metric) {
    return metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
