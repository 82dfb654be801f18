/**
 * A demo world for the card-fraud use case (Tecton's fraud demo): users with a home, their card
 * transactions (now and then on a trip far from home), fraud on some cards (far-away bursts, slow
 * far-away fraud, local online fraud), and a label per transaction, written to Kafka or to files.
 *
 * <ul>
 *   <li>{@link dev.tessera.serving.demo.fraud.FraudWorld}: the pure generator (history, labels,
 *       live continuation); no I/O.
 *   <li>{@link dev.tessera.serving.demo.fraud.FraudProducer}: writes a world to the {@code users}
 *       and {@code transactions} topics as JSON, keyed as {@link
 *       dev.tessera.serving.demo.fraud.FraudKeys} says.
 *   <li>{@link dev.tessera.serving.demo.fraud.FraudFiles}: writes it to JSON-lines files plus a
 *       labels CSV.
 * </ul>
 *
 * <p>The behaviour model, the record shapes and the label semantics are described in
 * docs/DEMO-WORLD.md.
 */
package dev.tessera.serving.demo.fraud;
