package dev.tessera.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The reason of the {@link InvalidEventException} a call throws, failing if it throws none. */
final class Rejections {
  private Rejections() {}

  static String reason(ThrowingCallable call) {
    InvalidEventException e = catchThrowableOfType(InvalidEventException.class, call);
    assertThat(e).as("an InvalidEventException").isNotNull();
    assertThat(e.reason()).hasSizeLessThanOrEqualTo(InvalidEventException.MAX_REASON_LENGTH);
    assertThat(e.getMessage()).isEqualTo(e.reason());
    return e.reason();
  }

  static String reason(EventSerde<? extends SpecificRecord> serde, byte[] value) {
    return reason(() -> serde.deserializer().deserialize("test-topic", value));
  }

  static String reason(EventSerde<? extends SpecificRecord> serde, String json) {
    return reason(serde, json.getBytes(StandardCharsets.UTF_8));
  }
}
