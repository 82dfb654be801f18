package dev.tessera.bench;

import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.state.ViewLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The lookup baseline: Redis {@code HGETALL} over loopback (Jedis, one connection, one thread) of a
 * hash with one field per column of the {@code customer_churn} vector, for every customer, random
 * keys after a warm-up — what a feature store kept in Redis pays for the same vector.
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.RedisBench --port 6390 --customers 10000 --results results.txt
 * }</pre>
 */
public final class RedisBench {
  private RedisBench() {}

  public static void main(String[] argv) {
    BenchArgs args = BenchArgs.parse(argv);
    Path results = args.path("results");
    Results.append(results, "load.redis", Machine.loadAverage());
    int customers = args.intValue("customers", 10_000);
    List<String> fields =
        ViewLayout.of(ShippedFeatures.registry().view(ShippedFeatures.CUSTOMER_CHURN).orElseThrow())
            .columns();
    String[] keys = new String[customers];
    try (var jedis = new Jedis("127.0.0.1", args.intValue("port", 6379))) {
      var random = new SplittableRandom(5);
      Pipeline load = jedis.pipelined();
      for (int c = 0; c < customers; c++) {
        keys[c] = "churn:" + EventGenerator.customerId(c);
        Map<String, String> hash = new HashMap<>();
        for (String f : fields) {
          hash.put(f, String.format(Locale.ROOT, "%.6f", random.nextDouble(0, 500)));
        }
        load.hset(keys[c], hash);
      }
      load.sync();
      LookupLatency.measure(
              key -> jedis.hgetAll(key).size(),
              keys,
              Duration.ofSeconds(args.longValue("warmup-seconds", 2)),
              Duration.ofSeconds(args.longValue("seconds", 6)))
          .append(results, "redis.hgetall");
      Results.append(results, "redis.hgetall.fields", fields.size());
    }
  }
}
