/**
 * A demo world for the churn use case: customers whose orders and clicks follow a hidden churn
 * propensity, with ground-truth labels, written to Kafka or to files.
 *
 * <ul>
 *   <li>{@link dev.tessera.serving.demo.world.ChurnWorld}: the pure generator (history, labels,
 *       live continuation); no I/O.
 *   <li>{@link dev.tessera.serving.demo.world.WorldProducer}: writes a world to the Kafka topics.
 *   <li>{@link dev.tessera.serving.demo.world.WorldFiles}: writes it to JSON-lines files plus a
 *       labels CSV, and reads them back.
 * </ul>
 *
 * <p>The behaviour model, the file formats and the label semantics are described in
 * docs/DEMO-WORLD.md.
 */
package dev.tessera.serving.demo.world;
