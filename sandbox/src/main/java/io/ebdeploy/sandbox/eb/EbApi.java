package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.eb.EbEnvironment.Operation;
import io.ebdeploy.sandbox.eb.EbEnvironment.Step;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbEvent;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.eb.EbModel.EbVersion;
import io.ebdeploy.sandbox.eb.EbModel.Option;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulated Elastic Beanstalk: the AWS Query protocol in, XML out, and a model that advances
 * lazily to "now" at the start of every request (see {@link EbEnvironment}). Every request runs
 * under one lock; the model persists to {@code <stateDir>/eb.json} after every change.
 */
public final class EbApi implements ServiceApi, TaggedResources {
  static final String NS = "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/";

  // Simulated durations, in seconds of Beanstalk time; real time = these x timeScale.
  public static final double LAUNCH_SECONDS = 240;
  public static final double DEFAULT_DEPLOY_SECONDS = 60;
  public static final double TERMINATE_SECONDS = 120;
  public static final double ABORT_SECONDS = 20;
  public static final double TAG_UPDATE_SECONDS = 10;
  public static final double PROCESSING_SECONDS = 5;
  public static final double HEALTH_RECOVERY_SECONDS = 120;

  /** How long DescribeEnvironments and GetResources keep showing a terminated environment. */
  public static final double TERMINATED_VISIBLE_SECONDS = 3600;

  static final int MAX_VERSIONS = 1000;
  static final int MAX_USER_ENV_TAGS = 47;
  static final int MAX_TAGS = 50;

  public static final String UPDATE_FAILED =
      "Update environment operation is complete, but with errors. "
          + "For more information, see troubleshooting documentation.";
  public static final String ABORTED_DEPLOYMENT_WARNING =
      "During an aborted deployment, some instances may have deployed the new application version."
          + " To ensure all instances are running the same version, re-deploy the appropriate"
          + " application version.";
  static final String REVERTED =
      "The environment was reverted to the previous configuration setting.";

  private static final List<String> SEVERITIES =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
  private static final Set<String> HEALTHS = Set.of("Green", "Yellow", "Red", "Grey");
  private static final Pattern SOLUTION_STACK =
      Pattern.compile("64bit (.+?) v(\\d+\\.\\d+\\.\\d+) running (.+)");
  private static final Pattern PLATFORM_ARN =
      Pattern.compile(
          "arn:aws:elasticbeanstalk:([^:]*):[^:]*:platform/(.+) running on 64bit (.+)/(\\d+\\.\\d+\\.\\d+)");
  private static final Pattern RESOURCE_ARN =
      Pattern.compile("arn:aws:elasticbeanstalk:([^:]+):(\\d+):([a-z]+)/(.+)");
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final SandboxContext context;
  private final S3Store s3;
  private final Path stateFile;
  private final SecureRandom random = new SecureRandom();
  private final Object lock = new Object();
  private EbModel model;

