package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.eb.EbEnvironment.Operation;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.eb.EbModel.EbVersion;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.Xml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * CreateApplicationVersion (with the source bundle read from the sandbox's S3 and processed as
 * Beanstalk processes it), DescribeApplicationVersions and DeleteApplicationVersion.
 */
final class VersionActions {
  private static final int MAX_VERSIONS = 1000;
  private final SandboxContext context;
  private final S3Store s3;
  private final Timeline timeline;

  VersionActions(SandboxContext context, S3Store s3, Timeline timeline) {
    this.context = context;
    this.s3 = s3;
    this.timeline = timeline;
  }

  QueryResult createApplicationVersion(QueryParams p, EbRegion r, String region, long now) {
    String appName = p.required("ApplicationName");
    String label = p.required("VersionLabel");
    p.length("ApplicationName", appName, 1, 100);
    p.length("VersionLabel", label, 1, 100);
    String description = p.get("Description");
    if (description != null) {
      p.length("Description", description, 0, 200);
    }
    EbApplication app = r.applications.get(appName);
    if (app == null && !p.bool("AutoCreateApplication", false)) {
      throw EbErrors.invalid("No Application named '" + appName + "' found.");
    }
    if (app != null && app.versions.containsKey(label)) {
      throw EbErrors.invalid("Application Version " + label + " already exists.");
    }
    if (r.versionCount() >= MAX_VERSIONS) {
      throw ApiException.badRequest(
          "TooManyApplicationVersionsException",
          "You cannot have more than " + MAX_VERSIONS + " Application Versions.");
    }
    String bucket = p.get("SourceBundle.S3Bucket");
    String key = p.get("SourceBundle.S3Key");
    byte[] bundle = null;
    if (bucket != null || key != null) {
      if (bucket == null || bucket.isEmpty()) {
        throw ApiException.missingParameter("SourceBundle.S3Bucket");
      }
      if (key == null || key.isEmpty()) {
        throw ApiException.missingParameter("SourceBundle.S3Key");
      }
      String bucketRegion = s3.bucketExists(bucket) ? s3.bucketRegion(bucket) : null;
      if (bucketRegion != null && !bucketRegion.equals(region)) {
        throw downloadError(bucket, key, "Moved Permanently");
      }
      bundle = s3.read(bucket, key).orElseThrow(() -> downloadError(bucket, key, "Not Found"));
    }
    Map<String, String> tags = p.tags("Tags");
    TagActions.checkTags(tags, TagActions.MAX_TAGS);
    if (app == null) {
      app = ApplicationActions.newApplication(appName, null, now);
      r.applications.put(appName, app);
    }
    EbVersion v = new EbVersion();
    v.label = label;
    v.description = description;
    v.bucket = bucket;
    v.key = key;
    v.created = now;
    v.updated = now;
    v.tags.putAll(tags);
    if (p.bool("Process", false)) {
      v.status = "PROCESSING";
      v.processedAt = timeline.at(now, Timeline.PROCESSING_SECONDS);
      if (context
          .faults()
          .take(Fault.Kind.VERSION_PROCESSING_FAILURE, f -> f.label().equals(label))) {
        v.failure =
            "Unable to process application version "
                + label
                + ": the sandbox injected a version-processing-failure fault.";
      } else if (bundle != null) {
        v.failure = EbBundleCheck.check(bundle, label);
      }
    } else {
      v.status = "UNPROCESSED";
    }
    app.versions.put(label, v);
    app.updated = now;
    String name = appName;
    return QueryResult.changed(
        x ->
            writeVersion(x.open("ApplicationVersion"), name, v, region)
                .close("ApplicationVersion"));
  }

  private static ApiException downloadError(String bucket, String key, String reason) {
    return ApiException.badRequest(
        "InvalidParameterCombination",
        "Unable to download from S3 location (Bucket: "
            + bucket
            + "  Key: "
            + key
            + "). Reason: "
            + reason);
  }

  QueryResult describeApplicationVersions(QueryParams p, EbRegion r, String region) {
    String appName = p.get("ApplicationName");
    List<String> labels = p.list("VersionLabels");
    record Row(String app, EbVersion v) {}
    List<Row> rows = new ArrayList<>();
    for (EbApplication a : r.applications.values()) {
      if (appName != null && !appName.equals(a.name)) {
        continue;
      }
      for (EbVersion v : a.versions.values()) {
        if (labels.isEmpty() || labels.contains(v.label)) {
          rows.add(new Row(a.name, v));
        }
      }
    }
    rows.sort(Comparator.comparingLong((Row row) -> row.v.created).reversed());
    QueryParams.Page<Row> page = p.page(rows);
    return QueryResult.read(
        x -> {
          x.open("ApplicationVersions");
          for (Row row : page.items()) {
            writeVersion(x.open("member"), row.app, row.v, region).close("member");
          }
          x.close("ApplicationVersions");
          x.element("NextToken", page.nextToken());
        });
  }

  private static Xml writeVersion(Xml x, String app, EbVersion v, String region) {
    x.element(
            "ApplicationVersionArn",
            "arn:aws:elasticbeanstalk:"
                + region
                + ":"
                + SandboxContext.ACCOUNT_ID
                + ":applicationversion/"
                + app
                + "/"
                + v.label)
        .element("ApplicationName", app)
        .element("Description", v.description)
        .element("VersionLabel", v.label);
    if (v.bucket != null) {
      x.open("SourceBundle")
          .element("S3Bucket", v.bucket)
          .element("S3Key", v.key)
          .close("SourceBundle");
    }
    return x.element("DateCreated", QueryResult.iso(v.created))
        .element("DateUpdated", QueryResult.iso(v.updated))
        .element("Status", v.status);
  }

  QueryResult deleteApplicationVersion(QueryParams p, EbRegion r) {
    String appName = p.required("ApplicationName");
    String label = p.required("VersionLabel");
    EbApplication app = r.applications.get(appName);
    if (app == null) {
      throw EbErrors.invalid("No Application named '" + appName + "' found.");
    }
    EbVersion v = app.versions.get(label);
    if (v == null) {
      throw EbErrors.invalid("No Application Version named '" + label + "' found.");
    }
    List<String> users = new ArrayList<>();
    for (EbEnvironment e : r.environments) {
      if (!e.application.equals(appName) || "Terminated".equals(e.status)) {
        continue;
      }
      Operation op = e.operation;
      if (op != null
          && (label.equals(op.targetLabel) || label.equals(op.previousLabel))
          && !"terminate".equals(op.kind)) {
        throw ApiException.badRequest(
            "OperationInProgressFailure",
            "Unable to delete application version: "
                + label
                + ". An operation is already in progress, please retry again shortly.");
      }
      if (label.equals(e.versionLabel)) {
        users.add(e.name);
      }
    }
    if (!users.isEmpty()) {
      throw EbErrors.invalid(
          "Unable to delete application version "
              + label
              + " because it is being used by environment(s): "
              + String.join(", ", users)
              + ".");
    }
    app.versions.remove(label);
    if (p.bool("DeleteSourceBundle", false) && v.bucket != null) {
      s3.deleteObject(v.bucket, v.key);
    }
    return QueryResult.changed(null);
  }
}
