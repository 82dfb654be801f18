package dev.tessera.serving.demo.fraud;

/**
 * One record of a {@link FraudWorld}: a version of a user's row ({@link FraudUser}, topic {@value
 * #USERS}) or a card transaction ({@link FraudTransaction}, topic {@value #TRANSACTIONS}).
 *
 * <pre>{@code
 * world.history()
 *     .filter(e -> e instanceof FraudTransaction t && t.fraud())
 *     .forEach(e -> System.out.println(e.topic() + " " + e.toJson()));
 * }</pre>
 */
public sealed interface FraudEvent permits FraudUser, FraudTransaction {
  /** The compacted table of users, keyed by user id. */
  String USERS = "users";

  /** The transactions. */
  String TRANSACTIONS = "transactions";

  /** {@value #USERS} or {@value #TRANSACTIONS}. */
  String topic();

  /** The user the record is about: {@code U-17}. */
  String userId();

  /** Event time in epoch millis: when the user version took effect, when the card was used. */
  long timeMillis();

  /** The record's value as one line of JSON, fields in a fixed order. */
  String toJson();
}
