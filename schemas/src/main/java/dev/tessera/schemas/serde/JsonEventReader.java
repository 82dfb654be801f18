package dev.tessera.schemas.serde;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one JSON object into a generated Avro record, validating it against the record's schema:
 * strict, with errors a person producing with {@code kcat} or a script can act on.
 *
 * <ul>
 *   <li>Optional fields (unions with null) may be null or omitted; omitted fields take the schema
 *       default. A field without default must be present and not null.
 *   <li>Unknown fields are rejected, so that a typo is not silently dropped.
 *   <li>{@code timestamp-millis}: epoch milliseconds, or an ISO-8601 string with offset such as
 *       {@code 2026-11-22T10:15:30Z} or {@code 2026-11-22T11:15:30.250+01:00}.
 *   <li>int and long: a JSON number without fraction; float and double: any JSON number; string: a
 *       JSON string. No conversions between strings and numbers.
 *   <li>Union values may be plain or wrapped the way Avro's JSON encoding does ({@code {"double":
 *       1.5}}).
 * </ul>
 *
 * <pre>{@code
 * JsonEventReader<Order> reader = JsonEventReader.of(Order.class);
 * Order order = reader.read("{\"order_id\":\"o-1\", ...}");
 * }</pre>
 *
 * <p>Thread-safe. Every failure is an {@link InvalidEventException} whose reason names the type and
 * the field path, e.g. {@code json: Prediction.features[2].value: expected a number, got string
 * "x"}.
 */
public final class JsonEventReader<T extends SpecificRecord> {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Exact decimals: 1.5 must not pass as a long, and 12.0 may.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private static final Pattern JACKSON_HINT = Pattern.compile(": enable `[^`]*` to allow.*$");
  private static final Pattern REDACTED_SOURCE = Pattern.compile("Source: REDACTED [^;]*; ");

  private final Class<T> type;
  private final String typeName;
  private final JsonConverters.JsonConverter converter;

  private JsonEventReader(Class<T> type, SpecificData model, Schema schema) {
    this.type = type;
    this.typeName = schema.getName();
    this.converter = JsonConverters.compile(schema, model);
  }

  /**
   * @throws IllegalArgumentException if the type's schema uses something without a JSON form here
   *     (bytes, fixed, logical types other than timestamp-millis, unions of several non-null types)
   */
  public static <T extends SpecificRecord> JsonEventReader<T> of(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    return of(type, model, model.getSchema(type));
  }

  static <T extends SpecificRecord> JsonEventReader<T> of(
      Class<T> type, SpecificData model, Schema schema) {
    return new JsonEventReader<>(type, model, schema);
  }

  /** Reads UTF-8 JSON (a leading byte order mark is allowed). */
  public T read(byte[] json) {
    JsonNode tree = parse(json);
    try {
      return type.cast(converter.convert(tree));
    } catch (JsonProblem p) {
      throw invalid(p.path() + ": " + p.getMessage(), null);
    }
  }

  public T read(String json) {
    return read(json.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode parse(byte[] json) {
    try (JsonParser parser = MAPPER.createParser(json)) {
      JsonNode tree;
      try {
        tree = MAPPER.readTree(parser);
      } catch (JsonProcessingException e) {
        throw invalid(": not valid JSON" + at(e.getLocation()) + ": " + withoutJacksonHints(e), e);
      }
      if (tree == null) {
        throw invalid(": no JSON value", null);
      }
      try {
        if (parser.nextToken() != null) {
          throw trailing(parser.currentTokenLocation(), null);
        }
      } catch (JsonProcessingException e) {
        throw trailing(e.getLocation(), e);
      }
      return tree;
    } catch (IOException e) {
      // Only closing could get here, and closing a parser over a byte array does not fail.
      throw invalid(": cannot read JSON: " + e.getMessage(), e);
    }
  }

  private InvalidEventException trailing(JsonLocation location, Throwable cause) {
    return invalid(
        ": unexpected content after the JSON object" + at(location) + " (one object per record)",
        cause);
  }

  private InvalidEventException invalid(String pathAndProblem, Throwable cause) {
    return new InvalidEventException("json: " + typeName + pathAndProblem, cause);
  }

  // Jackson's messages are good, but some speak to Java developers ("enable
  // `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow") or name a redacted source.
  private static String withoutJacksonHints(JsonProcessingException e) {
    return JACKSON_HINT
        .matcher(REDACTED_SOURCE.matcher(e.getOriginalMessage()).replaceAll(""))
        .replaceAll("");
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
