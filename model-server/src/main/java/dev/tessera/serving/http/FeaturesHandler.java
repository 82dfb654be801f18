package dev.tessera.serving.http;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * {@code GET /features/{view}/{key}}: every feature of the view for the key, with the event time of
 * the newest event behind each value.
 *
 * <pre>
 * curl -s localhost:8080/features/customer_churn/C-1
 * </pre>
 */
final class FeaturesHandler implements Handler {
  private final FeatureLookup lookup;
  private final Clock clock;

  FeaturesHandler(FeatureLookup lookup, Clock clock) {
    this.lookup = lookup;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) {
    FeatureVector v = lookup.lookup(ctx.pathParam("view"), ctx.pathParam("key"), clock.millis());
    var features = new LinkedHashMap<String, Object>();
    for (int i = 0; i < v.names().size(); i++) {
      long eventTime = v.eventTimes()[i];
      var feature = new LinkedHashMap<String, Object>();
      feature.put("value", v.values()[i]);
      feature.put(
          "event_time",
          eventTime == Partials.NO_EVENT ? null : Instant.ofEpochMilli(eventTime).toString());
      features.put(v.names().get(i), feature);
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("view", v.view());
    body.put("key", v.key());
    body.put("found", v.found());
    body.put("as_of", Instant.ofEpochMilli(v.asOf()).toString());
    body.put("features", features);
    ctx.json(body);
  }
}
