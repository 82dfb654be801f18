package dev.tessera.serving.demo.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.offline.LabelFile;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.serving.cli.TesseraCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FraudWorldTest {
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Large enough for a few dozen fraud episodes and a hundred moves. */
  private static final FraudWorld WORLD = FraudWorld.create(1_000, 30, 7, END);

  private static final List<FraudEvent> HISTORY = collect(WORLD);

  @TempDir Path dir;

  @Test
  void shouldGenerateTheSameWorldForTheSameSeed() {
    List<String> again = json(FraudWorld.create(1_000, 30, 7, END));
    List<String> otherSeed = json(FraudWorld.create(1_000, 30, 8, END));

    assertThat(again).isEqualTo(HISTORY.stream().map(FraudEvent::toJson).toList());
    assertThat(otherSeed).isNotEqualTo(again);
  }

  @Test
  void shouldWriteByteIdenticalFilesForTheSameSeed() throws IOException {
    FraudWorld small = FraudWorld.create(200, 10, 3, END);
    FraudFiles.write(small, dir.resolve("a"));
    FraudFiles.write(FraudWorld.create(200, 10, 3, END), dir.resolve("b"));

    for (String file : List.of("users.jsonl", "transactions.jsonl", "labels.csv")) {
      assertThat(Files.readAllBytes(dir.resolve("b").resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(file)))
          .isNotEmpty();
    }
  }

  @Test
  void shouldKeepAUsersBehaviourWhateverTheNumberOfUsers() {
    List<FraudUser> few = FraudWorld.create(5, 30, 7, END).users();

    assertThat(WORLD.users().subList(0, 5)).isEqualTo(few);
  }

  @Test
  void shouldWriteUsersWithANestedHomeAndUpdatedAtInSeconds() throws IOException {
    long startSecond = WORLD.start().getEpochSecond();
    List<String> countries = List.of("DE", "FR", "ES", "IT", "NL", "PL", "SE", "GB");

    for (FraudUser user : WORLD.users()) {
      JsonNode row = JSON.readTree(user.toJson());
      assertThat(fieldNames(row))
          .containsExactly("user_id", "country", "home", "segment", "updated_at");
      assertThat(row.get("user_id").asText()).isEqualTo(user.userId()).matches("U-\\d+");
      assertThat(row.get("country").asText()).isIn(countries);
      assertThat(row.get("home").get("lat").isNumber()).isTrue();
      assertThat(row.get("home").get("lon").isNumber()).isTrue();
      assertThat(row.get("segment").asText()).isIn("consumer", "business", "student");
      JsonNode updatedAt = row.get("updated_at");
      assertThat(updatedAt.isIntegralNumber()).isTrue();
      assertThat(updatedAt.asLong())
          .isLessThan(startSecond)
          .isGreaterThan(startSecond - 1_000 * 86_400L);
    }
    assertThat(WORLD.users().get(16).toJson())
        .startsWith("{\"user_id\":\"U-17\",\"country\":\"")
        .contains(",\"home\":{\"lat\":")
        .matches(".*\"updated_at\":\\d{10}}$");
  }

  @Test
  void shouldWriteTransactionsWithNestedFieldsAndTimesInSeconds() throws IOException {
    List<FraudTransaction> transactions = transactions();
    double start = WORLD.start().getEpochSecond();
    double end = WORLD.end().getEpochSecond();

    assertThat(transactions).hasSizeGreaterThan(20_000);
    for (FraudTransaction t : transactions.subList(0, 2_000)) {
      JsonNode txn = JSON.readTree(t.toJson());
      assertThat(fieldNames(txn))
          .containsExactly("txn_id", "user", "merchant", "amount", "location", "ts", "channel");
      assertThat(txn.get("txn_id").asText()).matches("T-\\d{6}");
      assertThat(txn.get("user").get("id").asText()).isEqualTo(t.userId());
      assertThat(txn.get("merchant").get("id").asText()).matches("M-\\d+");
      assertThat(txn.get("merchant").get("category").asText()).isIn(Geo.CATEGORIES);
      assertThat(txn.get("amount").get("value").decimalValue().doubleValue()).isEqualTo(t.amount());
      assertThat(txn.get("amount").get("currency").asText()).isEqualTo("EUR");
      assertThat(txn.get("location").get("lat").isNumber()).isTrue();
      assertThat(txn.get("location").get("lon").isNumber()).isTrue();
      assertThat(txn.get("channel").asText()).isIn("pos", "web", "app");
      JsonNode ts = txn.get("ts");
      assertThat(ts.isNumber()).isTrue();
      // Seconds with the milliseconds as a fraction, exactly.
      assertThat(ts.decimalValue().movePointRight(3).longValueExact()).isEqualTo(t.tsMillis());
      assertThat(ts.asDouble()).isBetween(start, end);
    }
    assertThat(transactions.get(0).txnId()).isEqualTo("T-000001");
    assertThat(
            new FraudTransaction(
                    "T-000123",
                    "U-17",
                    "M-3",
                    "electronics",
                    129.5,
                    "EUR",
                    52.5,
                    13.4,
                    1_767_225_600_125L,
                    "web",
                    false)
                .toJson())
        .isEqualTo(
            "{\"txn_id\":\"T-000123\",\"user\":{\"id\":\"U-17\"},\"merchant\":{\"id\":\"M-3\","
                + "\"category\":\"electronics\"},\"amount\":{\"value\":129.5,\"currency\":\"EUR\"},"
                + "\"location\":{\"lat\":52.5,\"lon\":13.4},\"ts\":1767225600.125,\"channel\":\"web\"}");
  }

  @Test
  void shouldKeepTheHistoryInEventTimeOrderWithUsersFirst() {
    long start = WORLD.start().toEpochMilli();
    long previous = Long.MIN_VALUE;
    int firstTransaction = -1;
    long number = 0;
    for (int i = 0; i < HISTORY.size(); i++) {
      FraudEvent event = HISTORY.get(i);
      assertThat(event.timeMillis()).isGreaterThanOrEqualTo(previous);
      previous = event.timeMillis();
      if (event instanceof FraudTransaction t) {
        firstTransaction = firstTransaction < 0 ? i : firstTransaction;
        assertThat(t.txnId()).isEqualTo(String.format("T-%06d", ++number));
        assertThat(t.tsMillis()).isBetween(start, END.toEpochMilli() - 1);
      }
    }
    assertThat(HISTORY.subList(0, 1_000)).allMatch(FraudUser.class::isInstance);
    assertThat(firstTransaction).isEqualTo(1_000);
  }

  @Test
  void shouldKeepEverydayTransactionsNearHomeAtTheUsersOwnMerchants() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    Map<String, Integer> perUserDay = new HashMap<>();
    List<Double> amounts = new ArrayList<>();

    for (FraudTransaction t : transactions()) {
      if (t.fraud()) {
        continue;
      }
      perUserDay.merge(userDay(t), 1, Integer::sum);
      double km = distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t);
      // Near home, or on a trip (more than 300 km away): nothing in between.
      assertThat(km < 30 || km > 300).as(t.toJson()).isTrue();
      if (km < 30) {
        assertThat(WORLD.ownMerchants(t.userId())).as(t.toJson()).contains(t.merchantId());
        amounts.add(t.amount());
      }
    }
    assertThat(perUserDay.values()).allMatch(n -> n >= 1 && n <= 4);
    assertThat(median(amounts)).isBetween(30.0, 55.0);
    for (FraudUser user : WORLD.users()) {
      assertThat(WORLD.ownMerchants(user.userId()).size()).isBetween(5, 60);
    }
  }

  @Test
  void shouldMakeAboutThreePercentOfLegitimateTransactionsWhileTravelling() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    List<FraudTransaction> legit = transactions().stream().filter(t -> !t.fraud()).toList();
    List<FraudTransaction> travel =
        legit.stream()
            .filter(t -> distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t) > 30)
            .toList();
    Map<String, List<FraudTransaction>> tripDays = new HashMap<>();
    travel.forEach(t -> tripDays.computeIfAbsent(userDay(t), d -> new ArrayList<>()).add(t));
    Map<String, Long> legitPerUserDay = new HashMap<>();
    legit.forEach(t -> legitPerUserDay.merge(userDay(t), 1L, Long::sum));
    Map<String, List<FraudTransaction>> byUser = byUser(legit);

    assertThat((double) travel.size() / legit.size()).isBetween(0.02, 0.045);
    for (FraudTransaction t : travel) {
      FraudUser home = versionAt(versions.get(t.userId()), t.tsMillis());
      assertThat(distanceKm(home, t)).as(t.toJson()).isGreaterThan(300);
      assertThat(WORLD.ownMerchants(t.userId())).as(t.toJson()).doesNotContain(t.merchantId());
      // Isolated: no other legitimate transaction of the user within 30 minutes (no burst).
      assertThat(byUser.get(t.userId()))
          .as(t.toJson())
          .noneMatch(o -> o != t && Math.abs(o.tsMillis() - t.tsMillis()) < 30 * 60_000L);
    }
    // Trips of 1-3 transactions at distinct merchants, a day away from home.
    for (Map.Entry<String, List<FraudTransaction>> day : tripDays.entrySet()) {
      List<FraudTransaction> trip = day.getValue();
      assertThat(trip.size()).as(day.getKey()).isBetween(1, 3);
      assertThat(legitPerUserDay.get(day.getKey())).as(day.getKey()).isEqualTo(trip.size());
      assertThat(trip.stream().map(FraudTransaction::merchantId).distinct()).hasSize(trip.size());
    }
    assertThat(tripDays.values()).anyMatch(trip -> trip.size() > 1);
    // Anywhere in the world, as far away as fraud comes from too.
    assertThat(travel)
        .anyMatch(t -> distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t) < 850)
        .anyMatch(t -> distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t) > 850);
    // Everyday amounts, a little higher.
    Set<FraudTransaction> away = new HashSet<>(travel);
    List<Double> home =
        legit.stream().filter(t -> !away.contains(t)).map(FraudTransaction::amount).toList();
    double ratio = median(travel.stream().map(FraudTransaction::amount).toList()) / median(home);
    assertThat(ratio).isBetween(1.0, 1.6);
  }

  @Test
  void shouldKeepFraudAtAboutHalfAPercentOfTransactionsOfThreePercentOfUsers() {
    List<FraudTransaction> frauds = frauds();
    List<Double> fraudAmounts = frauds.stream().map(FraudTransaction::amount).toList();
    List<Double> normalAmounts =
        transactions().stream().filter(t -> !t.fraud()).map(FraudTransaction::amount).toList();

    assertThat(WORLD.victims().size()).isBetween(15, 50);
    assertThat(WORLD.episodeCount()).isBetween(WORLD.victims().size(), 3 * WORLD.victims().size());
    assertThat(frauds.stream().map(FraudTransaction::userId).distinct().toList())
        .containsExactlyInAnyOrderElementsOf(WORLD.victims());
    assertThat(median(fraudAmounts)).isGreaterThan(3 * median(normalAmounts));
    double share = (double) frauds.size() / transactions().size();
    assertThat(share).isBetween(0.003, 0.008);
  }

  @Test
  void shouldCommitAboutAThirdOfFraudOnlineFromTheCardHoldersHomeArea() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    List<FraudTransaction> near =
        frauds().stream()
            .filter(t -> distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t) < 30)
            .toList();
    List<Double> legitAmounts =
        transactions().stream().filter(t -> !t.fraud()).map(FraudTransaction::amount).toList();

    assertThat(near).isNotEmpty().allMatch(t -> t.channel().equals("web"));
    // Bursts of 2-6 within 5 minutes.
    List<List<FraudTransaction>> episodes = new ArrayList<>();
    byUser(near).values().forEach(own -> episodes.addAll(runs(own, 5 * 60_000L)));
    assertThat(episodes).allSatisfy(run -> assertThat(run.size()).isBetween(2, 6));
    double share = (double) episodes.size() / WORLD.episodeCount();
    assertThat(share).isBetween(0.15, 0.5);
    List<Double> amounts = near.stream().map(FraudTransaction::amount).toList();
    assertThat(median(amounts)).isGreaterThan(2 * median(legitAmounts));
  }

  @Test
  void shouldCommitTheOtherFraudFarAwayInBurstsOrHoursApart() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    List<FraudTransaction> frauds = frauds();
    List<FraudTransaction> far = new ArrayList<>();
    int nearEpisodes = 0;
    for (List<FraudTransaction> own : byUser(frauds).values()) {
      List<FraudTransaction> nearOwn = new ArrayList<>();
      for (FraudTransaction t : own) {
        FraudUser home = versionAt(versions.get(t.userId()), t.tsMillis());
        if (distanceKm(home, t) < 30) {
          nearOwn.add(t);
          continue;
        }
        for (FraudUser everyHome : versions.get(t.userId())) {
          assertThat(distanceKm(everyHome, t)).as(t.toJson()).isGreaterThan(800);
        }
        far.add(t);
      }
      nearEpisodes += runs(nearOwn, 5 * 60_000L).size();
    }
    // A far run is a burst of 3-8 within 2 minutes, or a lone transaction of slow fraud, hours
    // from any other fraud on the card.
    int bursts = 0;
    List<FraudTransaction> lone = new ArrayList<>();
    for (List<FraudTransaction> own : byUser(far).values()) {
      for (List<FraudTransaction> run : runs(own, 2 * 60_000L)) {
        if (run.size() == 1) {
          lone.add(run.get(0));
        } else {
          assertThat(run.size()).as(run.get(0).toJson()).isBetween(3, 8);
          bursts++;
        }
      }
    }
    assertThat(lone).isNotEmpty();
    Map<String, List<FraudTransaction>> fraudsByUser = byUser(frauds);
    for (FraudTransaction t : lone) {
      assertThat(fraudsByUser.get(t.userId()))
          .as(t.toJson())
          .noneMatch(o -> o != t && Math.abs(o.tsMillis() - t.tsMillis()) < 60 * 60_000L);
    }
    assertThat(bursts).isGreaterThan(lone.size());
    // A slow episode has one or two lone transactions.
    int known = nearEpisodes + bursts;
    assertThat(WORLD.episodeCount()).isBetween(known + (lone.size() + 1) / 2, known + lone.size());
  }

  @Test
  void shouldCommitFraudOnlyAtMerchantsTheUserNeverUsesLegitimately() {
    Map<String, Set<String>> legitMerchants = new HashMap<>();
    for (FraudTransaction t : transactions()) {
      if (!t.fraud()) {
        legitMerchants.computeIfAbsent(t.userId(), u -> new HashSet<>()).add(t.merchantId());
      }
    }

    for (FraudTransaction t : frauds()) {
      assertThat(WORLD.ownMerchants(t.userId())).as(t.toJson()).doesNotContain(t.merchantId());
      assertThat(legitMerchants.getOrDefault(t.userId(), Set.of()))
          .as(t.toJson())
          .doesNotContain(t.merchantId());
    }
  }

  @Test
  void shouldNotMakeFraudSeparableByDistanceFromHomeAlone() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    int fraud = 0;
    int fraudFar = 0;
    int legit = 0;
    int legitFar = 0;
    for (FraudTransaction t : transactions()) {
      boolean far = distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t) > 300;
      if (t.fraud()) {
        fraud++;
        fraudFar += far ? 1 : 0;
      } else {
        legit++;
        legitFar += far ? 1 : 0;
      }
    }

    // A strong signal, but legitimate travel is far away too and online fraud is not.
    assertThat((double) fraudFar / fraud).isBetween(0.5, 0.9);
    assertThat((double) legitFar / legit).isBetween(0.02, 0.045);
  }

  @Test
  void shouldGiveMovingUsersTwoVersionsWithIncreasingUpdatedAt() {
    Map<String, List<FraudUser>> versions = versionsByUser();
    long start = WORLD.start().getEpochSecond();
    long end = WORLD.end().getEpochSecond();

    assertThat(WORLD.moves().size()).isBetween(60, 140);
    for (FraudUser moved : WORLD.moves()) {
      List<FraudUser> both = versions.get(moved.userId());
      assertThat(both).hasSize(2);
      assertThat(both.get(1)).isEqualTo(moved);
      assertThat(both.get(1).updatedAt()).isGreaterThan(both.get(0).updatedAt());
      assertThat(moved.updatedAt()).isBetween(start, end - 1);
      assertThat(moved.country()).isNotEqualTo(both.get(0).country());
      assertThat(moved.segment()).isEqualTo(both.get(0).segment());
    }
    long movers = versions.values().stream().filter(v -> v.size() == 2).count();
    assertThat(movers).isEqualTo(WORLD.moves().size());
    assertThat(versions).hasSize(1_000);
  }

  @Test
  void shouldWriteLabelsThatLabelFileReads() throws IOException {
    FraudWorld small = FraudWorld.create(300, 20, 11, END);
    Map<String, Long> counts = FraudFiles.write(small, dir);
    List<FraudTransaction> transactions = small.transactions();

    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("user_id,ts,label,amount,lat,lon");
    List<LabelRow> rows = LabelFile.read(dir.resolve("labels.csv"));
    assertThat(rows).hasSize(transactions.size());
    assertThat(counts).containsEntry("transactions", (long) transactions.size());
    for (int i = 0; i < rows.size(); i++) {
      FraudTransaction t = transactions.get(i);
      LabelRow row = rows.get(i);
      assertThat(row.key()).isEqualTo(t.userId());
      assertThat(row.ts()).isEqualTo(t.tsMillis() - 1);
      assertThat(row.label()).isEqualTo(t.fraud() ? 1 : 0);
      assertThat(row.request())
          .isEqualTo(Map.of("amount", t.amount(), "lat", t.lat(), "lon", t.lon()));
    }
    assertThat(rows).anyMatch(r -> r.label() == 1);
    assertThat(Files.readAllLines(dir.resolve("transactions.jsonl")))
        .hasSize(transactions.size())
        .first()
        .isEqualTo(transactions.get(0).toJson());
    assertThat(Files.readAllLines(dir.resolve("users.jsonl")))
        .hasSize(300 + small.moves().size())
        .allMatch(line -> line.startsWith("{\"user_id\":"));
  }

  @Test
  void shouldPickThePartitionLibrdkafkaPicks() {
    // CRC32("123456789") = 0xCBF43926 = 3421780262, the standard check value: 3421780262 % 3 = 2.
    // Its top bit is set: masking it off (& 0x7fffffff) instead would give partition 0.
    assertThat(FraudKeys.librdkafkaPartition(bytes("123456789"), 3)).isEqualTo(2);
    // CRC32("U-17") = 0x93E25782 = 2481084290; CRC32("U-2") = 0x7DCB3E26 = 2110471718;
    // CRC32("U-1000") = 0x41B3AF59 = 1102294873.
    assertThat(FraudKeys.librdkafkaPartition(bytes("U-17"), 3)).isEqualTo(2);
    assertThat(FraudKeys.librdkafkaPartition(bytes("U-2"), 3)).isEqualTo(2);
    assertThat(FraudKeys.librdkafkaPartition(bytes("U-1000"), 3)).isEqualTo(1);
    assertThat(FraudKeys.librdkafkaPartition(bytes("U-17"), 1)).isZero();
    assertThat(FraudKeys.librdkafkaPartition(bytes("U-1000"), 6)).isEqualTo(1);
    assertThatThrownBy(() -> FraudKeys.librdkafkaPartition(new byte[0], 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeyATransactionInThreeWaysAThirdEach() {
    Map<FraudKeys.Style, Integer> styles = new EnumMap<>(FraudKeys.Style.class);
    var random = new SplittableRandom(1);
    for (FraudTransaction t : transactions().subList(0, 6_000)) {
      FraudKeys.Style style = FraudKeys.style(t.txnId());
      styles.merge(style, 1, Integer::sum);
      ProducerRecord<String, String> record = FraudKeys.record("transactions", t, 3, random);
      assertThat(record.topic()).isEqualTo("transactions");
      assertThat(record.value()).isEqualTo(t.toJson());
      switch (style) {
        case TXN_ID -> {
          assertThat(record.key()).isEqualTo(t.txnId());
          assertThat(record.partition()).isNull();
        }
        case NULL -> {
          assertThat(record.key()).isNull();
          assertThat(record.partition()).isBetween(0, 2);
        }
        case USER_ID_LIBRDKAFKA -> {
          assertThat(record.key()).isEqualTo(t.userId());
          assertThat(record.partition())
              .isEqualTo(FraudKeys.librdkafkaPartition(bytes(t.userId()), 3));
        }
      }
    }
    assertThat(styles.values()).hasSize(3).allMatch(n -> n > 1_700 && n < 2_300);
  }

  @Test
  void shouldContinueLiveWithTheSameKindsOfTransactionAtTheRate() {
    FraudLive live = WORLD.live(END, 4);
    FraudLive again = WORLD.live(END, 4);
    List<FraudTransaction> transactions = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      FraudTransaction t = live.next();
      assertThat(again.next()).isEqualTo(t);
      assertThat(t.tsMillis()).isEqualTo(END.toEpochMilli() + i * 250L);
      assertThat(t.txnId()).isEqualTo(String.format("T-L%06d", i + 1));
      transactions.add(t);
    }
    Map<String, List<FraudUser>> versions = versionsByUser();
    List<FraudTransaction> frauds = transactions.stream().filter(FraudTransaction::fraud).toList();
    assertThat(frauds).hasSizeGreaterThan(20);
    int travel = 0;
    int online = 0;
    for (FraudTransaction t : transactions) {
      double km = distanceKm(versionAt(versions.get(t.userId()), t.tsMillis()), t);
      if (t.fraud() && km < 30) {
        assertThat(t.channel()).isEqualTo("web");
        online++;
      } else if (t.fraud()) {
        assertThat(km).isGreaterThan(800);
      } else if (km > 30) {
        assertThat(km).isGreaterThan(300);
        assertThat(WORLD.ownMerchants(t.userId())).doesNotContain(t.merchantId());
        travel++;
      } else {
        assertThat(WORLD.ownMerchants(t.userId())).contains(t.merchantId());
      }
    }
    assertThat(online).isPositive().isLessThan(frauds.size());
    assertThat((double) travel / (transactions.size() - frauds.size())).isBetween(0.01, 0.05);
    assertThatThrownBy(() -> WORLD.live(END.minusSeconds(1), 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldGenerateAThousandUsersOverThirtyDaysQuickly() {
    long started = System.nanoTime();
    long count;
    try (Stream<FraudEvent> history = FraudWorld.create(1_000, 30, 99, END).history()) {
      count = history.count();
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(count).isGreaterThan(20_000);
    assertThat(seconds).isLessThan(5);
  }

  @Test
  void shouldWriteTheFraudWorldFromTheCommandLine() throws IOException {
    var out = new StringWriter();
    var err = new StringWriter();
    var command = new CommandLine(new TesseraCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));

    int exit =
        command.execute(
            "produce",
            "--world",
            "fraud",
            "--users",
            "150",
            "--days",
            "10",
            "--seed",
            "5",
            "--end",
            END.toString(),
            "--out",
            dir.resolve("cli").toString(),
            "--count",
            "20",
            "--rate",
            "2");

    assertThat(exit).as(err.toString()).isZero();
    FraudWorld world = FraudWorld.create(150, 10, 5, END);
    FraudFiles.write(world, dir.resolve("direct"));
    assertThat(Files.readAllLines(dir.resolve("cli").resolve("users.jsonl")))
        .isEqualTo(Files.readAllLines(dir.resolve("direct").resolve("users.jsonl")));
    List<String> transactions =
        Files.readAllLines(dir.resolve("cli").resolve("transactions.jsonl"));
    List<String> history = Files.readAllLines(dir.resolve("direct").resolve("transactions.jsonl"));
    assertThat(transactions)
        .hasSize(history.size() + 20)
        .startsWith(history.toArray(String[]::new));
    assertThat(LabelFile.read(dir.resolve("cli").resolve("labels.csv")))
        .hasSize(history.size() + 20);
    assertThat(out.toString())
        .contains("World fraud: 150 users, 10 days")
        .contains("Live:    20 transactions from " + END)
        .contains("Wrote users.jsonl, transactions.jsonl and labels.csv");
  }

  private static List<FraudEvent> collect(FraudWorld world) {
    try (Stream<FraudEvent> history = world.history()) {
      return history.toList();
    }
  }

  private static List<String> json(FraudWorld world) {
    return collect(world).stream().map(FraudEvent::toJson).toList();
  }

  private static List<FraudTransaction> transactions() {
    return HISTORY.stream()
        .filter(FraudTransaction.class::isInstance)
        .map(FraudTransaction.class::cast)
        .toList();
  }

  private static List<FraudTransaction> frauds() {
    return transactions().stream().filter(FraudTransaction::fraud).toList();
  }

  private static Map<String, List<FraudTransaction>> byUser(List<FraudTransaction> transactions) {
    Map<String, List<FraudTransaction>> byUser = new HashMap<>();
    transactions.forEach(t -> byUser.computeIfAbsent(t.userId(), u -> new ArrayList<>()).add(t));
    return byUser;
  }

  /** Time-ordered transactions grouped into runs: each within {@code span} of its run's first. */
  private static List<List<FraudTransaction>> runs(List<FraudTransaction> ordered, long span) {
    List<List<FraudTransaction>> runs = new ArrayList<>();
    for (FraudTransaction t : ordered) {
      List<FraudTransaction> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && t.tsMillis() - last.get(0).tsMillis() < span) {
        last.add(t);
      } else {
        runs.add(new ArrayList<>(List.of(t)));
      }
    }
    return runs;
  }

  private static String userDay(FraudTransaction t) {
    return t.userId() + "/" + Math.floorDiv(t.tsMillis(), 86_400_000L);
  }

  /** Every version of every user's row, from the users records of the history, oldest first. */
  private static Map<String, List<FraudUser>> versionsByUser() {
    Map<String, List<FraudUser>> versions = new HashMap<>();
    for (FraudEvent e : HISTORY) {
      if (e instanceof FraudUser u) {
        versions.computeIfAbsent(u.userId(), id -> new ArrayList<>()).add(u);
      }
    }
    return versions;
  }

  private static FraudUser versionAt(List<FraudUser> versions, long t) {
    FraudUser at = versions.get(0);
    for (FraudUser v : versions) {
      if (v.timeMillis() <= t) {
        at = v;
      }
    }
    return at;
  }

  private static double distanceKm(FraudUser home, FraudTransaction t) {
    return Geo.haversineKm(home.homeLat(), home.homeLon(), t.lat(), t.lon());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
