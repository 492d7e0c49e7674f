package io.ebdeploy.api;

import java.util.Objects;

/**
 * A setting and where it came from, as {@code -v} and {@code plan} show it: {@code eu-central-1
 * (from AWS_DEFAULT_REGION)}.
 *
 * @param value the setting
 * @param source what set it: a flag ({@code --region}), a file ({@code eb-deploy.yml}), a variable
 *     ({@code AWS_DEFAULT_REGION}), a profile ({@code profile ci in /home/me/.aws/config}) or
 *     {@code EC2 instance metadata}
 */
public record Sourced<T>(T value, String source) {
  public Sourced {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return value + " (from " + source + ")";
  }
}
