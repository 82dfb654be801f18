package dev.tessera.serving.http;

import dev.tessera.serving.inference.InvocationRow;
import java.util.List;

/**
 * An invocation in any request format, parsed and validated: the rows to score and the caller's
 * optional id (MLflow {@code client_request_id}, OIP {@code id}).
 */
record InvocationRequest(List<InvocationRow> rows, String clientRequestId) {
  InvocationRequest {
    rows = List.copyOf(rows);
  }
}
