package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.ApiException;

/** Elastic Beanstalk's parameter errors, as the Query API words them. */
final class EbErrors {
  private EbErrors() {}

  static ApiException invalid(String message) {
    return ApiException.badRequest("InvalidParameterValue", message);
  }

  static ApiException validation(String message) {
    return ApiException.badRequest("ValidationError", "1 validation error detected: " + message);
  }

  static ApiException invalidToken() {
    return invalid("Invalid NextToken.");
  }
}
