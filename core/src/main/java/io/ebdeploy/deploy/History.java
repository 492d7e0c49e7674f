package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's deploys and rollbacks, {@code history.json}: {@code {"entries": [...]}}, oldest
 * first, the last {@link #KEEP}. Appended with {@code If-Match} on the ETag read (or {@code
 * If-None-Match: *} for the first entry), retried on a conflict.
 */
final class History {
  private static final Logger LOG = LoggerFactory.getLogger(History.class);
  static final int KEEP = 100;
  static final String FAILED = "failed";

  private History() {}

  /** Newest first. */
  static List<HistoryEntry> read(GroupStore store) {
    return store.read(GroupStore.HISTORY).map(v -> entries(v.body())).orElse(List.of());
  }

  @SuppressWarnings("unchecked")
  private static List<HistoryEntry> entries(Map<String, Object> body) {
    List<HistoryEntry> out = new ArrayList<>();
    if (body.get("entries") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          out.add(0, parse((Map<String, Object>) m));
        }
      }
    }
    return out;
  }

  /** Appends one entry; returns false (logged) when it could not be written. */
  @SuppressWarnings("unchecked")
  static boolean append(GroupStore store, Map<String, Object> entry) {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Optional<GroupStore.Versioned> current = store.read(GroupStore.HISTORY);
        List<Object> list = new ArrayList<>();
        if (current.isPresent() && current.get().body().get("entries") instanceof List<?> l) {
          list.addAll(l);
        }
        String id = Records.string(entry, "id");
        if (list.stream()
            .anyMatch(o -> o instanceof Map<?, ?> m && id.equals(String.valueOf(m.get("id"))))) {
          return true; // written already (a retried finish)
        }
        list.add(entry);
        while (list.size() > KEEP) {
          list.remove(0);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", list);
        if (current.isPresent()) {
          store.replace(GroupStore.HISTORY, body, current.get().etag());
        } else {
          store.create(GroupStore.HISTORY, body);
        }
        return true;
      } catch (GroupStore.Conflict e) {
        // written by someone else meanwhile: read again
      } catch (RuntimeException e) {
        LOG.warn("could not write the history {}: {}", store.key(GroupStore.HISTORY), e.toString());
        if (attempt >= 2) {
          return false;
        }
      }
    }
    return false;
  }

  static Map<String, Object> entry(
      String id,
      String command,
      String label,
      String outcome,
      Instant startedAt,
      Instant finishedAt,
      String who,
      Optional<String> ciRunUrl,
      Map<String, String> previousLabels,
      Map<String, String> labelsAfter,
      Optional<String> reason,
      boolean recovered) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("command", command);
    m.put("label", label);
    m.put("outcome", outcome);
    m.put("startedAt", startedAt.toString());
    m.put("finishedAt", finishedAt.toString());
    m.put("who", who);
    m.put("ciRunUrl", ciRunUrl.orElse(null));
    m.put("previousLabels", new LinkedHashMap<>(previousLabels));
    m.put("labelsAfter", new LinkedHashMap<>(labelsAfter));
    m.put("consistentLabel", consistent(labelsAfter.values()).orElse(null));
    m.put("reason", reason.orElse(null));
    m.put("recovered", recovered);
    return m;
  }

  static HistoryEntry parse(Map<String, Object> m) {
    String consistent = Records.string(m, "consistentLabel");
    String reason = Records.string(m, "reason");
    String url = Records.string(m, "ciRunUrl");
    return new HistoryEntry(
        Records.string(m, "id"),
        Records.string(m, "command"),
        Records.string(m, "label"),
        Records.string(m, "outcome"),
        Records.instant(m, "startedAt"),
        Records.instant(m, "finishedAt"),
        Records.string(m, "who"),
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        Records.labels(m, "previousLabels"),
        Records.labels(m, "labelsAfter"),
        consistent.isEmpty() ? Optional.empty() : Optional.of(consistent),
        reason.isEmpty() ? Optional.empty() : Optional.of(reason),
        Boolean.TRUE.equals(m.get("recovered")));
  }

  /** The one non-empty label all run, or empty when they differ (or run none). */
  static Optional<String> consistent(Collection<String> labels) {
    HashSet<String> distinct = new HashSet<>(labels);
    if (distinct.size() != 1) {
      return Optional.empty();
    }
    String only = distinct.iterator().next();
    return only == null || only.isEmpty() ? Optional.empty() : Optional.of(only);
  }

  /**
   * Where {@code eb-deploy rollback} takes the group without {@code --to}: the last release on
   * which it was consistent, before the one it runs now.
   *
   * <p>Releases are the labels of the successful deploys, oldest first. When the group runs one
   * label L that is one of them, the target is the newest release deployed before L's newest deploy
   * with another label (so rollbacks walk back one release at a time: v3, v2, v1). When L is not
   * one of them, the newest release. When the group is split, the newest label on which any run
   * (deploy, rollback or recovery) left it consistent.
   *
   * @param newestFirst the history
   * @param current each environment's label now
   */
  static Optional<String> rollbackTarget(
      List<HistoryEntry> newestFirst, Map<String, String> current) {
    Optional<String> now = consistent(current.values());
    if (now.isEmpty()) {
      return newestFirst.stream()
          .map(HistoryEntry::consistentLabel)
          .flatMap(Optional::stream)
          .findFirst();
    }
    List<String> releases = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      HistoryEntry e = newestFirst.get(i);
      if ("deploy".equals(e.command()) && DeployOutcome.SUCCEEDED.wireName().equals(e.outcome())) {
        releases.add(e.label());
      }
    }
    int at = releases.lastIndexOf(now.get());
    for (int i = (at < 0 ? releases.size() : at) - 1; i >= 0; i--) {
      if (!releases.get(i).equals(now.get())) {
        return Optional.of(releases.get(i));
      }
    }
    return Optional.empty();
  }
}
