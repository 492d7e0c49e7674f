package io.ebdeploy.assets;

import io.ebdeploy.assets.Remote.Manifests;
import io.ebdeploy.assets.Remote.RemoteObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which objects a release makes stale: those under the prefix that none of the kept manifests
 * references. Kept: this release, this scope's {@code keep - 1} releases before it, every other
 * scope's {@code keep} newest releases, and every pending manifest younger than a day (syncs in
 * progress). Nothing is deleted while this scope has fewer than {@code keep} releases recorded (the
 * releases before eb-deploy managed the prefix have no manifest, and a rollback to one of them
 * needs its files), nor when a manifest that counts cannot be read.
 */
final class Prune {
  /** The objects to delete, or why none. */
  record Stale(List<RemoteObject> objects, Optional<String> notDeleted, List<String> oldManifests) {
    long bytes() {
      return objects.stream().mapToLong(o -> Math.max(0, o.size())).sum();
    }

    static Stale none(String why) {
      return new Stale(List.of(), Optional.of(why), List.of());
    }
  }

  private Prune() {}

  static Stale compute(
      Map<String, RemoteObject> assets,
      Manifests manifests,
      Layout layout,
      String scope,
      String label,
      Set<String> current,
      int keep) {
    if (!manifests.errors().isEmpty()) {
      return Stale.none(
          "a manifest that protects files cannot be read, so nothing is deleted: "
              + manifests.errors().get(0));
    }
    String ownKey = layout.releaseKey(scope, label);
    String ownScope = Layout.segment(scope);
    Set<String> kept = new HashSet<>(current);
    List<String> oldManifests = new ArrayList<>();
    int recorded = 1;
    for (Map.Entry<String, List<String>> e : manifests.releasedByScope().entrySet()) {
      List<String> newest = e.getValue();
      boolean own = e.getKey().equals(ownScope);
      int limit = own ? keep - 1 : keep;
      int taken = 0;
      for (String key : newest) {
        if (own && key.equals(ownKey)) {
          continue;
        }
        if (taken < limit) {
          Manifest m = manifests.byKey().get(key);
          if (m != null) {
            kept.addAll(m.files().keySet());
          }
          taken++;
        } else if (own) {
          oldManifests.add(key);
        }
      }
      if (own) {
        recorded += taken;
      }
    }
    for (Map.Entry<String, Manifest> e : manifests.byKey().entrySet()) {
      if (Manifest.PENDING.equals(e.getValue().state())) {
        kept.addAll(e.getValue().files().keySet());
      }
    }
    if (recorded < keep) {
      return Stale.none(
          recorded
              + " of "
              + keep
              + " releases (static.keep-releases) are recorded for "
              + scope
              + "; nothing is deleted until there are "
              + keep
              + ", so that the files of the releases before stay for a rollback");
    }
    List<RemoteObject> stale = new ArrayList<>();
    for (RemoteObject o : assets.values()) {
      if (!kept.contains(o.rel())) {
        stale.add(o);
      }
    }
    return new Stale(stale, Optional.empty(), oldManifests);
  }
}
