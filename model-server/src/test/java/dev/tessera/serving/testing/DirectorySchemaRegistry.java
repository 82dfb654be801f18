package dev.tessera.serving.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A schema registry served from a directory: {@code GET /schemas/ids/<id>} answers {@code
 * <id>.avsc} as Confluent's Schema Registry answers it ({@code {"schema": "<the schema>"}}), 404
 * for an id without a file. Confluent's own registry is not on Maven Central nor in Debian, so the
 * tests speak its REST API to this one (see docs/FEATURES.md, "Schemas").
 */
public final class DirectorySchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  private DirectorySchemaRegistry(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code directory} on a loopback port of the kernel's choosing. */
  public static DirectorySchemaRegistry serve(Path directory) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/schemas/ids/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          Path file = directory.resolve(path.substring(path.lastIndexOf('/') + 1) + ".avsc");
          boolean found = Files.isRegularFile(file);
          byte[] body =
              JSON.writeValueAsBytes(
                  found
                      ? Map.of("schema", Files.readString(file, StandardCharsets.UTF_8))
                      : Map.of("error_code", 40403, "message", "Schema not found"));
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/vnd.schemaregistry.v1+json");
          exchange.sendResponseHeaders(found ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return new DirectorySchemaRegistry(server);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Registers {@code schema} under {@code id}: writes {@code <id>.avsc}. */
  public static void register(Path directory, int id, String schema) {
    try {
      Files.writeString(directory.resolve(id + ".avsc"), schema, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
