package dev.tessera.serving.http;

/**
 * An HTTP error a handler throws on purpose; the {@link ErrorMapper} turns it into the JSON error
 * body {@code {"error_code": "...", "message": "..."}} with its status.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;
  private final Integer retryAfterSeconds;

  public ApiException(int status, String errorCode, String message, Integer retryAfterSeconds) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: the request is well-formed JSON but a value is wrong. */
  public static ApiException invalidParameter(String message) {
    return new ApiException(400, "INVALID_PARAMETER_VALUE", message, null);
  }

  /** 400: the body is not what the route accepts. */
  public static ApiException malformed(String message) {
    return new ApiException(400, "MALFORMED_REQUEST", message, null);
  }

  /** 401: no valid credentials; the mapper adds {@code WWW-Authenticate: Bearer}. */
  public static ApiException unauthenticated(String message) {
    return new ApiException(401, "UNAUTHENTICATED", message, null);
  }

  /** 403: valid credentials whose scope does not allow the route. */
  public static ApiException permissionDenied(String message) {
    return new ApiException(403, "PERMISSION_DENIED", message, null);
  }

  /** 404: the named resource does not exist. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "RESOURCE_DOES_NOT_EXIST", message, null);
  }

  /** 429: too many attempts; retry after the given seconds. */
  public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
    return new ApiException(429, "REQUEST_LIMIT_EXCEEDED", message, retryAfterSeconds);
  }

  /** 503: retry after the given seconds. */
  public static ApiException unavailable(String message, int retryAfterSeconds) {
    return new ApiException(503, "TEMPORARILY_UNAVAILABLE", message, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  /** Seconds for a Retry-After header, or null. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
