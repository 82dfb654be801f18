package dev.tessera.serving.demo;

import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.CustomerTruth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's live traffic on an accelerated clock: a load loop that invokes the churn endpoint over
 * HTTP for customers still active, like a caller would, and for each scored customer the outcome
 * the world already knows (did the customer churn within 30 days of the prediction?) stamped {@link
 * #OUTCOME_DELAY} after it, as if 30 days had passed in that time. With the node's experiment
 * horizon set to a minute, the evaluation job labels each prediction with its outcome, so the
 * experiment report fills within minutes.
 *
 * <pre>{@code
 * var traffic = new DemoTraffic(world, "http://127.0.0.1:8080", outcomesTopic, clientProps, 10, 5);
 * traffic.run(stop); // until stop says so
 * }</pre>
 */
public final class DemoTraffic {
  private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

  /** How long after a prediction its (30-day) outcome is stamped on the accelerated clock. */
  public static final Duration OUTCOME_DELAY = Duration.ofSeconds(5);

  /** Outcome {@code source} of the demo's live outcomes. */
  public static final String SOURCE = "demo-live";

  private final List<CustomerTruth> truth;
  private final URI invocations;
  private final Topic<String, Outcome> outcomes;
  private final Properties clientProps;
  private final double requestsPerSecond;
  private final int rowsPerRequest;
  private final Clock clock;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SplittableRandom random = new SplittableRandom(7);
  private final AtomicLong scored = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public DemoTraffic(
      ChurnWorld world,
      String baseUrl,
      Topic<String, Outcome> outcomes,
      Properties clientProps,
      double requestsPerSecond,
      int rowsPerRequest) {
    this.truth = world.truth();
    this.invocations = URI.create(baseUrl + "/serving-endpoints/churn/invocations");
    this.outcomes = outcomes;
    this.clientProps = clientProps;
    this.requestsPerSecond = requestsPerSecond;
    this.rowsPerRequest = rowsPerRequest;
    this.clock = Clock.systemUTC();
  }

  /** Rows scored so far. */
  public long scored() {
    return scored.get();
  }

  /** Requests that did not get a 200. */
  public long failed() {
    return failed.get();
  }

  /** Sends requests at the configured rate until {@code stop} is true; blocks. */
  public void run(BooleanSupplier stop) {
    long period = (long) (1_000_000_000L / requestsPerSecond);
    long next = System.nanoTime();
    try (Producer<String, Outcome> producer =
        outcomes.idempotentProducer(clientProps, "tessera-demo-outcomes")) {
      while (!stop.getAsBoolean()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        next += period;
        oneRequest(producer);
      }
    }
  }

  private void oneRequest(Producer<String, Outcome> producer) {
    Instant now = clock.instant();
    List<CustomerTruth> picked = activeCustomers(now);
    if (picked.isEmpty()) {
      return;
    }
    var body = new StringBuilder("{\"dataframe_records\":[");
    for (int i = 0; i < picked.size(); i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"customer_id\":\"")
          .append(picked.get(i).customerId())
          .append("\"}");
    }
    body.append("]}");
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(invocations)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        failed.incrementAndGet();
        return;
      }
    } catch (IOException e) {
      failed.incrementAndGet();
      log.debug("Demo request failed: {}", e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    scored.addAndGet(picked.size());
    Instant outcomeTs = now.plus(OUTCOME_DELAY);
    for (CustomerTruth t : picked) {
      producer.send(
          new ProducerRecord<>(
              outcomes.name(),
              t.customerId(),
              Outcome.newBuilder()
                  .setCustomerId(t.customerId())
                  .setOutcomeTs(outcomeTs)
                  .setLabel(label(t, now))
                  .setSource(SOURCE)
                  .build()));
    }
  }

  /** Whether the customer churns within the label horizon (30 days) after {@code at}. */
  static int label(CustomerTruth t, Instant at) {
    return t.churnsBefore(at.plus(ChurnWorld.LABEL_HORIZON).plusMillis(1)) ? 1 : 0;
  }

  private List<CustomerTruth> activeCustomers(Instant now) {
    var picked = new ArrayList<CustomerTruth>(rowsPerRequest);
    for (int attempt = 0;
        attempt < rowsPerRequest * 20 && picked.size() < rowsPerRequest;
        attempt++) {
      CustomerTruth t = truth.get(random.nextInt(truth.size()));
      if (!t.churnsBefore(now)) {
        picked.add(t);
      }
    }
    return picked;
  }
}
