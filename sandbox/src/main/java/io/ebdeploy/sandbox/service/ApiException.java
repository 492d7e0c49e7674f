package io.ebdeploy.sandbox.service;

/**
 * An error the emulated service answers with. Each API renders it in its own wire shape (Query XML,
 * JSON 1.1, S3 XML), never as a stack trace.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException missingParameter(String name) {
    return badRequest("MissingParameter", "The request must contain the parameter " + name);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
