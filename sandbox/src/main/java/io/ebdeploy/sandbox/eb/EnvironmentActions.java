package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbEnvironment.Operation;
import io.ebdeploy.sandbox.eb.EbEnvironment.Step;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An environment's life: CreateEnvironment (the launch), DescribeEnvironments and
 * TerminateEnvironment; and how an action finds the environment it names.
 */
final class EnvironmentActions {
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private final EbModel model;
  private final S3Store s3;
  private final Timeline timeline;

  EnvironmentActions(EbModel model, S3Store s3, Timeline timeline) {
    this.model = model;
    this.s3 = s3;
    this.timeline = timeline;
  }

  QueryResult createEnvironment(
      QueryParams p, EbRegion r, String region, String requestId, long now) {
    String appName = p.required("ApplicationName");
    String name = p.required("EnvironmentName");
    p.length("EnvironmentName", name, 4, 40);
    EbApplication app = r.applications.get(appName);
    if (app == null) {
      throw EbErrors.invalid("No Application named '" + appName + "' found.");
    }
    if (r.liveEnvironment(name) != null) {
      throw EbErrors.invalid("Environment " + name + " already exists.");
    }
    String label = p.get("VersionLabel");
    if (label != null && !app.versions.containsKey(label)) {
      throw EbErrors.invalid("No Application Version named '" + label + "' found.");
    }
    String tierName = p.get("Tier.Name", "WebServer");
    String tierType;
    if (tierName.equals("WebServer")) {
      tierType = p.get("Tier.Type", "Standard");
      if (!tierType.equals("Standard")) {
        throw EbErrors.invalid(
            "Invalid environment tier type '" + tierType + "' for tier WebServer.");
      }
    } else if (tierName.equals("Worker")) {
      tierType = p.get("Tier.Type", "SQS/HTTP");
      if (!tierType.equals("SQS/HTTP")) {
        throw EbErrors.invalid("Invalid environment tier type '" + tierType + "' for tier Worker.");
      }
    } else {
      throw EbErrors.invalid("Invalid environment tier name '" + tierName + "'.");
    }
    String[] platform = Platforms.platform(p, region);
    Map<String, String> tags = p.tags("Tags");
    TagActions.checkTags(tags, TagActions.MAX_USER_ENV_TAGS);
    EbEnvironment e = new EbEnvironment();
    e.seq = model.next();
    e.id = "e-" + Ids.random(ALNUM, 10);
    e.name = name;
    e.application = appName;
    e.region = region;
    e.description = p.get("Description");
    e.tierName = tierName;
    e.tierType = tierType;
    e.tierVersion = "1.0";
    e.solutionStack = platform[0];
    e.platformArn = platform[1];
    e.versionLabel = label;
    if (!e.worker()) {
      String prefix = p.get("CNAMEPrefix");
      if (prefix != null) {
        p.length("CNAMEPrefix", prefix, 4, 63);
      }
      e.cname =
          (prefix != null ? prefix : name + "." + Ids.random(ALNUM, 10))
              + "."
              + region
              + ".elasticbeanstalk.com";
      for (EbEnvironment other : r.environments) {
        if (other.live() && e.cname.equalsIgnoreCase(other.cname)) {
          throw EbErrors.invalid("DNS name (" + e.cname + ") is not available.");
        }
      }
      e.endpointUrl =
          "awseb-"
              + e.id
              + "-AWSEBLoa-"
              + Ids.random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12)
              + "-"
              + Ids.random("0123456789", 9)
              + "."
              + region
              + ".elb.amazonaws.com";
    }
    e.created = now;
    e.updated = now;
    e.status = "Launching";
    e.health = "Grey";
    e.healthStatus = "Pending";
    e.options = OptionSettings.defaults(e);
    OptionSettings.apply(e.options, p.options("OptionSettings"), p.optionKeys("OptionsToRemove"));
    e.tags.putAll(tags);
    Operation op = new Operation();
    op.kind = "launch";
    op.requestId = requestId;
    op.targetLabel = label;
    op.started = now;
    e.operation = op;
    s3.ensureBucket(ApplicationActions.storageBucket(region), region);
    double l = Timeline.LAUNCH_SECONDS;
    e.steps.add(new Step(now).event("INFO", "createEnvironment is starting."));
    e.steps.add(
        new Step(timeline.at(now, 0.02 * l))
            .event(
                "INFO",
                "Using "
                    + ApplicationActions.storageBucket(region)
                    + " as Amazon S3 storage bucket for environment data."));
    if (e.worker()) {
      e.steps.add(
          new Step(timeline.at(now, 0.2 * l))
              .event("INFO", "Created SQS queue named: " + e.workerQueueName() + "."));
    } else {
      e.steps.add(
          new Step(timeline.at(now, 0.3 * l))
              .event("INFO", "Created load balancer named: " + e.endpointUrl.split("\\.")[0]));
    }
    e.steps.add(
        new Step(timeline.at(now, 0.5 * l))
            .event("INFO", "Waiting for EC2 instances to launch. This may take a few minutes."));
    e.steps.add(
        new Step(timeline.at(now, 0.9 * l))
            .event("INFO", "Instance deployment completed successfully."));
    e.steps.add(
        new Step(timeline.at(now, l))
            .event("INFO", "Successfully launched environment: " + name)
            .status("Ready")
            .end());
    e.steps.add(new Step(timeline.at(now, 1.02 * l)).settle());
    r.environments.add(e);
    return QueryResult.changed(x -> writeEnvironment(x, e));
  }

  QueryResult describeEnvironments(QueryParams p, EbRegion r, long now) {
    String appName = p.get("ApplicationName");
    String label = p.get("VersionLabel");
    List<String> ids = p.list("EnvironmentIds");
    List<String> names = p.list("EnvironmentNames");
    boolean includeDeleted = p.bool("IncludeDeleted", true);
    Long backTo = p.time("IncludedDeletedBackTo");
    List<EbEnvironment> out = new ArrayList<>();
    for (EbEnvironment e : r.environments) {
      if (appName != null && !appName.equals(e.application)) {
        continue;
      }
      if (label != null && !label.equals(e.versionLabel)) {
        continue;
      }
      if (!ids.isEmpty() && !ids.contains(e.id)) {
        continue;
      }
      if (!names.isEmpty() && !names.contains(e.name)) {
        continue;
      }
      if ("Terminated".equals(e.status)) {
        if (!includeDeleted) {
          continue;
        }
        boolean visible =
            backTo != null ? e.terminated >= backTo : timeline.recentlyTerminated(e, now);
        if (!visible) {
          continue;
        }
      }
      out.add(e);
    }
    QueryParams.Page<EbEnvironment> page = p.page(out);
    return QueryResult.read(
        x -> {
          x.open("Environments");
          for (EbEnvironment e : page.items()) {
            writeEnvironment(x.open("member"), e).close("member");
          }
          x.close("Environments");
          x.element("NextToken", page.nextToken());
        });
  }

  static Xml writeEnvironment(Xml x, EbEnvironment e) {
    x.element("EnvironmentName", e.name)
        .element("EnvironmentId", e.id)
        .element("ApplicationName", e.application)
        .element("VersionLabel", e.versionLabel)
        .element("SolutionStackName", e.solutionStack)
        .element("PlatformArn", e.platformArn)
        .element("Description", e.description)
        .element("EndpointURL", e.endpointUrl)
        .element("CNAME", e.cname)
        .element("DateCreated", QueryResult.iso(e.created))
        .element("DateUpdated", QueryResult.iso(e.updated))
        .element("Status", e.status)
        .element("AbortableOperationInProgress", e.abortable)
        .element("Health", e.health)
        .element("HealthStatus", e.healthStatus);
    x.open("Tier")
        .element("Name", e.tierName)
        .element("Type", e.tierType)
        .element("Version", e.tierVersion)
        .close("Tier");
    x.open("EnvironmentLinks").close("EnvironmentLinks");
    return x.element("EnvironmentArn", e.arn());
  }

  static EbEnvironment target(QueryParams p, EbRegion r) {
    String id = p.get("EnvironmentId");
    String name = p.get("EnvironmentName");
    if (id != null) {
      for (EbEnvironment e : r.environments) {
        if (e.id.equals(id) && !"Terminated".equals(e.status)) {
          return e;
        }
      }
      throw EbErrors.invalid("No Environment found for EnvironmentId = '" + id + "'.");
    }
    if (name != null) {
      EbEnvironment e = r.liveEnvironment(name);
      if (e == null) {
        throw EbErrors.invalid("No Environment found for EnvironmentName = '" + name + "'.");
      }
      return e;
    }
    throw ApiException.badRequest(
        "MissingParameter",
        "The request must contain the parameter EnvironmentName or EnvironmentId.");
  }

  QueryResult terminateEnvironment(QueryParams p, EbRegion r, String requestId, long now) {
    EbEnvironment e = target(p, r);
    if ("Updating".equals(e.status) || "Aborting".equals(e.status)) {
      throw EbErrors.invalid(
          "Cannot terminate environment named " + e.name + ". It is currently pending deployment.");
    }
    if ("Terminating".equals(e.status)) {
      throw EbErrors.invalid(
          "Environment named "
              + e.name
              + " is in an invalid state for this operation. Must be Ready.");
    }
    e.begin("terminate", requestId, now, "Terminating");
    e.steps.add(new Step(now).event("INFO", "terminateEnvironment is starting."));
    Step done =
        new Step(timeline.at(now, Timeline.TERMINATE_SECONDS))
            .event("INFO", "terminateEnvironment completed successfully.")
            .status("Terminated")
            .health("Grey", null)
            .end();
    e.steps.add(done);
    return QueryResult.changed(x -> writeEnvironment(x, e));
  }
}
