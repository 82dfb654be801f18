package dev.tessera.serving.demo.fraud;

/**
 * A version of a user's row in the {@value FraudEvent#USERS} table:
 *
 * <pre>
 * {"user_id":"U-17","country":"DE","home":{"lat":52.52,"lon":13.405},"segment":"consumer","updated_at":1767225600}
 * </pre>
 *
 * @param userId {@code U-1} … {@code U-n}
 * @param country ISO 3166 alpha-2 code of the home country: DE, FR, ES, IT, NL, PL, SE or GB
 * @param homeLat home latitude, 4 decimals
 * @param homeLon home longitude, 4 decimals
 * @param segment {@code consumer}, {@code business} or {@code student}
 * @param updatedAt epoch seconds when this version took effect
 */
public record FraudUser(
    String userId, String country, double homeLat, double homeLon, String segment, long updatedAt)
    implements FraudEvent {

  @Override
  public String topic() {
    return USERS;
  }

  @Override
  public long timeMillis() {
    return updatedAt * 1000;
  }

  @Override
  public String toJson() {
    return "{\"user_id\":"
        + Json.string(userId)
        + ",\"country\":"
        + Json.string(country)
        + ",\"home\":{\"lat\":"
        + Json.number(homeLat, 4)
        + ",\"lon\":"
        + Json.number(homeLon, 4)
        + "},\"segment\":"
        + Json.string(segment)
        + ",\"updated_at\":"
        + updatedAt
        + "}";
  }
}
