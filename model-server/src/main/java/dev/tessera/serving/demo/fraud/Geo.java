package dev.tessera.serving.demo.fraud;

import dev.tessera.serving.demo.Randoms;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The places of the fraud world: four real cities in each of the eight home countries, and a few
 * far-away places fraud comes from. Every city has its own pool of {@value #MERCHANTS_PER_CITY}
 * merchants, numbered by the city's position in {@link #CITIES}.
 */
final class Geo {
  /** Merchants {@code M-(c * 200 + 1) .. M-(c * 200 + 200)} are in city {@code c}. */
  static final int MERCHANTS_PER_CITY = 200;

  /** How far a user's home is from the centre of their city, at most, in degrees. */
  static final double HOME_JITTER_DEGREES = 0.3;

  private static final double EARTH_RADIUS_KM = 6371.0088;
  private static final double KM_PER_DEGREE = 111.195;

  /** A city: its country (ISO 3166 alpha-2) and centre. */
  record City(String name, String country, double lat, double lon) {}

  /** The home countries, in the order users draw them from. */
  static final List<String> COUNTRIES = List.of("DE", "FR", "ES", "IT", "NL", "PL", "SE", "GB");

  /** Home cities (four per country, in {@link #COUNTRIES} order), then the fraud-only places. */
  static final List<City> CITIES =
      List.of(
          new City("Berlin", "DE", 52.52, 13.405),
          new City("Munich", "DE", 48.1372, 11.5756),
          new City("Hamburg", "DE", 53.5511, 9.9937),
          new City("Cologne", "DE", 50.9375, 6.9603),
          new City("Paris", "FR", 48.8566, 2.3522),
          new City("Lyon", "FR", 45.764, 4.8357),
          new City("Marseille", "FR", 43.2965, 5.3698),
          new City("Toulouse", "FR", 43.6047, 1.4442),
          new City("Madrid", "ES", 40.4168, -3.7038),
          new City("Barcelona", "ES", 41.3874, 2.1686),
          new City("Valencia", "ES", 39.4699, -0.3763),
          new City("Seville", "ES", 37.3891, -5.9845),
          new City("Rome", "IT", 41.9028, 12.4964),
          new City("Milan", "IT", 45.4642, 9.19),
          new City("Naples", "IT", 40.8518, 14.2681),
          new City("Turin", "IT", 45.0703, 7.6869),
          new City("Amsterdam", "NL", 52.3676, 4.9041),
          new City("Rotterdam", "NL", 51.9244, 4.4777),
          new City("Utrecht", "NL", 52.0907, 5.1214),
          new City("The Hague", "NL", 52.0705, 4.3007),
          new City("Warsaw", "PL", 52.2297, 21.0122),
          new City("Krakow", "PL", 50.0647, 19.945),
          new City("Wroclaw", "PL", 51.1079, 17.0385),
          new City("Gdansk", "PL", 54.352, 18.6466),
          new City("Stockholm", "SE", 59.3293, 18.0686),
          new City("Gothenburg", "SE", 57.7089, 11.9746),
          new City("Malmo", "SE", 55.605, 13.0038),
          new City("Uppsala", "SE", 59.8586, 17.6389),
          new City("London", "GB", 51.5074, -0.1278),
          new City("Manchester", "GB", 53.4808, -2.2426),
          new City("Birmingham", "GB", 52.4862, -1.8904),
          new City("Glasgow", "GB", 55.8642, -4.2518),
          // Fraud comes from these too; nobody lives there.
          new City("Lagos", "NG", 6.5244, 3.3792),
          new City("Sao Paulo", "BR", -23.5505, -46.6333),
          new City("Manila", "PH", 14.5995, 120.9842),
          new City("Bucharest", "RO", 44.4268, 26.1025),
          new City("Kyiv", "UA", 50.4501, 30.5234),
          new City("Istanbul", "TR", 41.0082, 28.9784),
          new City("New York", "US", 40.7128, -74.006),
          new City("Lisbon", "PT", 38.7223, -9.1393));

  /** Home cities per country: indices into {@link #CITIES}. */
  static final int CITIES_PER_COUNTRY = 4;

  /**
   * Merchant categories and how often a merchant is of each: everyday spending first, then the
   * categories card fraud prefers (goods that resell).
   */
  static final List<String> CATEGORIES =
      List.of(
          "grocery",
          "restaurant",
          "fuel",
          "pharmacy",
          "fashion",
          "entertainment",
          "travel",
          "electronics",
          "jewelry",
          "gift_cards");

  private static final double[] CATEGORY_WEIGHTS = {26, 20, 10, 8, 10, 8, 5, 7, 3, 3};

  /** The categories fraudsters go for. */
  static final List<String> RISKY_CATEGORIES =
      List.of("travel", "electronics", "jewelry", "gift_cards");

  private Geo() {}

  /** Index into {@link #CITIES} of home city {@code k} (0..3) of country {@code country}. */
  static int homeCity(int country, int k) {
    return country * CITIES_PER_COUNTRY + k;
  }

  /** The merchant number of the {@code j}-th merchant (0-based) of city {@code city}. */
  static int merchant(int city, int j) {
    return city * MERCHANTS_PER_CITY + j + 1;
  }

  static String merchantId(int merchant) {
    return "M-" + merchant;
  }

  /**
   * The category of a merchant: fixed for the merchant number, the same in every world, by the
   * weights above.
   */
  static String category(int merchant) {
    double total = 0;
    for (double w : CATEGORY_WEIGHTS) {
      total += w;
    }
    double pick = (Randoms.mix64(merchant * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 * total;
    for (int i = 0; i < CATEGORY_WEIGHTS.length; i++) {
      pick -= CATEGORY_WEIGHTS[i];
      if (pick < 0) {
        return CATEGORIES.get(i);
      }
    }
    return CATEGORIES.get(CATEGORIES.size() - 1);
  }

  /** Great-circle distance in km. */
  static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /**
   * A point within {@code maxKm} of {@code (lat, lon)}, uniform over the disc, as {@code {lat,
   * lon}} rounded to 4 decimals (about 10 m).
   */
  static double[] near(double lat, double lon, double maxKm, SplittableRandom random) {
    double r = maxKm * Math.sqrt(random.nextDouble());
    double bearing = random.nextDouble() * 2 * Math.PI;
    double dLat = r * Math.cos(bearing) / KM_PER_DEGREE;
    double dLon = r * Math.sin(bearing) / (KM_PER_DEGREE * Math.cos(Math.toRadians(lat)));
    return new double[] {round(lat + dLat, 4), round(lon + dLon, 4)};
  }

  /** The cities at least {@code minKm} from every one of {@code places} ({@code {lat, lon}}). */
  static List<Integer> citiesFarFrom(List<double[]> places, double minKm) {
    var far = new ArrayList<Integer>();
    for (int c = 0; c < CITIES.size(); c++) {
      City city = CITIES.get(c);
      boolean farEnough = true;
      for (double[] p : places) {
        if (haversineKm(p[0], p[1], city.lat(), city.lon()) < minKm) {
          farEnough = false;
          break;
        }
      }
      if (farEnough) {
        far.add(c);
      }
    }
    return far;
  }

  /** {@code value} rounded half up to {@code decimals} decimals. */
  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
