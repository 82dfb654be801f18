package dev.tessera.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers as JSON in the API's error shape instead of its HTML pages: requests
 * Jetty refuses before any route sees them (a request target with an invalid escape such as {@code
 * %ZZ}, a NUL, headers too large, a bad chunk), and errors raised outside the routes. Their path
 * may not even parse, so they always get the MLflow shape {@code {"error_code", "message"}}; the
 * message is Jetty's reason, never a stack trace.
 */
final class JettyErrors extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  JettyErrors() {
    setShowStacks(false);
    setShowServlet(false);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.getOutputStream().write(body(code, message));
  }

  static byte[] body(int status, String reason) {
    String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    var out = new LinkedHashMap<String, String>();
    out.put("error_code", ErrorMapper.codeOf(status));
    out.put("message", "HTTP " + status + ": " + text);
    try {
      return JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      return ("{\"error_code\":\"BAD_REQUEST\",\"message\":\"HTTP " + status + "\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
