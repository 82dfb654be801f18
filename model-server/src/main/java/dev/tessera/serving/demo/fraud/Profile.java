package dev.tessera.serving.demo.fraud;

import dev.tessera.serving.demo.Randoms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One user of a {@link FraudWorld}, drawn from the world seed and the user's index alone: their row
 * (and the second version if they move), their merchants, how often and how much they spend, how
 * often they travel, and when and how their card is abused, if ever. Makes the user's transactions;
 * pure.
 *
 * <p>Not everything unusual is fraud and not all fraud is unusual in the same way, so that a model
 * does not find fraud trivially separable:
 *
 * <ul>
 *   <li><b>Travel</b> (legitimate): for about 3% of their legitimate transactions a user is away
 *       for the day, in a city more than 300 km from home (any city of the world), at merchants of
 *       that city they never use otherwise: a trip of 1–3 transactions hours apart, for normal
 *       amounts (a little higher).
 *   <li><b>Fraud</b>, three kinds of episode ({@link Kind}): far-away bursts (3–8 transactions
 *       within 2 minutes more than 850 km from every home, 3–10 times the usual amount), slow fraud
 *       far away (1–2 transactions 2–8 hours apart, 2–6 times) and local online fraud (card not
 *       present: 2–6 {@code web} transactions within 5 minutes located at the card's billing
 *       address, less than 25 km from home, 2–6 times). Always at merchants the user never uses in
 *       legitimate life: a merchant is, per user, either one they may travel to or one their card
 *       may be abused at ({@link #fraudSide}).
 * </ul>
 */
final class Profile {
  static final long SECOND = 1000;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /** A far-away fraud burst lasts less than this. */
  static final long BURST_SPAN = 2 * MINUTE;

  /** A local online fraud episode lasts less than this. */
  static final long ONLINE_SPAN = 5 * MINUTE;

  /** The two transactions of a slow fraud episode are at least this far apart … */
  static final long SLOW_GAP_MIN = 2 * HOUR;

  /** … and less than this. */
  static final long SLOW_GAP_MAX = 8 * HOUR;

  /**
   * Everyday transactions (and local online fraud) are at most this far from home (the label
   * promises under 30 km).
   */
  static final double NEAR_HOME_KM = 25;

  /**
   * A trip goes to a city whose centre is at least this far from home, so that its transactions are
   * more than 300 km from home.
   */
  static final double TRAVEL_CITY_MIN_KM = 320;

  /** Far-away fraud comes from a city at least this far from every home of the user. */
  static final double FRAUD_CITY_MIN_KM = 850;

  /** Transactions in a city (travel, far-away fraud) are at most this far from its centre. */
  static final double CITY_SPREAD_KM = 10;

  static final double MOVE_SHARE = 0.10;
  static final double VICTIM_SHARE = 0.03;

  /** The share of a user's legitimate transactions made while travelling. */
  static final double TRAVEL_SHARE = 0.03;

  /** The mean number of transactions of a trip (1–3, uniform). */
  static final double MEAN_TRIP_SIZE = 2;

  /** The share of fraud episodes that are local online fraud. */
  static final double ONLINE_SHARE = 0.30;

  /** The share of the other (far-away) episodes that are slow. */
  static final double SLOW_SHARE = 0.20;

  /** How often fraud insists on a category it prefers (of up to 20 picks). */
  private static final double RISKY_PREFERENCE = 0.7;

  static final String CURRENCY = "EUR";

  private static final long PROFILE_STREAM = 1;
  private static final long DAY_STREAM = 2;
  private static final long BURST_STREAM = 3;

  /** The kinds of fraud episode. */
  enum Kind {
    /** 3–8 transactions within 2 minutes in a city more than 850 km from every home. */
    BURST(BURST_SPAN),
    /** 1–2 transactions 2–8 hours apart in a city more than 850 km from every home. */
    SLOW(SLOW_GAP_MAX),
    /** Card not present: 2–6 web transactions within 5 minutes, located near home. */
    ONLINE(ONLINE_SPAN);

    /** The episode's transactions are in {@code [start, start + span)}. */
    final long span;

    Kind(long span) {
      this.span = span;
    }

    /** 30% online; of the rest (far away) 20% slow, 80% bursts. */
    static Kind draw(SplittableRandom r) {
      if (r.nextDouble() < ONLINE_SHARE) {
        return ONLINE;
      }
      return r.nextDouble() < SLOW_SHARE ? SLOW : BURST;
    }
  }

  /** A fraud episode: its first transaction is at {@code start} (epoch millis). */
  record Episode(long start, Kind kind) {}

  final int index;
  final String userId;
  private final long userSeed;
  final FraudUser first;

  /** The second version of the row, or null if the user does not move. */
  final FraudUser moved;

  private final int[] merchants;
  private final int[] movedMerchants;

  /** Mean transactions a day (Poisson, at most 4 a day). */
  final double perDay;

  private final double amountScale;
  private final double webShare;
  private final double appShare;

  /** The fraud episodes, oldest first; empty for most users. */
  final Episode[] episodes;

  private Profile(
      int index,
      long userSeed,
      FraudUser first,
      FraudUser moved,
      int[] merchants,
      int[] movedMerchants,
      double perDay,
      double amountScale,
      double webShare,
      double appShare,
      Episode[] episodes) {
    this.index = index;
    this.userId = first.userId();
    this.userSeed = userSeed;
    this.first = first;
    this.moved = moved;
    this.merchants = merchants;
    this.movedMerchants = movedMerchants;
    this.perDay = perDay;
    this.amountScale = amountScale;
    this.webShare = webShare;
    this.appShare = appShare;
    this.episodes = episodes;
  }

  /** User {@code index} (0-based: user {@code U-(index + 1)}) of a history {@code [start, end)}. */
  static Profile draw(long worldSeed, int index, long start, long end) {
    long userSeed = Randoms.memberSeed(worldSeed, index);
    SplittableRandom r = Randoms.derive(userSeed, PROFILE_STREAM, 0);
    String userId = "U-" + (index + 1);

    int country = r.nextInt(Geo.COUNTRIES.size());
    int city = Geo.homeCity(country, r.nextInt(Geo.CITIES_PER_COUNTRY));
    double[] home = home(city, r);
    double segmentPick = r.nextDouble();
    String segment = segmentPick < 0.75 ? "consumer" : segmentPick < 0.90 ? "business" : "student";
    long startSecond = Math.floorDiv(start, SECOND);
    long signedUp = startSecond - 30 * 86_400L - r.nextLong(870 * 86_400L);
    var first =
        new FraudUser(userId, Geo.COUNTRIES.get(country), home[0], home[1], segment, signedUp);
    int[] merchants = merchants(city, r);

    double perDay = Math.min(3, Math.max(0.2, Randoms.logNormal(r, 1.3, 0.5)));
    double amountScale = Randoms.logNormal(r, 1, 0.35);
    double webShare = Randoms.uniform(r, 0.15, 0.45);
    double appShare = Randoms.uniform(r, 0, 0.25);

    FraudUser moved = null;
    int[] movedMerchants = null;
    if (r.nextDouble() < MOVE_SHARE) {
      int newCountry = (country + 1 + r.nextInt(Geo.COUNTRIES.size() - 1)) % Geo.COUNTRIES.size();
      int newCity = Geo.homeCity(newCountry, r.nextInt(Geo.CITIES_PER_COUNTRY));
      double[] newHome = home(newCity, r);
      // A whole second inside the history, a day away from either end when there is room.
      long low = -Math.floorDiv(-start, SECOND);
      long high = Math.floorDiv(end - 1, SECOND);
      if (high - low > 2 * 86_400L) {
        low += 86_400L;
        high -= 86_400L;
      }
      long at = low + r.nextLong(high - low + 1);
      moved =
          new FraudUser(userId, Geo.COUNTRIES.get(newCountry), newHome[0], newHome[1], segment, at);
      movedMerchants = merchants(newCity, r);
    }

    Episode[] episodes = new Episode[0];
    if (r.nextDouble() < VICTIM_SHARE) {
      double count = r.nextDouble();
      episodes = new Episode[count < 0.6 ? 1 : count < 0.9 ? 2 : 3];
      for (int k = 0; k < episodes.length; k++) {
        Kind kind = Kind.draw(r);
        // Whole inside the history (when it is long enough).
        episodes[k] = new Episode(start + r.nextLong(Math.max(1, end - start - kind.span)), kind);
      }
      Arrays.sort(episodes, Comparator.comparingLong(Episode::start));
    }
    return new Profile(
        index,
        userSeed,
        first,
        moved,
        merchants,
        movedMerchants,
        perDay,
        amountScale,
        webShare,
        appShare,
        episodes);
  }

  private static double[] home(int city, SplittableRandom r) {
    Geo.City c = Geo.CITIES.get(city);
    double jitter = Geo.HOME_JITTER_DEGREES;
    return new double[] {
      Geo.round(c.lat() + Randoms.uniform(r, -jitter, jitter), 4),
      Geo.round(c.lon() + Randoms.uniform(r, -jitter, jitter), 4)
    };
  }

  /** 5–30 distinct merchants of the city, favourites first. */
  private static int[] merchants(int city, SplittableRandom r) {
    int count = 5 + r.nextInt(26);
    int[] picked = new int[count];
    boolean[] taken = new boolean[Geo.MERCHANTS_PER_CITY];
    for (int i = 0; i < count; i++) {
      int j;
      do {
        j = r.nextInt(Geo.MERCHANTS_PER_CITY);
      } while (taken[j]);
      taken[j] = true;
      picked[i] = Geo.merchant(city, j);
    }
    return picked;
  }

  /**
   * The chance that one day (or one pick of the live phase, {@code perDay = 1}) is a trip, for
   * trips to make {@link #TRAVEL_SHARE} of the legitimate transactions of a user who otherwise
   * makes {@code perDay} a day: {@code q * m / (q * m + (1 - q) * perDay) = share}.
   */
  static double tripChance(double perDay) {
    return TRAVEL_SHARE * perDay / (MEAN_TRIP_SIZE * (1 - TRAVEL_SHARE) + TRAVEL_SHARE * perDay);
  }

  /** The version of the user's row in effect at {@code t} (epoch millis). */
  FraudUser versionAt(long t) {
    return moved != null && t >= moved.timeMillis() ? moved : first;
  }

  /** Every version of the row, oldest first. */
  List<FraudUser> versions() {
    return moved == null ? List.of(first) : List.of(first, moved);
  }

  /** Every merchant the user ever uses in everyday life (not on trips). */
  int[] ownMerchants() {
    if (movedMerchants == null) {
      return merchants.clone();
    }
    int[] all = Arrays.copyOf(merchants, merchants.length + movedMerchants.length);
    System.arraycopy(movedMerchants, 0, all, merchants.length, movedMerchants.length);
    return all;
  }

  private boolean isOwn(int merchant) {
    return contains(merchants, merchant)
        || (movedMerchants != null && contains(movedMerchants, merchant));
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether, for this user, {@code merchant} is one their card may be abused at rather than one
   * they may visit on a trip: half of the merchants each, differently for every user, so that fraud
   * is never at a merchant the user used legitimately and yet no merchant is a fraud-only one.
   */
  boolean fraudSide(int merchant) {
    return (Randoms.mix64(userSeed ^ Randoms.mix64(merchant)) & 1) == 1;
  }

  /**
   * The user's events in {@code [from, to)}, which lies within one UTC day: the new version of
   * their row if they move then, their everyday transactions or trip and the fraud on their card,
   * in no particular order. The transactions of a day are the same whatever part of it is asked
   * for.
   */
  void events(long from, long to, List<Draft> out) {
    if (moved != null && moved.timeMillis() >= from && moved.timeMillis() < to) {
      out.add(Draft.of(moved, index));
    }
    long epochDay = Math.floorDiv(from, DAY);
    long dayStart = epochDay * DAY;
    SplittableRandom r = Randoms.derive(userSeed, DAY_STREAM, epochDay);
    if (r.nextDouble() < tripChance(perDay)) {
      // Away for the day: the day's transactions are the trip's, from 08:00–14:00 UTC on.
      long t0 = dayStart + (long) (Randoms.uniform(r, 8, 14) * HOUR);
      addWithin(trip(t0, r.split()), from, to, out);
    } else {
      int count = Math.min(4, Randoms.poisson(r, perDay));
      for (int i = 0; i < count; i++) {
        // Mostly in the day (07:00–22:00 UTC), sometimes at any hour.
        double hours = r.nextDouble() < 0.85 ? Randoms.uniform(r, 7, 22) : r.nextDouble() * 24;
        long t = dayStart + (long) (hours * HOUR);
        SplittableRandom txn = r.split();
        if (t >= from && t < to) {
          out.add(normal(t, txn));
        }
      }
    }
    for (int k = 0; k < episodes.length; k++) {
      Episode e = episodes[k];
      if (e.start() < to && e.start() + e.kind().span > from) {
        addWithin(
            episode(e.kind(), e.start(), Randoms.derive(userSeed, BURST_STREAM, k)), from, to, out);
      }
    }
  }

  private static void addWithin(List<Draft> drafts, long from, long to, List<Draft> out) {
    for (Draft d : drafts) {
      if (d.time >= from && d.time < to) {
        out.add(d);
      }
    }
  }

  /** An everyday transaction at {@code t}: one of the user's merchants, near home. */
  Draft normal(long t, SplittableRandom r) {
    FraudUser home = versionAt(t);
    int[] own = moved != null && t >= moved.timeMillis() ? movedMerchants : merchants;
    // Favourites first: the square skews the pick towards the start of the list.
    double u = r.nextDouble();
    int merchant = own[(int) (own.length * u * u)];
    double[] at = Geo.near(home.homeLat(), home.homeLon(), NEAR_HOME_KM, r);
    double amount = Math.max(1, amountScale * Randoms.logNormal(r, 40, 0.75));
    double c = r.nextDouble();
    String channel = c < webShare ? "web" : c < webShare + appShare ? "app" : "pos";
    return Draft.of(index, userId, merchant, Geo.round(amount, 2), at[0], at[1], t, channel, false);
  }

  /**
   * A trip from {@code t0}: 1–3 legitimate transactions 1–4 hours apart (so never a burst) in a
   * city of the world whose centre is more than 320 km from home, at distinct merchants of it the
   * user never uses otherwise, for everyday amounts times 1–1.5, mostly at a terminal.
   */
  List<Draft> trip(long t0, SplittableRandom r) {
    int n = 1 + r.nextInt(3);
    long[] times = new long[n];
    times[0] = t0;
    for (int i = 1; i < n; i++) {
      times[i] = times[i - 1] + HOUR + r.nextLong(3 * HOUR);
    }
    FraudUser before = versionAt(times[0]);
    FraudUser after = versionAt(times[n - 1]);
    var homes = new ArrayList<double[]>();
    homes.add(new double[] {before.homeLat(), before.homeLon()});
    if (after != before) {
      homes.add(new double[] {after.homeLat(), after.homeLon()});
    }
    List<Integer> far = Geo.citiesFarFrom(homes, TRAVEL_CITY_MIN_KM);
    int city = far.get(r.nextInt(far.size()));
    Geo.City c = Geo.CITIES.get(city);
    var drafts = new ArrayList<Draft>(n);
    int[] used = new int[n];
    for (int i = 0; i < n; i++) {
      int merchant;
      do {
        merchant = freshMerchant(city, false, r);
      } while (contains(Arrays.copyOf(used, i), merchant));
      used[i] = merchant;
      double[] at = Geo.near(c.lat(), c.lon(), CITY_SPREAD_KM, r);
      double amount = amountScale * Randoms.logNormal(r, 40, 0.75) * Randoms.uniform(r, 1, 1.5);
      double ch = r.nextDouble();
      String channel = ch < 0.1 ? "web" : ch < 0.3 ? "app" : "pos";
      drafts.add(
          Draft.of(
              index,
              userId,
              merchant,
              Geo.round(Math.max(1, amount), 2),
              at[0],
              at[1],
              times[i],
              channel,
              false));
    }
    return drafts;
  }

  /**
   * A fraud episode of {@code kind} from {@code t0} (see {@link Kind}), at merchants the user never
   * uses, mostly in the categories fraud prefers.
   */
  List<Draft> episode(Kind kind, long t0, SplittableRandom r) {
    return switch (kind) {
      case BURST -> farAway(within(t0, 3 + r.nextInt(6), BURST_SPAN, r), 3, 10, r);
      case SLOW -> farAway(apart(t0, 1 + r.nextInt(2), r), 2, 6, r);
      case ONLINE -> online(within(t0, 2 + r.nextInt(5), ONLINE_SPAN, r), r);
    };
  }

  /** {@code n} sorted times in {@code [t0, t0 + span)}, the first {@code t0}. */
  private static long[] within(long t0, int n, long span, SplittableRandom r) {
    long[] times = new long[n];
    times[0] = t0;
    for (int i = 1; i < n; i++) {
      times[i] = t0 + r.nextLong(span);
    }
    Arrays.sort(times);
    return times;
  }

  /** {@code n} times from {@code t0}, each 2–8 hours after the one before. */
  private static long[] apart(long t0, int n, SplittableRandom r) {
    long[] times = new long[n];
    times[0] = t0;
    for (int i = 1; i < n; i++) {
      times[i] = times[i - 1] + SLOW_GAP_MIN + r.nextLong(SLOW_GAP_MAX - SLOW_GAP_MIN);
    }
    return times;
  }

  /**
   * Fraud at {@code times} in a city more than 850 km from every home the user has, within 10 km of
   * its centre, for {@code low}–{@code high} times a usual amount; mostly web and app.
   */
  private List<Draft> farAway(long[] times, double low, double high, SplittableRandom r) {
    var homes = new ArrayList<double[]>();
    for (FraudUser v : versions()) {
      homes.add(new double[] {v.homeLat(), v.homeLon()});
    }
    List<Integer> far = Geo.citiesFarFrom(homes, FRAUD_CITY_MIN_KM);
    int city = far.get(r.nextInt(far.size()));
    Geo.City c = Geo.CITIES.get(city);
    var drafts = new ArrayList<Draft>(times.length);
    for (long t : times) {
      int merchant = fraudMerchant(city, r);
      double[] at = Geo.near(c.lat(), c.lon(), CITY_SPREAD_KM, r);
      double ch = r.nextDouble();
      String channel = ch < 0.6 ? "web" : ch < 0.85 ? "app" : "pos";
      drafts.add(fraud(merchant, at, t, channel, low, high, r));
    }
    return drafts;
  }

  /**
   * Card-not-present fraud at {@code times}: web shops of any city, located at the card's billing
   * address (within 25 km of the home then), for 2–6 times a usual amount.
   */
  private List<Draft> online(long[] times, SplittableRandom r) {
    var drafts = new ArrayList<Draft>(times.length);
    for (long t : times) {
      int merchant = fraudMerchant(r.nextInt(Geo.CITIES.size()), r);
      FraudUser home = versionAt(t);
      double[] at = Geo.near(home.homeLat(), home.homeLon(), NEAR_HOME_KM, r);
      drafts.add(fraud(merchant, at, t, "web", 2, 6, r));
    }
    return drafts;
  }

  private Draft fraud(
      int merchant,
      double[] at,
      long t,
      String channel,
      double low,
      double high,
      SplittableRandom r) {
    double amount = amountScale * Randoms.logNormal(r, 40, 0.5) * Randoms.uniform(r, low, high);
    return Draft.of(
        index, userId, merchant, Geo.round(Math.max(3, amount), 2), at[0], at[1], t, channel, true);
  }

  /** A merchant of {@code city} for fraud: {@link #freshMerchant}, preferring risky categories. */
  private int fraudMerchant(int city, SplittableRandom r) {
    int merchant = freshMerchant(city, true, r);
    if (r.nextDouble() < RISKY_PREFERENCE) {
      for (int tries = 0;
          tries < 20 && !Geo.RISKY_CATEGORIES.contains(Geo.category(merchant));
          tries++) {
        merchant = freshMerchant(city, true, r);
      }
    }
    return merchant;
  }

  /**
   * A merchant of {@code city} that is not one of the user's everyday ones and is on the given
   * {@link #fraudSide}.
   */
  private int freshMerchant(int city, boolean forFraud, SplittableRandom r) {
    for (int tries = 0; tries < 64; tries++) {
      int merchant = Geo.merchant(city, r.nextInt(Geo.MERCHANTS_PER_CITY));
      if (!isOwn(merchant) && fraudSide(merchant) == forFraud) {
        return merchant;
      }
    }
    // Practically never: 64 misses in a pool that is mostly eligible. Take the first one in order.
    for (int j = 0; j < Geo.MERCHANTS_PER_CITY; j++) {
      int merchant = Geo.merchant(city, j);
      if (!isOwn(merchant) && fraudSide(merchant) == forFraud) {
        return merchant;
      }
    }
    throw new IllegalStateException("No merchant left in " + Geo.CITIES.get(city).name());
  }

  /** A record before it has its transaction id (ids follow the time order). */
  static final class Draft {
    final long time;
    final int user;
    private final FraudUser row;
    private final int merchant;
    private final String userId;
    private final double amount;
    private final double lat;
    private final double lon;
    private final String channel;
    private final boolean fraud;

    private Draft(
        long time,
        int user,
        FraudUser row,
        String userId,
        int merchant,
        double amount,
        double lat,
        double lon,
        String channel,
        boolean fraud) {
      this.time = time;
      this.user = user;
      this.row = row;
      this.userId = userId;
      this.merchant = merchant;
      this.amount = amount;
      this.lat = lat;
      this.lon = lon;
      this.channel = channel;
      this.fraud = fraud;
    }

    static Draft of(FraudUser row, int user) {
      return new Draft(row.timeMillis(), user, row, row.userId(), 0, 0, 0, 0, null, false);
    }

    static Draft of(
        int user,
        String userId,
        int merchant,
        double amount,
        double lat,
        double lon,
        long time,
        String channel,
        boolean fraud) {
      return new Draft(time, user, null, userId, merchant, amount, lat, lon, channel, fraud);
    }

    boolean isTransaction() {
      return row == null;
    }

    /** The record, with {@code txnId} if it is a transaction. */
    FraudEvent build(String txnId) {
      if (row != null) {
        return row;
      }
      return new FraudTransaction(
          txnId,
          userId,
          Geo.merchantId(merchant),
          Geo.category(merchant),
          amount,
          CURRENCY,
          lat,
          lon,
          time,
          channel,
          fraud);
    }

    /** The time this transaction would have at {@code t} instead (the live phase's clock). */
    Draft at(long t) {
      return new Draft(t, user, row, userId, merchant, amount, lat, lon, channel, fraud);
    }
  }
}