  public EbApi(SandboxContext context, S3Store s3) {
    this.context = context;
    this.s3 = s3;
    this.stateFile = context.stateDir() == null ? null : context.stateDir().resolve("eb.json");
    this.model = load();
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
    Params p = new Params(form(request));
    String region = request.region();
    String requestId = UUID.randomUUID().toString();
    synchronized (lock) {
      long now = now();
      boolean changed = advance(now);
      Result r;
      try {
        r = dispatch(action, p, region, requestId, now);
      } finally {
        // Advancing may have changed the model even when the action itself fails.
        if (changed) {
          save();
        }
      }
      if (r.changed) {
        save();
      }
      Xml xml = new Xml().open(action + "Response", NS);
      if (r.body != null) {
        xml.open(action + "Result");
        r.body.write(xml);
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

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  private interface Body {
    void write(Xml xml);
  }

  private record Result(Body body, boolean changed) {
    static Result read(Body body) {
      return new Result(body, false);
    }

    static Result changed(Body body) {
      return new Result(body, true);
    }
  }

  private Result dispatch(String action, Params p, String region, String requestId, long now) {
    EbRegion r = model.region(region);
    return switch (action) {
      case "CreateApplication" -> createApplication(p, r, region, now);
      case "DescribeApplications" -> describeApplications(p, r, region);
      case "CreateStorageLocation" -> createStorageLocation(region);
      case "CreateApplicationVersion" -> createApplicationVersion(p, r, region, now);
      case "DescribeApplicationVersions" -> describeApplicationVersions(p, r, region);
      case "DeleteApplicationVersion" -> deleteApplicationVersion(p, r);
      case "CreateEnvironment" -> createEnvironment(p, r, region, requestId, now);
      case "DescribeEnvironments" -> describeEnvironments(p, r, now);
      case "UpdateEnvironment" -> updateEnvironment(p, r, requestId, now);
      case "AbortEnvironmentUpdate" -> abortEnvironmentUpdate(p, r, now);
      case "TerminateEnvironment" -> terminateEnvironment(p, r, requestId, now);
      case "DescribeEvents" -> describeEvents(p, r);
      case "DescribeConfigurationSettings" -> describeConfigurationSettings(p, r);
      case "ListTagsForResource" -> listTagsForResource(p, r, region);
      case "UpdateTagsForResource" -> updateTagsForResource(p, r, region, requestId, now);
      default ->
          throw ApiException.badRequest(
              "InvalidAction", "The action " + action + " is not valid for this web service.");
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Applications and storage

  private Result createApplication(Params p, EbRegion r, String region, long now) {
    String name = p.required("ApplicationName");
    p.length("ApplicationName", name, 1, 100);
    if (r.applications.containsKey(name)) {
      throw invalid("Application " + name + " already exists.");
    }
    EbApplication app = newApplication(name, p.get("Description"), now);
    Map<String, String> tags = p.tags("Tags");
    checkTags(tags, MAX_TAGS);
    app.tags.putAll(tags);
    r.applications.put(name, app);
    return Result.changed(
        x -> writeApplication(x.open("Application"), app, region).close("Application"));
  }

  private static EbApplication newApplication(String name, String description, long now) {
    EbApplication app = new EbApplication();
    app.name = name;
    app.description = description;
    app.created = now;
    app.updated = now;
    return app;
  }

  private Result describeApplications(Params p, EbRegion r, String region) {
    List<String> names = p.list("ApplicationNames");
    List<EbApplication> apps = new ArrayList<>();
    for (EbApplication a : r.applications.values()) {
      if (names.isEmpty() || names.contains(a.name)) {
        apps.add(a);
      }
    }
    return Result.read(
        x -> {
          x.open("Applications");
          for (EbApplication a : apps) {
            writeApplication(x.open("member"), a, region).close("member");
          }
          x.close("Applications");
        });
  }

  private Xml writeApplication(Xml x, EbApplication a, String region) {
    x.element("ApplicationArn", applicationArn(region, a.name))
        .element("ApplicationName", a.name)
        .element("Description", a.description)
        .element("DateCreated", iso(a.created))
        .element("DateUpdated", iso(a.updated));
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

  private Result createStorageLocation(String region) {
    String bucket = storageBucket(region);
    s3.ensureBucket(bucket, region);
    return Result.read(x -> x.element("S3Bucket", bucket));
  }

  // ---------------------------------------------------------------------------------------------
  // Application versions

  private Result createApplicationVersion(Params p, EbRegion r, String region, long now) {
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
      throw invalid("No Application named '" + appName + "' found.");
    }
    if (app != null && app.versions.containsKey(label)) {
      throw invalid("Application Version " + label + " already exists.");
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
    checkTags(tags, MAX_TAGS);
    if (app == null) {
      app = newApplication(appName, null, now);
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
      v.processedAt = at(now, PROCESSING_SECONDS);
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
    return Result.changed(
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

  private Result describeApplicationVersions(Params p, EbRegion r, String region) {
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
    Page<Row> page = page(rows, p);
    return Result.read(
        x -> {
          x.open("ApplicationVersions");
          for (Row row : page.items) {
            writeVersion(x.open("member"), row.app, row.v, region).close("member");
          }
          x.close("ApplicationVersions");
          x.element("NextToken", page.nextToken);
        });
  }

  private Xml writeVersion(Xml x, String app, EbVersion v, String region) {
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
    return x.element("DateCreated", iso(v.created))
        .element("DateUpdated", iso(v.updated))
        .element("Status", v.status);
  }

  private Result deleteApplicationVersion(Params p, EbRegion r) {
    String appName = p.required("ApplicationName");
    String label = p.required("VersionLabel");
    EbApplication app = r.applications.get(appName);
    if (app == null) {
      throw invalid("No Application named '" + appName + "' found.");
    }
    EbVersion v = app.versions.get(label);
    if (v == null) {
      throw invalid("No Application Version named '" + label + "' found.");
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
      throw invalid(
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
    return Result.changed(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Environments

  private Result createEnvironment(
      Params p, EbRegion r, String region, String requestId, long now) {
    String appName = p.required("ApplicationName");
    String name = p.required("EnvironmentName");
    p.length("EnvironmentName", name, 4, 40);
    EbApplication app = r.applications.get(appName);
    if (app == null) {
      throw invalid("No Application named '" + appName + "' found.");
    }
    if (liveByName(r, name) != null) {
      throw invalid("Environment " + name + " already exists.");
    }
    String label = p.get("VersionLabel");
    if (label != null && !app.versions.containsKey(label)) {
      throw invalid("No Application Version named '" + label + "' found.");
    }
    String tierName = p.get("Tier.Name", "WebServer");
    String tierType;
    if (tierName.equals("WebServer")) {
      tierType = p.get("Tier.Type", "Standard");
      if (!tierType.equals("Standard")) {
        throw invalid("Invalid environment tier type '" + tierType + "' for tier WebServer.");
      }
    } else if (tierName.equals("Worker")) {
      tierType = p.get("Tier.Type", "SQS/HTTP");
      if (!tierType.equals("SQS/HTTP")) {
        throw invalid("Invalid environment tier type '" + tierType + "' for tier Worker.");
      }
    } else {
      throw invalid("Invalid environment tier name '" + tierName + "'.");
    }
    String[] platform = platform(p, region);
    Map<String, String> tags = p.tags("Tags");
    checkTags(tags, MAX_USER_ENV_TAGS);
    EbEnvironment e = new EbEnvironment();
    e.seq = model.next();
    e.id = "e-" + randomString(ALNUM, 10);
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
          (prefix != null ? prefix : name + "." + randomString(ALNUM, 10))
              + "."
              + region
              + ".elasticbeanstalk.com";
      for (EbEnvironment other : r.environments) {
        if (other.live() && e.cname.equalsIgnoreCase(other.cname)) {
          throw invalid("DNS name (" + e.cname + ") is not available.");
        }
      }
      e.endpointUrl =
          "awseb-"
              + e.id
              + "-AWSEBLoa-"
              + randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12)
              + "-"
              + randomString("0123456789", 9)
              + "."
              + region
              + ".elb.amazonaws.com";
    }
    e.created = now;
    e.updated = now;
    e.status = "Launching";
    e.health = "Grey";
    e.healthStatus = "Pending";
    e.options = defaultOptions(e);
    applyOptions(e.options, p.options("OptionSettings"), p.optionKeys("OptionsToRemove"));
    e.tags.putAll(tags);
    Operation op = new Operation();
    op.kind = "launch";
    op.requestId = requestId;
    op.targetLabel = label;
    op.started = now;
    e.operation = op;
    s3.ensureBucket(storageBucket(region), region);
    double l = LAUNCH_SECONDS;
    e.steps.add(new Step(now).event("INFO", "createEnvironment is starting."));
    e.steps.add(
        new Step(at(now, 0.02 * l))
            .event(
                "INFO",
                "Using "
                    + storageBucket(region)
                    + " as Amazon S3 storage bucket for environment data."));
    if (e.worker()) {
      e.steps.add(
          new Step(at(now, 0.2 * l))
              .event("INFO", "Created SQS queue named: " + workerQueueName(e) + "."));
    } else {
      e.steps.add(
          new Step(at(now, 0.3 * l))
              .event("INFO", "Created load balancer named: " + e.endpointUrl.split("\\.")[0]));
    }
    e.steps.add(
        new Step(at(now, 0.5 * l))
            .event("INFO", "Waiting for EC2 instances to launch. This may take a few minutes."));
    e.steps.add(
        new Step(at(now, 0.9 * l)).event("INFO", "Instance deployment completed successfully."));
    e.steps.add(
        new Step(at(now, l))
            .event("INFO", "Successfully launched environment: " + name)
            .status("Ready")
            .end());
    e.steps.add(new Step(at(now, 1.02 * l)).settle());
    r.environments.add(e);
    return Result.changed(x -> writeEnvironment(x, e));
  }

  private static String workerQueueName(EbEnvironment e) {
    return "awseb-"
        + e.id
        + "-stack-AWSEBWorkerQueue-"
        + e.id.substring(2).toUpperCase(Locale.ROOT);
  }

  /** {solutionStack, platformArn} from SolutionStackName, PlatformArn or TemplateName. */
  private static String[] platform(Params p, String region) {
    String stack = p.get("SolutionStackName");
    String arn = p.get("PlatformArn");
    String template = p.get("TemplateName");
    if (stack != null && arn != null) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a solution stack name and a platform ARN.");
    }
    if (template != null && (stack != null || arn != null)) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a configuration template and a solution stack or platform.");
    }
    if (template != null) {
      // The sandbox has no saved configurations, so every template name is unknown.
      throw invalid("No Configuration Template named '" + template + "' found.");
    }
    if (stack != null) {
      Matcher m = SOLUTION_STACK.matcher(stack);
      if (!m.matches()) {
        throw invalid("No Solution Stack named '" + stack + "' found.");
      }
      return new String[] {
        stack,
        "arn:aws:elasticbeanstalk:"
            + region
            + "::platform/"
            + m.group(3)
            + " running on 64bit "
            + m.group(1)
            + "/"
            + m.group(2)
      };
    }
    if (arn != null) {
      Matcher m = PLATFORM_ARN.matcher(arn);
      if (!m.matches()) {
        throw invalid("No Platform named '" + arn + "' found.");
      }
      return new String[] {
        "64bit " + m.group(3) + " v" + m.group(4) + " running " + m.group(2), arn
      };
    }
    throw ApiException.badRequest(
        "InvalidParameterCombination",
        "No solution stack, platform ARN or configuration template was specified.");
  }

  private List<Option> defaultOptions(EbEnvironment e) {
    List<Option> o = new ArrayList<>();
    o.add(new Option("aws:autoscaling:asg", "MinSize", "1", "AWSEBAutoScalingGroup"));
    o.add(new Option("aws:autoscaling:asg", "MaxSize", "4", "AWSEBAutoScalingGroup"));
    o.add(new Option("aws:elasticbeanstalk:command", "DeploymentPolicy", "AllAtOnce", null));
    o.add(new Option("aws:elasticbeanstalk:command", "Timeout", "600", null));
    o.add(new Option("aws:elasticbeanstalk:command", "IgnoreHealthCheck", "false", null));
    o.add(new Option("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced", null));
    o.add(
        new Option("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced", null));
    if (e.worker()) {
      o.add(new Option("aws:elasticbeanstalk:sqsd", "HttpPath", "/", null));
      o.add(
          new Option(
              "aws:elasticbeanstalk:sqsd",
              "WorkerQueueURL",
              "https://sqs."
                  + e.region
                  + ".amazonaws.com/"
                  + SandboxContext.ACCOUNT_ID
                  + "/"
                  + workerQueueName(e),
              null));
    } else {
      o.add(
          new Option("aws:elasticbeanstalk:environment", "LoadBalancerType", "application", null));
    }
    return o;
  }

  private static void applyOptions(List<Option> target, List<Option> set, List<Option> remove) {
    for (Option r : remove) {
      target.removeIf(o -> o.sameKey(r.namespace, r.name, r.resource));
    }
    for (Option s : set) {
      boolean found = false;
      for (Option o : target) {
        if (o.namespace.equals(s.namespace) && o.name.equals(s.name)) {
          o.value = s.value;
          found = true;
        }
      }
      if (!found) {
        target.add(s.copy());
      }
    }
  }

  private Result describeEnvironments(Params p, EbRegion r, long now) {
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
        boolean visible = backTo != null ? e.terminated >= backTo : recentlyTerminated(e, now);
        if (!visible) {
          continue;
        }
      }
      out.add(e);
    }
    Page<EbEnvironment> page = page(out, p);
    return Result.read(
        x -> {
          x.open("Environments");
          for (EbEnvironment e : page.items) {
            writeEnvironment(x.open("member"), e).close("member");
          }
          x.close("Environments");
          x.element("NextToken", page.nextToken);
        });
  }

  boolean recentlyTerminated(EbEnvironment e, long now) {
    return e.terminated != null
        && now - e.terminated <= context.scaledMillis(TERMINATED_VISIBLE_SECONDS);
  }

  private Xml writeEnvironment(Xml x, EbEnvironment e) {
    x.element("EnvironmentName", e.name)
        .element("EnvironmentId", e.id)
        .element("ApplicationName", e.application)
        .element("VersionLabel", e.versionLabel)
        .element("SolutionStackName", e.solutionStack)
        .element("PlatformArn", e.platformArn)
        .element("Description", e.description)
        .element("EndpointURL", e.endpointUrl)
        .element("CNAME", e.cname)
        .element("DateCreated", iso(e.created))
        .element("DateUpdated", iso(e.updated))
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

  private EbEnvironment target(Params p, EbRegion r) {
    String id = p.get("EnvironmentId");
    String name = p.get("EnvironmentName");
    if (id != null) {
      for (EbEnvironment e : r.environments) {
        if (e.id.equals(id) && !"Terminated".equals(e.status)) {
          return e;
        }
      }
      throw invalid("No Environment found for EnvironmentId = '" + id + "'.");
    }
    if (name != null) {
      EbEnvironment e = liveByName(r, name);
      if (e == null) {
        throw invalid("No Environment found for EnvironmentName = '" + name + "'.");
      }
      return e;
    }
    throw ApiException.badRequest(
        "MissingParameter",
        "The request must contain the parameter EnvironmentName or EnvironmentId.");
  }

  private static EbEnvironment liveByName(EbRegion r, String name) {
    for (EbEnvironment e : r.environments) {
      if (e.name.equals(name) && !"Terminated".equals(e.status)) {
        return e;
      }
    }
    return null;
  }

  private Result updateEnvironment(Params p, EbRegion r, String requestId, long now) {
    EbEnvironment e = target(p, r);
    String label = p.get("VersionLabel");
    List<Option> set = p.options("OptionSettings");
    List<Option> remove = p.optionKeys("OptionsToRemove");
    String[] platform =
        p.get("SolutionStackName") != null || p.get("PlatformArn") != null
            ? platform(p, e.region)
            : null;
    if (p.get("TemplateName") != null) {
      platform(p, e.region);
    }
    if (!"Ready".equals(e.status)) {
      throw invalid(
          "Environment named "
              + e.name
              + " is in an invalid state for this operation. Must be Ready.");
    }
    EbApplication app = r.applications.get(e.application);
    if (label != null && (app == null || !app.versions.containsKey(label))) {
      throw invalid("No Application Version named '" + label + "' found.");
    }
    if (p.get("Description") != null) {
      e.description = p.get("Description");
    }
    if (label == null && set.isEmpty() && remove.isEmpty() && platform == null) {
      // A description-only change is applied at once, without an update.
      e.updated = now;
      return Result.changed(x -> writeEnvironment(x, e));
    }
    boolean deploy = label != null;
    boolean hang = context.faults().take(Fault.Kind.HANG, f -> e.name.equals(f.environment()));
    boolean fail =
        !hang
            && context
                .faults()
                .take(Fault.Kind.INSTANCE_FAILURE, f -> e.name.equals(f.environment()));
    Operation op = begin(e, deploy ? "deploy" : "configure", requestId, now, "Updating");
    op.targetLabel = deploy ? label : e.versionLabel;
    op.previousOptions = copy(e.options);
    op.previousSolutionStack = e.solutionStack;
    op.previousPlatformArn = e.platformArn;
    e.abortable = true;
    applyOptions(e.options, set, remove);
    if (platform != null) {
      e.solutionStack = platform[0];
      e.platformArn = platform[1];
    }
    if (deploy) {
      e.versionLabel = label;
    }
    double d = deploySeconds(e.name);
    if (!deploy) {
      d = d / 2;
    }
    if (deploy) {
      e.steps.add(new Step(now).event("INFO", "Environment update is starting."));
      e.steps.add(
          new Step(at(now, 0.1 * d)).event("INFO", "Deploying new version to instance(s)."));
    } else {
      e.steps.add(
          new Step(now)
              .event("INFO", "Updating environment " + e.name + "'s configuration settings."));
    }
    if (hang) {
      return Result.changed(x -> writeEnvironment(x, e));
    }
    if (fail) {
      String instance = "i-0" + randomString("0123456789abcdef", 16);
      if (deploy) {
        e.steps.add(
            new Step(at(now, 0.5 * d))
                .event("ERROR", "Instance deployment failed. For details, see 'eb-engine.log'."));
      }
      e.steps.add(
          new Step(at(now, 0.5 * d))
              .event(
                  "ERROR",
                  "[Instance: "
                      + instance
                      + "] Command failed on instance. Return code: 1 Output: Engine execution has"
                      + " encountered an error.."));
      e.steps.add(
          new Step(at(now, 0.55 * d))
              .event(
                  "INFO",
                  "Command execution completed on all instances. Summary: [Successful: 0, Failed: 1]."));
      e.steps.add(
          new Step(at(now, 0.6 * d))
              .event(
                  "ERROR",
                  "Unsuccessful command execution on instance id(s) '"
                      + instance
                      + "'. Aborting the operation."));
      e.steps.add(
          new Step(at(now, 0.6 * d))
              .event(
                  "ERROR",
                  deploy ? "Failed to deploy application." : "Failed to deploy configuration."));
      Step red = new Step(at(now, 0.7 * d)).health("Red", "Severe");
      red.severity = "WARN";
      red.message = "Command failed on all instances.";
      e.steps.add(red);
      if (!deploy) {
        e.steps.add(new Step(at(now, 0.75 * d)).event("INFO", REVERTED).restoreOptions());
      }
      e.steps.add(
          new Step(at(now, 0.8 * d))
              .event("ERROR", UPDATE_FAILED)
              .status("Ready")
              .abortable(false)
              .label(op.previousLabel)
              .restoreOptions()
              .end());
      e.steps.add(new Step(at(now, 0.8 * d + HEALTH_RECOVERY_SECONDS)).settle());
      return Result.changed(x -> writeEnvironment(x, e));
    }
    if (deploy) {
      e.steps.add(
          new Step(at(now, 0.8 * d)).event("INFO", "Instance deployment completed successfully."));
      e.steps.add(
          new Step(at(now, d))
              .event("INFO", "New application version was deployed to running EC2 instances."));
    } else {
      e.steps.add(
          new Step(at(now, d))
              .event("INFO", "Successfully deployed new configuration to environment."));
    }
    e.steps.add(
        new Step(at(now, d))
            .event("INFO", "Environment update completed successfully.")
            .status("Ready")
            .abortable(false)
            .end());
    e.steps.add(new Step(at(now, d)).settle());
    return Result.changed(x -> writeEnvironment(x, e));
  }

  /**
   * Starts an operation on a Ready environment: it keeps its label unless the caller changes the
   * target, takes the new status at once, and drops whatever steps were left.
   */
  private static Operation begin(
      EbEnvironment e, String kind, String requestId, long now, String status) {
    Operation op = new Operation();
    op.kind = kind;
    op.requestId = requestId;
    op.previousLabel = e.versionLabel;
    op.targetLabel = e.versionLabel;
    op.started = now;
    e.operation = op;
    e.steps.clear();
    e.status = status;
    e.abortable = false;
    e.updated = now;
    return op;
  }

  private Result abortEnvironmentUpdate(Params p, EbRegion r, long now) {
    EbEnvironment e = target(p, r);
    Operation op = e.operation;
    if (op == null
        || !e.abortable
        || !"Updating".equals(e.status)
        || !("deploy".equals(op.kind) || "configure".equals(op.kind))) {
      throw invalid(
          "Environment named "
              + e.name
              + " is in an invalid state for this operation. Must be pending deployment.");
    }
    e.steps.clear();
    e.status = "Aborting";
    e.abortable = false;
    e.updated = now;
    e.steps.add(
        new Step(now).event("INFO", "Abort environment update operation requested by user."));
    if ("deploy".equals(op.kind)) {
      e.steps.add(new Step(at(now, 0.5 * ABORT_SECONDS)).event("WARN", ABORTED_DEPLOYMENT_WARNING));
    }
    e.steps.add(
        new Step(at(now, ABORT_SECONDS))
            .event("INFO", REVERTED)
            .status("Ready")
            .label(op.previousLabel)
            .restoreOptions()
            .end());
    e.steps.add(new Step(at(now, ABORT_SECONDS)).settle());
    return Result.changed(null);
  }

  private Result terminateEnvironment(Params p, EbRegion r, String requestId, long now) {
    EbEnvironment e = target(p, r);
    if ("Updating".equals(e.status) || "Aborting".equals(e.status)) {
      throw invalid(
          "Cannot terminate environment named " + e.name + ". It is currently pending deployment.");
    }
    if ("Terminating".equals(e.status)) {
      throw invalid(
          "Environment named "
              + e.name
              + " is in an invalid state for this operation. Must be Ready.");
    }
    begin(e, "terminate", requestId, now, "Terminating");
    e.steps.add(new Step(now).event("INFO", "terminateEnvironment is starting."));
    Step done =
        new Step(at(now, TERMINATE_SECONDS))
            .event("INFO", "terminateEnvironment completed successfully.")
            .status("Terminated")
            .health("Grey", null)
            .end();
    e.steps.add(done);
    return Result.changed(x -> writeEnvironment(x, e));
  }

  // ---------------------------------------------------------------------------------------------
  // Events, configuration, tags

  private Result describeEvents(Params p, EbRegion r) {
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
        throw validation(
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
      String[] parts = decodeToken(token).split(":");
      if (parts.length != 3 || !parts[0].equals("event")) {
        throw invalidToken();
      }
      long date;
      long seq;
      try {
        date = Long.parseLong(parts[1]);
        seq = Long.parseLong(parts[2]);
      } catch (NumberFormatException ex) {
        throw invalidToken();
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
      next = encodeToken("event:" + last.date + ":" + last.seq);
    }
    String nextToken = next;
    return Result.read(
        x -> {
          x.open("Events");
          for (EbEvent ev : items) {
            x.open("member")
                .element("EventDate", iso(ev.date))
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

  private Result describeConfigurationSettings(Params p, EbRegion r) {
    String appName = p.required("ApplicationName");
    String template = p.get("TemplateName");
    String envName = p.get("EnvironmentName");
    if (template != null && envName != null) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a configuration template and an environment name.");
    }
    if (template != null) {
      throw invalid("No Configuration Template named '" + template + "' found.");
    }
    if (envName == null) {
      throw ApiException.missingParameter("EnvironmentName");
    }
    if (!r.applications.containsKey(appName)) {
      throw invalid("No Application named '" + appName + "' found.");
    }
    EbEnvironment e = liveByName(r, envName);
    if (e == null || !e.application.equals(appName)) {
      throw invalid("No Environment found for EnvironmentName = '" + envName + "'.");
    }
    return Result.read(
        x -> {
          x.open("ConfigurationSettings").open("member");
          x.element("SolutionStackName", e.solutionStack)
              .element("PlatformArn", e.platformArn)
              .element("ApplicationName", e.application)
              .element("Description", e.description)
              .element("EnvironmentName", e.name)
              .element("DeploymentStatus", "deployed")
              .element("DateCreated", iso(e.created))
              .element("DateUpdated", iso(e.updated));
          x.open("OptionSettings");
          for (Option o : e.options) {
            x.open("member")
                .element("ResourceName", o.resource)
                .element("Namespace", o.namespace)
                .element("OptionName", o.name)
                .element("Value", o.value)
                .close("member");
          }
          x.close("OptionSettings");
          x.close("member").close("ConfigurationSettings");
        });
  }

  /** What an ARN of ListTagsForResource / UpdateTagsForResource names. */
  private record Tagged(Map<String, String> tags, EbEnvironment environment, int limit) {}

  private Tagged tagged(String arn, EbRegion r, String region) {
    Matcher m = RESOURCE_ARN.matcher(arn);
    if (!m.matches()) {
      throw invalid("ARN '" + arn + "' is not a valid Elastic Beanstalk resource ARN.");
    }
    String type = m.group(3);
    String[] path = m.group(4).split("/", 2);
    boolean here = m.group(1).equals(region) && m.group(2).equals(SandboxContext.ACCOUNT_ID);
    ApiException notFound =
        ApiException.badRequest(
            "ResourceNotFoundException", "Resource with ARN " + arn + " not found.");
    switch (type) {
      case "environment" -> {
        if (!here || path.length != 2) {
          throw notFound;
        }
        EbEnvironment e = liveByName(r, path[1]);
        if (e == null || !e.application.equals(path[0])) {
          throw notFound;
        }
        return new Tagged(e.tags, e, MAX_USER_ENV_TAGS);
      }
      case "application" -> {
        EbApplication a = here ? r.applications.get(m.group(4)) : null;
        if (a == null) {
          throw notFound;
        }
        return new Tagged(a.tags, null, MAX_TAGS);
      }
      case "applicationversion" -> {
        EbApplication a = here && path.length == 2 ? r.applications.get(path[0]) : null;
        EbVersion v = a == null ? null : a.versions.get(path[1]);
        if (v == null) {
          throw notFound;
        }
        return new Tagged(v.tags, null, MAX_TAGS);
      }
      default ->
          throw ApiException.badRequest(
              "ResourceTypeNotSupportedException",
              "The resource type '" + type + "' is not supported by the sandbox's tagging.");
    }
  }

  private Result listTagsForResource(Params p, EbRegion r, String region) {
    String arn = p.required("ResourceArn");
    Tagged t = tagged(arn, r, region);
    Map<String, String> tags = t.environment != null ? t.environment.allTags() : t.tags;
    return Result.read(
        x -> {
          x.element("ResourceArn", arn);
          x.open("ResourceTags");
          tags.forEach(
              (k, v) -> x.open("member").element("Key", k).element("Value", v).close("member"));
          x.close("ResourceTags");
        });
  }

  private Result updateTagsForResource(
      Params p, EbRegion r, String region, String requestId, long now) {
    String arn = p.required("ResourceArn");
    Tagged t = tagged(arn, r, region);
    Map<String, String> add = p.tags("TagsToAdd");
    List<String> remove = p.list("TagsToRemove");
    checkTags(add, MAX_TAGS);
    for (String k : remove) {
      if (reserved(k)) {
        throw invalid(
            "Tag key '" + k + "' is reserved by Elastic Beanstalk and cannot be removed.");
      }
    }
    EbEnvironment e = t.environment;
    if (e != null && !"Ready".equals(e.status)) {
      throw ApiException.badRequest(
          "OperationInProgressFailure",
          "Unable to update tags of environment "
              + e.name
              + ": an operation is already in progress, please retry again shortly.");
    }
    Map<String, String> next = new LinkedHashMap<>(t.tags);
    remove.forEach(next::remove);
    next.putAll(add);
    if (next.size() > t.limit) {
      throw ApiException.badRequest(
          "TooManyTagsException",
          "The number of tags in the resource would exceed the number of tags that each resource"
              + " can have.");
    }
    t.tags.clear();
    t.tags.putAll(next);
    if (e != null) {
      // Beanstalk applies environment tags through an environment update.
      begin(e, "tags", requestId, now, "Updating");
      e.steps.add(new Step(now).event("INFO", "Environment update is starting."));
      e.steps.add(
          new Step(at(now, TAG_UPDATE_SECONDS))
              .event("INFO", "Environment tag update completed successfully.")
              .status("Ready")
              .end());
    }
    return Result.changed(null);
  }

  private static boolean reserved(String key) {
    return key.equals("Name") || key.startsWith("aws:") || key.startsWith("elasticbeanstalk:");
  }

  private static void checkTags(Map<String, String> tags, int limit) {
    if (tags.size() > limit) {
      throw ApiException.badRequest(
          "TooManyTagsException",
          "The number of tags in the resource would exceed the number of tags that each resource"
              + " can have.");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (reserved(t.getKey())) {
        throw invalid(
            "Tag key '" + t.getKey() + "' is reserved by Elastic Beanstalk and cannot be set.");
      }
      if (t.getKey().isEmpty() || t.getKey().length() > 128) {
        throw invalid("Tag key '" + t.getKey() + "' must be 1 to 128 characters long.");
      }
      if (t.getValue().length() > 256) {
        throw invalid("The value of tag '" + t.getKey() + "' must be at most 256 characters long.");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // For the Tagging API

  /**
   * The region's tagged applications and environments, recently terminated environments included
   * (the Tagging API keeps returning them for a while, as it does on AWS).
   */
  @Override
  public List<TaggedResource> taggedResources(String region) {
    synchronized (lock) {
      long now = now();
      if (advance(now)) {
        save();
      }
      EbRegion r = model.regions.get(region);
      List<TaggedResource> out = new ArrayList<>();
      if (r == null) {
        return out;
      }
      for (EbApplication a : r.applications.values()) {
        if (!a.tags.isEmpty()) {
          out.add(
              new TaggedResource(
                  applicationArn(region, a.name),
                  "elasticbeanstalk",
                  "application",
                  Map.copyOf(a.tags)));
        }
      }
      for (EbEnvironment e : r.environments) {
        if (!"Terminated".equals(e.status) || recentlyTerminated(e, now)) {
          out.add(new TaggedResource(e.arn(), "elasticbeanstalk", "environment", e.allTags()));
        }
      }
      return out;
    }
  }

  static String applicationArn(String region, String app) {
    return "arn:aws:elasticbeanstalk:"
        + region
        + ":"
        + SandboxContext.ACCOUNT_ID
        + ":application/"
        + app;
  }

  // ---------------------------------------------------------------------------------------------
  // Advancing the model

  /** Applies every scheduled step due by {@code now}; true when something changed. */
  private boolean advance(long now) {
    boolean changed = false;
    for (Map.Entry<String, EbRegion> entry : model.regions.entrySet()) {
      EbRegion r = entry.getValue();
      for (EbEnvironment e : r.environments) {
        while (!e.steps.isEmpty() && e.steps.get(0).at <= now) {
          apply(r, e, e.steps.remove(0));
          changed = true;
        }
      }
      for (EbApplication a : r.applications.values()) {
        for (EbVersion v : a.versions.values()) {
          if ("PROCESSING".equals(v.status) && v.processedAt != null && v.processedAt <= now) {
            v.status = v.failure == null ? "PROCESSED" : "FAILED";
            v.updated = v.processedAt;
            if (v.failure != null) {
              EbEvent ev = new EbEvent();
              ev.seq = model.next();
              ev.date = v.processedAt;
              ev.severity = "ERROR";
              ev.message = v.failure;
              ev.application = a.name;
              ev.versionLabel = v.label;
              r.events.add(ev);
            }
            v.processedAt = null;
            changed = true;
          }
        }
      }
    }
    return changed;
  }

  private void apply(EbRegion r, EbEnvironment e, Step s) {
    String requestId = e.operation == null ? null : e.operation.requestId;
    boolean messageUsed = false;
    if (s.health != null || s.settleHealth) {
      String health = s.settleHealth ? settledHealth(e) : s.health;
      String status = s.settleHealth ? healthStatus(health) : s.healthStatus;
      String from = e.healthStatus;
      if (status != null && from != null && !status.equals(from)) {
        // A step's message, when it sets health, is the cause Beanstalk appends to the transition.
        String cause = s.message != null && s.health != null ? " " + s.message : "";
        messageUsed = !cause.isEmpty();
        emit(
            r,
            e,
            s.at,
            severityFor(status),
            "Environment health has transitioned from " + from + " to " + status + "." + cause,
            requestId);
      }
      e.health = health;
      e.healthStatus = status;
    }
    if (s.message != null && !messageUsed) {
      emit(r, e, s.at, s.severity, s.message, requestId);
    }
    if (s.status != null) {
      e.status = s.status;
      e.updated = s.at;
      if ("Terminated".equals(s.status)) {
        e.terminated = s.at;
      }
    }
    if (s.setsLabel || s.versionLabel != null) {
      e.versionLabel = s.versionLabel;
    }
    if (s.abortable != null) {
      e.abortable = s.abortable;
    }
    if (s.restoreOptions && e.operation != null && e.operation.previousOptions != null) {
      e.options = copy(e.operation.previousOptions);
      if (e.operation.previousPlatformArn != null) {
        e.platformArn = e.operation.previousPlatformArn;
        e.solutionStack = e.operation.previousSolutionStack;
      }
    }
    if (s.endOperation) {
      e.operation = null;
      e.abortable = false;
    }
  }

  private void emit(
      EbRegion r, EbEnvironment e, long at, String severity, String message, String requestId) {
    EbEvent ev = new EbEvent();
    ev.seq = model.next();
    ev.date = at;
    ev.severity = severity;
    ev.message = message;
    ev.application = e.application;
    ev.environment = e.name;
    ev.environmentId = e.id;
    ev.requestId = requestId;
    r.events.add(ev);
  }

  private static String severityFor(String healthStatus) {
    return switch (healthStatus) {
      case "Warning", "Degraded", "Severe" -> "WARN";
      default -> "INFO";
    };
  }

  private String settledHealth(EbEnvironment e) {
    EbModel.Behaviour b = model.behaviours.get(e.name);
    return b == null || b.health == null ? "Green" : b.health;
  }

  private double deploySeconds(String name) {
    EbModel.Behaviour b = model.behaviours.get(name);
    return b == null || b.deploySeconds == null ? DEFAULT_DEPLOY_SECONDS : b.deploySeconds;
  }

  static String healthStatus(String health) {
    return switch (health) {
      case "Green" -> "Ok";
      case "Yellow" -> "Warning";
      case "Red" -> "Severe";
      default -> "Unknown";
    };
  }

  private static List<Option> copy(List<Option> options) {
    List<Option> out = new ArrayList<>();
    for (Option o : options) {
      out.add(o.copy());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Time, ids, persistence

  private long now() {
    return context.now();
  }

  private long at(long now, double simulatedSeconds) {
    return now + context.scaledMillis(simulatedSeconds);
  }

  static String iso(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  private String randomString(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
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

  // ---------------------------------------------------------------------------------------------
  // Requests

  private static Map<String, String> form(SandboxRequest request) {
    Map<String, String> out = new LinkedHashMap<>(request.query());
    out.putAll(SandboxRequest.parseForm(request.bodyText()));
    return out;
  }

  static ApiException invalid(String message) {
    return ApiException.badRequest("InvalidParameterValue", message);
  }

  static ApiException validation(String message) {
    return ApiException.badRequest("ValidationError", "1 validation error detected: " + message);
  }

  private static ApiException invalidToken() {
    return invalid("Invalid NextToken.");
  }

  private static String encodeToken(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidToken();
    }
  }

  private record Page<T>(List<T> items, String nextToken) {}

  private static <T> Page<T> page(List<T> all, Params p) {
    int max = p.maxRecords();
    int from = 0;
    String token = p.get("NextToken");
    if (token != null && !token.isEmpty()) {
      String[] parts = decodeToken(token).split(":");
      try {
        if (parts.length != 2 || !parts[0].equals("offset")) {
          throw invalidToken();
        }
        from = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw invalidToken();
      }
      if (from < 0 || from > all.size()) {
        throw invalidToken();
      }
    }
    int to = Math.min(all.size(), from + max);
    return new Page<>(
        new ArrayList<>(all.subList(from, to)),
        to < all.size() ? encodeToken("offset:" + to) : null);
  }

  /** The form parameters of a Query request, with Beanstalk's list and structure conventions. */
  static final class Params {
    private final Map<String, String> form;

    Params(Map<String, String> form) {
      this.form = form;
    }

    String get(String name) {
      String v = form.get(name);
      return v == null || v.isEmpty() ? null : v;
    }

    String get(String name, String fallback) {
      String v = get(name);
      return v == null ? fallback : v;
    }

    String required(String name) {
      String v = get(name);
      if (v == null) {
        throw ApiException.missingParameter(name);
      }
      return v;
    }

    void length(String name, String value, int min, int max) {
      String member = Character.toLowerCase(name.charAt(0)) + name.substring(1);
      if (value.length() < min) {
        throw validation(
            "Value '"
                + value
                + "' at '"
                + member
                + "' failed to satisfy constraint: Member must have length greater than or equal to "
                + min);
      }
      if (value.length() > max) {
        throw validation(
            "Value '"
                + value
                + "' at '"
                + member
                + "' failed to satisfy constraint: Member must have length less than or equal to "
                + max);
      }
    }

    boolean bool(String name, boolean fallback) {
      String v = get(name);
      if (v == null) {
        return fallback;
      }
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw invalid("Invalid boolean value '" + v + "' for " + name + ".");
    }

    Long time(String name) {
      String v = get(name);
      if (v == null) {
        return null;
      }
      try {
        return Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException e2) {
          try {
            return Math.round(Double.parseDouble(v) * 1000);
          } catch (NumberFormatException e3) {
            throw invalid("Invalid timestamp '" + v + "' for " + name + ".");
          }
        }
      }
    }

    int maxRecords() {
      String v = get("MaxRecords");
      if (v == null) {
        return 1000;
      }
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw invalid("Invalid integer value '" + v + "' for MaxRecords.");
      }
      if (n < 1) {
        throw validation(
            "Value '"
                + n
                + "' at 'maxRecords' failed to satisfy constraint: Member must have value greater"
                + " than or equal to 1");
      }
      if (n > 1000) {
        throw validation(
            "Value '"
                + n
                + "' at 'maxRecords' failed to satisfy constraint: Member must have value less than"
                + " or equal to 1000");
      }
      return n;
    }

    /** {@code Name.member.1}, {@code Name.member.2}... in order. */
    List<String> list(String name) {
      List<String> out = new ArrayList<>();
      for (int i = 1; ; i++) {
        String v = form.get(name + ".member." + i);
        if (v == null) {
          return out;
        }
        out.add(v);
      }
    }

    Map<String, String> tags(String name) {
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 1; ; i++) {
        String key = form.get(name + ".member." + i + ".Key");
        if (key == null) {
          return out;
        }
        String value = form.getOrDefault(name + ".member." + i + ".Value", "");
        out.put(key, value);
      }
    }

    List<Option> options(String name) {
      List<Option> out = new ArrayList<>();
      for (int i = 1; ; i++) {
        String prefix = name + ".member." + i + ".";
        String ns = form.get(prefix + "Namespace");
        String option = form.get(prefix + "OptionName");
        if (ns == null && option == null) {
          return out;
        }
        if (ns == null || option == null) {
          throw ApiException.badRequest(
              "InvalidParameterCombination",
              name + ".member." + i + " needs both Namespace and OptionName.");
        }
        out.add(
            new Option(ns, option, form.get(prefix + "Value"), form.get(prefix + "ResourceName")));
      }
    }

    List<Option> optionKeys(String name) {
      return options(name);
    }
  }
}
