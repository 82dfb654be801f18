package dev.tessera.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.Order;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Values made by Python the way schemas/README.md tells producers to make them (fastavro with a
 * hand-built single-object header; json.dumps), committed as fixtures by make_order_fixtures.py.
 */
class PythonInteropTest {
  @Test
  void shouldReadSingleObjectAvroWrittenByFastavro() throws IOException {
    byte[] bytes = fixture("order-fastavro.bin");

    assertThat(EventSerdes.orders().deserializer().deserialize("orders", bytes))
        .isEqualTo(SampleEvents.order());
    assertThat(bytes)
        .as("byte for byte what the Java serializer writes")
        .isEqualTo(EventSerdes.orders().serializer().serialize("orders", SampleEvents.order()));
  }

  @Test
  void shouldReadJsonWrittenByJsonDumps() throws IOException {
    Order order =
        EventSerdes.orders().deserializer().deserialize("orders", fixture("order-python.json"));

    assertThat(order).isEqualTo(SampleEvents.order());
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = PythonInteropTest.class.getResourceAsStream("/interop/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
