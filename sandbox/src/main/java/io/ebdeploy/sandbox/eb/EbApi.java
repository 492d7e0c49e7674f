package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.Json;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.ServiceApi;
import io.ebdeploy.sandbox.service.TaggedResource;
import io.ebdeploy.sandbox.service.TaggedResources;
import io.ebdeploy.sandbox.service.Xml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The emulated Elastic Beanstalk: the AWS Query protocol in, XML out. Every request runs under one
 * lock: the model first advances to "now" ({@link Timeline}), then the action table below hands the
 * request to the class of its resource (applications, versions, environments, updates, events,
 * option settings, tags), then the model persists to {@code <stateDir>/eb.json} if it changed.
 */
public final class EbApi implements ServiceApi, TaggedResources {
  private static final String NS = "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/";
  private static final Set<String> HEALTHS = Set.of("Green", "Yellow", "Red", "Grey");
  private final SandboxContext context;
  private final Path stateFile;
  private final Object lock = new Object();
  private final EbModel model;
  private final Timeline timeline;
  private final ApplicationActions applications;
  private final VersionActions versions;
  private final EnvironmentActions environments;
  private final UpdateActions updates;
  private final TagActions tags;

  public EbApi(SandboxContext context, S3Store s3) {
    this.context = context;
    this.stateFile = context.stateDir() == null ? null : context.stateDir().resolve("eb.json");
    this.model = load();
    this.timeline = new Timeline(context, model);
    this.applications = new ApplicationActions(s3);
    this.versions = new VersionActions(context, s3, timeline);
    this.environments = new EnvironmentActions(model, s3, timeline);
    this.updates = new UpdateActions(context, timeline);
    this.tags = new TagActions(timeline);
  }

  /** Simulated behaviour of an environment's later deploys; null leaves a setting unchanged. */
  public void configureEnvironment(String name, Double deploySeconds, String health) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an environment needs a name");
    }
    if (deploySeconds != null && !(deploySeconds >= 0 && Double.isFinite(deploySeconds))) {
      throw new IllegalArgumentException(
          "deploySeconds " + deploySeconds + " must be a number of simulated seconds, 0 or more");
    }
    if (health != null && !HEALTHS.contains(health)) {
      throw new IllegalArgumentException(
          "health '" + health + "' must be Green, Yellow, Red or Grey");
    }
    synchronized (lock) {
      EbModel.Behaviour b = model.behaviours.computeIfAbsent(name, n -> new EbModel.Behaviour());
      if (deploySeconds != null) {
        b.deploySeconds = deploySeconds;
      }
      if (health != null) {
        b.health = health;
      }
      save();
    }
  }

  @Override
  public String service() {
    return "elasticbeanstalk";
  }

  @Override
  public String action(SandboxRequest request) {
    String action = form(request).get("Action");
    if (action == null || action.isEmpty()) {
      throw ApiException.badRequest("MissingAction", "Missing Action");
    }
    return action;
  }

  @Override
  public Map<String, Object> params(SandboxRequest request) {
    Map<String, Object> out = new TreeMap<>(form(request));
    out.remove("Action");
    out.remove("Version");
    return out;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request, String action) {
    QueryParams p = new QueryParams(form(request));
    String region = request.region();
    String requestId = UUID.randomUUID().toString();
    synchronized (lock) {
      long now = context.now();
      boolean changed = timeline.advance(now);
      QueryResult r;
      try {
        r = dispatch(action, p, region, requestId, now);
      } finally {
        // Advancing may have changed the model even when the action itself fails.
        if (changed) {
          save();
        }
      }
      if (r.changed()) {
        save();
      }
      Xml xml = new Xml().open(action + "Response", NS);
      if (r.body() != null) {
        xml.open(action + "Result");
        r.body().write(xml);
        xml.close(action + "Result");
      }
      xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
      xml.close(action + "Response");
      return SandboxResponse.xml(200, xml.toString()).header("x-amzn-RequestId", requestId);
    }
  }

  @Override
  public SandboxResponse error(SandboxRequest request, ApiException error, String requestId) {
    Xml xml =
        new Xml()
            .open("ErrorResponse", NS)
            .open("Error")
            .element("Type", error.status() >= 500 ? "Receiver" : "Sender")
            .element("Code", error.code())
            .element("Message", error.getMessage())
            .close("Error")
            .element("RequestId", requestId)
            .close("ErrorResponse");
    return SandboxResponse.xml(error.status(), xml.toString());
  }

  /** The action table: every action the sandbox answers, and what answers it. */
  private QueryResult dispatch(
      String action, QueryParams p, String region, String requestId, long now) {
    EbRegion r = model.region(region);
    return switch (action) {
      case "CreateApplication" -> applications.createApplication(p, r, region, now);
      case "DescribeApplications" -> applications.describeApplications(p, r, region);
      case "CreateStorageLocation" -> applications.createStorageLocation(region);
      case "CreateApplicationVersion" -> versions.createApplicationVersion(p, r, region, now);
      case "DescribeApplicationVersions" -> versions.describeApplicationVersions(p, r, region);
      case "DeleteApplicationVersion" -> versions.deleteApplicationVersion(p, r);
      case "CreateEnvironment" -> environments.createEnvironment(p, r, region, requestId, now);
      case "DescribeEnvironments" -> environments.describeEnvironments(p, r, now);
      case "TerminateEnvironment" -> environments.terminateEnvironment(p, r, requestId, now);
      case "UpdateEnvironment" -> updates.updateEnvironment(p, r, requestId, now);
      case "AbortEnvironmentUpdate" -> updates.abortEnvironmentUpdate(p, r, now);
      case "DescribeConfigurationSettings" -> OptionSettings.describeConfigurationSettings(p, r);
      case "DescribeEvents" -> EventActions.describeEvents(p, r);
      case "ListTagsForResource" -> tags.listTagsForResource(p, r, region);
      case "UpdateTagsForResource" -> tags.updateTagsForResource(p, r, region, requestId, now);
      default ->
          throw ApiException.badRequest(
              "InvalidAction", "The action " + action + " is not valid for this web service.");
    };
  }

  /**
   * The region's tagged applications and environments, recently terminated environments included
   * (the Tagging API keeps returning them for a while, as it does on AWS).
   */
  @Override
  public List<TaggedResource> taggedResources(String region) {
    synchronized (lock) {
      long now = context.now();
      if (timeline.advance(now)) {
        save();
      }
      EbRegion r = model.regions.get(region);
      return r == null ? List.of() : tags.taggedResources(r, region, now);
    }
  }

  private EbModel load() {
    if (stateFile == null || !Files.exists(stateFile)) {
      return new EbModel();
    }
    try {
      return Json.MAPPER.readValue(stateFile.toFile(), EbModel.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not read the sandbox's Elastic Beanstalk state "
              + stateFile
              + " (delete it to start afresh): "
              + e.getMessage(),
          e);
    }
  }

  private void save() {
    if (stateFile == null) {
      return;
    }
    try {
      Path tmp = stateFile.resolveSibling("eb.json.tmp");
      Files.write(tmp, Json.MAPPER.writeValueAsBytes(model));
      Files.move(
          tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not save " + stateFile + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> form(SandboxRequest request) {
    Map<String, String> out = new LinkedHashMap<>(request.query());
    out.putAll(SandboxRequest.parseForm(request.bodyText()));
    return out;
  }
}
