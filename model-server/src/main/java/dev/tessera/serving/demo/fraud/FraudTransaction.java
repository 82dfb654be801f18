package dev.tessera.serving.demo.fraud;

/**
 * A card transaction, on topic {@value FraudEvent#TRANSACTIONS}:
 *
 * <pre>
 * {"txn_id":"T-000123","user":{"id":"U-17"},"merchant":{"id":"M-3","category":"electronics"},
 *  "amount":{"value":129.5,"currency":"EUR"},"location":{"lat":52.5,"lon":13.4},
 *  "ts":1767225600.125,"channel":"web"}
 * </pre>
 *
 * (one line). Whether it is fraud is not in the JSON: that is the label.
 *
 * @param txnId {@code T-000001} … in time order over the history; {@code T-L000001} … live
 * @param userId the card holder
 * @param merchantId {@code M-<n>}
 * @param category the merchant's category
 * @param amount in EUR, 2 decimals
 * @param currency always {@code EUR}
 * @param lat where the card was used (the terminal, or the device for web and app), 4 decimals
 * @param lon longitude of the same
 * @param tsMillis event time, epoch millis (written as epoch seconds with a millisecond fraction)
 * @param channel {@code pos}, {@code web} or {@code app}
 * @param fraud whether it is part of a fraud episode
 */
public record FraudTransaction(
    String txnId,
    String userId,
    String merchantId,
    String category,
    double amount,
    String currency,
    double lat,
    double lon,
    long tsMillis,
    String channel,
    boolean fraud)
    implements FraudEvent {

  @Override
  public String topic() {
    return TRANSACTIONS;
  }

  @Override
  public long timeMillis() {
    return tsMillis;
  }

  @Override
  public String toJson() {
    return "{\"txn_id\":"
        + Json.string(txnId)
        + ",\"user\":{\"id\":"
        + Json.string(userId)
        + "},\"merchant\":{\"id\":"
        + Json.string(merchantId)
        + ",\"category\":"
        + Json.string(category)
        + "},\"amount\":{\"value\":"
        + Json.number(amount, 2)
        + ",\"currency\":"
        + Json.string(currency)
        + "},\"location\":{\"lat\":"
        + Json.number(lat, 4)
        + ",\"lon\":"
        + Json.number(lon, 4)
        + "},\"ts\":"
        + Json.seconds(tsMillis)
        + ",\"channel\":"
        + Json.string(channel)
        + "}";
  }

  /** The training label of this transaction ({@link FraudLabel#of}). */
  public FraudLabel label() {
    return FraudLabel.of(this);
  }
}
