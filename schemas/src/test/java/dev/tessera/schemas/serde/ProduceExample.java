package dev.tessera.schemas.serde;

import dev.tessera.schemas.Order;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces one order to the {@code orders} topic: the Java example of schemas/README.md, compiled
 * with the tests so that it stays correct, but never run by them (it needs a broker).
 *
 * <p>Run against a local broker: {@code java -cp <test classpath>
 * dev.tessera.schemas.serde.ProduceExample 127.0.0.1:9092}.
 */
public final class ProduceExample {
  private ProduceExample() {}

  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "127.0.0.1:9092");

    Order order =
        Order.newBuilder()
            .setOrderId("o-1")
            .setCustomerId("C-1")
            .setOrderTs(Instant.parse("2026-11-22T10:00:00Z"))
            .setOrderTotal(42.5)
            .setProductCategory("books")
            .build(); // lat and lon are optional and stay null

    // Key: the entity key as a UTF-8 string. Value: Avro single-object encoding.
    try (KafkaProducer<String, Order> producer =
        new KafkaProducer<>(config, new StringSerializer(), EventSerdes.orders().serializer())) {
      RecordMetadata written =
          producer.send(new ProducerRecord<>("orders", order.getCustomerId(), order)).get();
      System.out.println("wrote " + EventSerdes.orders().toJson(order) + " at " + written);
    }
  }
}
