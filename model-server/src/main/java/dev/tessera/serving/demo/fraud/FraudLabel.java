package dev.tessera.serving.demo.fraud;

/**
 * The training label of one transaction: features are wanted as of 1 ms before it (so they do not
 * count it), with its request fields. A row of {@code labels.csv}:
 *
 * <pre>
 * user_id,ts,label,amount,lat,lon
 * U-17,1767225600124,0,129.5,52.5,13.4
 * </pre>
 *
 * @param userId the entity key
 * @param ts the transaction's time minus 1 ms, epoch millis
 * @param label 1 if the transaction is fraud, else 0
 * @param amount the transaction's amount (a request field)
 * @param lat the transaction's latitude (a request field)
 * @param lon the transaction's longitude (a request field)
 */
public record FraudLabel(String userId, long ts, int label, double amount, double lat, double lon) {
  /** The CSV header, {@code user_id,ts,label,amount,lat,lon}. */
  public static final String CSV_HEADER = "user_id,ts,label,amount,lat,lon";

  public static FraudLabel of(FraudTransaction t) {
    return new FraudLabel(
        t.userId(), t.tsMillis() - 1, t.fraud() ? 1 : 0, t.amount(), t.lat(), t.lon());
  }

  /** This row as a line of {@code labels.csv} (no line break), numbers as in the JSON. */
  public String toCsv() {
    if (userId.matches(".*[,\"\\r\\n].*")) {
      throw new IllegalArgumentException(
          "User id " + userId + " cannot be written to CSV unquoted");
    }
    return userId
        + ","
        + ts
        + ","
        + label
        + ","
        + Json.number(amount, 2)
        + ","
        + Json.number(lat, 4)
        + ","
        + Json.number(lon, 4);
  }
}
