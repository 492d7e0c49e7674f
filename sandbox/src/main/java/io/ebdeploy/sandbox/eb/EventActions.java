package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbModel.EbEvent;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** DescribeEvents: filters, severities, and pages newest first. */
final class EventActions {
  private static final List<String> SEVERITIES =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  private EventActions() {}

  static QueryResult describeEvents(QueryParams p, EbRegion r) {
    String appName = p.get("ApplicationName");
    String label = p.get("VersionLabel");
    String envId = p.get("EnvironmentId");
    String envName = p.get("EnvironmentName");
    String requestId = p.get("RequestId");
    String platformArn = p.get("PlatformArn");
    String template = p.get("TemplateName");
    String severity = p.get("Severity");
    int minSeverity = 0;
    if (severity != null) {
      minSeverity = SEVERITIES.indexOf(severity);
      if (minSeverity < 0) {
        throw EbErrors.validation(
            "Value '"
                + severity
                + "' at 'severity' failed to satisfy constraint: Member must satisfy enum value set:"
                + " [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]");
      }
    }
    Long start = p.time("StartTime");
    Long end = p.time("EndTime");
    List<EbEvent> out = new ArrayList<>();
    for (EbEvent ev : r.events) {
      if (appName != null && !appName.equals(ev.application)) {
        continue;
      }
      if (label != null && !label.equals(ev.versionLabel)) {
        continue;
      }
      if (envId != null && !envId.equals(ev.environmentId)) {
        continue;
      }
      if (envName != null && !envName.equals(ev.environment)) {
        continue;
      }
      if (requestId != null && !requestId.equals(ev.requestId)) {
        continue;
      }
      if (platformArn != null && !platformArn.equals(ev.platformArn)) {
        continue;
      }
      if (template != null) {
        continue;
      }
      if (SEVERITIES.indexOf(ev.severity) < minSeverity) {
        continue;
      }
      if (start != null && ev.date < start) {
        continue;
      }
      if (end != null && ev.date >= end) {
        continue;
      }
      out.add(ev);
    }
    // Newest first, as Beanstalk returns them; events of one instant keep their emission order.
    out.sort(
        Comparator.comparingLong((EbEvent ev) -> ev.date)
            .thenComparingLong(ev -> ev.seq)
            .reversed());
    int max = p.maxRecords();
    int from = 0;
    String token = p.get("NextToken");
    if (token != null && !token.isEmpty()) {
      String[] parts = QueryParams.decodeToken(token).split(":");
      if (parts.length != 3 || !parts[0].equals("event")) {
        throw EbErrors.invalidToken();
      }
      long date;
      long seq;
      try {
        date = Long.parseLong(parts[1]);
        seq = Long.parseLong(parts[2]);
      } catch (NumberFormatException ex) {
        throw EbErrors.invalidToken();
      }
      while (from < out.size()
          && (out.get(from).date > date
              || (out.get(from).date == date && out.get(from).seq >= seq))) {
        from++;
      }
    }
    int to = Math.min(out.size(), from + max);
    List<EbEvent> items = out.subList(from, to);
    String next = null;
    if (to < out.size()) {
      EbEvent last = items.get(items.size() - 1);
      next = QueryParams.encodeToken("event:" + last.date + ":" + last.seq);
    }
    String nextToken = next;
    return QueryResult.read(
        x -> {
          x.open("Events");
          for (EbEvent ev : items) {
            x.open("member")
                .element("EventDate", QueryResult.iso(ev.date))
                .element("Message", ev.message)
                .element("ApplicationName", ev.application)
                .element("VersionLabel", ev.versionLabel)
                .element("EnvironmentName", ev.environment)
                .element("PlatformArn", ev.platformArn)
                .element("RequestId", ev.requestId)
                .element("Severity", ev.severity)
                .close("member");
          }
          x.close("Events");
          x.element("NextToken", nextToken);
        });
  }
}
