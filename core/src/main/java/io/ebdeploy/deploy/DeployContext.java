package io.ebdeploy.deploy;

import io.ebdeploy.api.BundleInfo;
import java.time.Instant;
import java.util.List;

/**
 * What the steps share, immutable: each step returns a copy with what it learnt. Fields after
 * {@code startedAt} are null until the step that sets them has run.
 *
 * @param version what CreateApplicationVersionStep's check found: null for a new version, else the
 *     existing version's status
 */
record DeployContext(
    Engine.Request request,
    AwsClients aws,
    Emitter events,
    Pacing pacing,
    SourceBundle source,
    Instant startedAt,
    DiscoveredGroup group,
    GroupOrder order,
    String label,
    BundleInfo bundle,
    List<String> bundleEntries,
    boolean versionExists,
    String versionStatus,
    boolean uploadSkipped) {

  static DeployContext start(
      Engine.Request request, AwsClients aws, Emitter events, Pacing pacing, SourceBundle source) {
    return new DeployContext(
        request,
        aws,
        events,
        pacing,
        source,
        events.now(),
        null,
        null,
        null,
        null,
        List.of(),
        false,
        null,
        false);
  }

  DeployContext withGroup(DiscoveredGroup group, GroupOrder order) {
    return new DeployContext(
        request,
        aws,
        events,
        pacing,
        source,
        startedAt,
        group,
        order,
        label,
        bundle,
        bundleEntries,
        versionExists,
        versionStatus,
        uploadSkipped);
  }

  DeployContext withBundle(String label, BundleInfo bundle, List<String> bundleEntries) {
    return new DeployContext(
        request,
        aws,
        events,
        pacing,
        source,
        startedAt,
        group,
        order,
        label,
        bundle,
        bundleEntries,
        versionExists,
        versionStatus,
        uploadSkipped);
  }

  DeployContext withVersion(boolean versionExists, String versionStatus) {
    return new DeployContext(
        request,
        aws,
        events,
        pacing,
        source,
        startedAt,
        group,
        order,
        label,
        bundle,
        bundleEntries,
        versionExists,
        versionStatus,
        uploadSkipped);
  }

  DeployContext withUpload(BundleInfo bundle, boolean uploadSkipped) {
    return new DeployContext(
        request,
        aws,
        events,
        pacing,
        source,
        startedAt,
        group,
        order,
        label,
        bundle,
        bundleEntries,
        versionExists,
        versionStatus,
        uploadSkipped);
  }

  /** The object key of the bundle: {@code <application>/<label>-<sha8>.zip}. */
  static String bundleKey(String application, String label, String sha256) {
    return application + "/" + label + "-" + sha256.substring(0, 8) + ".zip";
  }
}
