package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.Xml;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What an action answers: the body of its {@code <ActionResult>} (none for actions that answer only
 * metadata), and whether the model changed and must be saved.
 */
record QueryResult(Body body, boolean changed) {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Writes the members of an action's result. */
  interface Body {
    void write(Xml xml);
  }

  static QueryResult read(Body body) {
    return new QueryResult(body, false);
  }

  static QueryResult changed(Body body) {
    return new QueryResult(body, true);
  }

  /** Dates as Beanstalk writes them: ISO-8601 UTC with milliseconds. */
  static String iso(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }
}
