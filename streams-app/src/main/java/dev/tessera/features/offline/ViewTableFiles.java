package dev.tessera.features.offline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes a {@link ViewTable} as CSV or, for a name ending in {@code .avro}, as an Avro container
 * file (record {@code ViewRow}), like {@link FeatureTableFiles}. Columns: the key, {@code as_of},
 * {@code found}, {@code event_time} (newest event behind the row; empty or null when none), then
 * every column of the view.
 *
 * <pre>{@code
 * ViewTableFiles.write(table, Path.of("customer_churn.csv"));
 * }</pre>
 */
public final class ViewTableFiles {
  private ViewTableFiles() {}

  /** Writes CSV, or Avro if the file name ends in {@code .avro}. */
  public static void write(ViewTable table, Path file) {
    try {
      if (file.getFileName().toString().endsWith(".avro")) {
        writeAvro(table, file);
      } else {
        writeCsv(table, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write view " + table.view() + " to " + file, e);
    }
  }

  private static void writeCsv(ViewTable table, Path file) throws IOException {
    String asOf = Instant.ofEpochMilli(table.asOf()).toString();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(table.keyColumn() + ",as_of,found,event_time");
      for (String c : table.columns()) {
        out.write("," + c);
      }
      out.newLine();
      for (int r = 0; r < table.rows(); r++) {
        long eventTime = table.eventTimes()[r];
        out.write(table.keys().get(r) + "," + asOf + "," + table.found()[r] + ",");
        out.write(
            eventTime == ViewTable.NO_EVENT ? "" : Instant.ofEpochMilli(eventTime).toString());
        for (double v : table.values()[r]) {
          out.write(",");
          out.write(Double.isNaN(v) ? "" : Double.toString(v));
        }
        out.newLine();
      }
    }
  }

  /** The Avro schema of a view table's rows. */
  public static Schema schema(ViewTable table) {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    var fields =
        SchemaBuilder.record("ViewRow")
            .namespace("dev.tessera.offline")
            .doc("Feature view " + table.view() + " as of one instant")
            .fields()
            .requiredString(table.keyColumn())
            .name("as_of")
            .type(millis)
            .noDefault()
            .requiredBoolean("found")
            .name("event_time")
            .type(SchemaBuilder.unionOf().nullType().and().type(millis).endUnion())
            .withDefault(null);
    for (String c : table.columns()) {
      fields = fields.requiredDouble(c);
    }
    return fields.endRecord();
  }

  private static void writeAvro(ViewTable table, Path file) throws IOException {
    Schema schema = schema(table);
    try (var writer = new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(schema))) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.create(schema, file.toFile());
      for (int r = 0; r < table.rows(); r++) {
        var row = new GenericData.Record(schema);
        row.put(table.keyColumn(), table.keys().get(r));
        row.put("as_of", table.asOf());
        row.put("found", table.found()[r]);
        long eventTime = table.eventTimes()[r];
        row.put("event_time", eventTime == ViewTable.NO_EVENT ? null : eventTime);
        double[] values = table.values()[r];
        for (int c = 0; c < values.length; c++) {
          row.put(table.columns().get(c), values[c]);
        }
        writer.append(row);
      }
    }
  }
}
