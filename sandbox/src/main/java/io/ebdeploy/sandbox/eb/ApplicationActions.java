package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.eb.EbModel.EbVersion;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.Xml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** CreateApplication, DescribeApplications and CreateStorageLocation. */
final class ApplicationActions {
  private final S3Store s3;

  ApplicationActions(S3Store s3) {
    this.s3 = s3;
  }

  QueryResult createApplication(QueryParams p, EbRegion r, String region, long now) {
    String name = p.required("ApplicationName");
    p.length("ApplicationName", name, 1, 100);
    if (r.applications.containsKey(name)) {
      throw EbErrors.invalid("Application " + name + " already exists.");
    }
    EbApplication app = newApplication(name, p.get("Description"), now);
    Map<String, String> tags = p.tags("Tags");
    TagActions.checkTags(tags, TagActions.MAX_TAGS);
    app.tags.putAll(tags);
    r.applications.put(name, app);
    return QueryResult.changed(
        x -> writeApplication(x.open("Application"), app, region).close("Application"));
  }

  static EbApplication newApplication(String name, String description, long now) {
    EbApplication app = new EbApplication();
    app.name = name;
    app.description = description;
    app.created = now;
    app.updated = now;
    return app;
  }

  QueryResult describeApplications(QueryParams p, EbRegion r, String region) {
    List<String> names = p.list("ApplicationNames");
    List<EbApplication> apps = new ArrayList<>();
    for (EbApplication a : r.applications.values()) {
      if (names.isEmpty() || names.contains(a.name)) {
        apps.add(a);
      }
    }
    return QueryResult.read(
        x -> {
          x.open("Applications");
          for (EbApplication a : apps) {
            writeApplication(x.open("member"), a, region).close("member");
          }
          x.close("Applications");
        });
  }

  private static Xml writeApplication(Xml x, EbApplication a, String region) {
    x.element("ApplicationArn", a.arn(region))
        .element("ApplicationName", a.name)
        .element("Description", a.description)
        .element("DateCreated", QueryResult.iso(a.created))
        .element("DateUpdated", QueryResult.iso(a.updated));
    x.open("Versions");
    List<EbVersion> versions = new ArrayList<>(a.versions.values());
    versions.sort(Comparator.comparingLong((EbVersion v) -> v.created).reversed());
    for (EbVersion v : versions) {
      x.element("member", v.label);
    }
    x.close("Versions");
    x.open("ConfigurationTemplates").close("ConfigurationTemplates");
    x.open("ResourceLifecycleConfig").open("VersionLifecycleConfig");
    x.open("MaxCountRule")
        .element("Enabled", false)
        .element("MaxCount", 200)
        .element("DeleteSourceFromS3", false)
        .close("MaxCountRule");
    x.open("MaxAgeRule")
        .element("Enabled", false)
        .element("MaxAgeInDays", 180)
        .element("DeleteSourceFromS3", false)
        .close("MaxAgeRule");
    x.close("VersionLifecycleConfig").close("ResourceLifecycleConfig");
    return x;
  }

  static String storageBucket(String region) {
    return "elasticbeanstalk-" + region + "-" + SandboxContext.ACCOUNT_ID;
  }

  QueryResult createStorageLocation(String region) {
    String bucket = storageBucket(region);
    s3.ensureBucket(bucket, region);
    return QueryResult.read(x -> x.element("S3Bucket", bucket));
  }
}
