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
 * Writes a {@link FeatureTable} as CSV (header {@code <key>,ts,label,<columns>}, ts ISO-8601) or as
 * an Avro container file (record {@code TrainingRow}: key, ts as timestamp-millis, label, one
 * double per column), which Spark, pandas (fastavro) and DuckDB read directly.
 *
 * <pre>{@code
 * FeatureTableFiles.write(table, "customer_id", Path.of("train.csv"));
 * FeatureTableFiles.write(table, "customer_id", Path.of("train.avro"));
 * }</pre>
 */
public final class FeatureTableFiles {
  private FeatureTableFiles() {}

  /** Writes CSV, or Avro if the file name ends in {@code .avro}. */
  public static void write(FeatureTable table, String keyColumn, Path file) {
    try {
      if (file.getFileName().toString().endsWith(".avro")) {
        writeAvro(table, keyColumn, file);
      } else {
        writeCsv(table, keyColumn, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write training set " + file, e);
    }
  }

  private static void writeCsv(FeatureTable table, String keyColumn, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(keyColumn + ",ts,label");
      for (String c : table.columns()) {
        out.write("," + c);
      }
      out.newLine();
      for (int r = 0; r < table.rows(); r++) {
        out.write(table.keys().get(r));
        out.write("," + Instant.ofEpochMilli(table.times()[r]) + "," + table.labels()[r]);
        for (double v : table.values()[r]) {
          out.write(",");
          out.write(Double.isNaN(v) ? "" : Double.toString(v));
        }
        out.newLine();
      }
    }
  }

  /** The Avro schema of a table's rows. */
  public static Schema schema(FeatureTable table, String keyColumn) {
    var fields =
        SchemaBuilder.record("TrainingRow")
            .namespace("dev.tessera.offline")
            .doc("Point-in-time training row of feature service " + table.service())
            .fields()
            .requiredString(keyColumn)
            .name("ts")
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .requiredInt("label");
    for (String c : table.columns()) {
      fields = fields.requiredDouble(c);
    }
    return fields.endRecord();
  }

  private static void writeAvro(FeatureTable table, String keyColumn, Path file)
      throws IOException {
    Schema schema = schema(table, keyColumn);
    try (var writer = new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(schema))) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.create(schema, file.toFile());
      for (int r = 0; r < table.rows(); r++) {
        var row = new GenericData.Record(schema);
        row.put(keyColumn, table.keys().get(r));
        row.put("ts", table.times()[r]);
        row.put("label", table.labels()[r]);
        double[] values = table.values()[r];
        for (int c = 0; c < values.length; c++) {
          row.put(table.columns().get(c), values[c]);
        }
        writer.append(row);
      }
    }
  }
}
