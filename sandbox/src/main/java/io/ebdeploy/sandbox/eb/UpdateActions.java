package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.eb.EbEnvironment.Operation;
import io.ebdeploy.sandbox.eb.EbEnvironment.Step;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.util.List;

/**
 * UpdateEnvironment (a deploy, or a configuration update) and AbortEnvironmentUpdate: the events
 * Beanstalk emits, and how a failed or aborted update reverts.
 */
public final class UpdateActions {
  // Beanstalk's own texts; public so that the HTTP tests assert them.
  public static final String UPDATE_FAILED =
      "Update environment operation is complete, but with errors. "
          + "For more information, see troubleshooting documentation.";

  public static final String ABORTED_DEPLOYMENT_WARNING =
      "During an aborted deployment, some instances may have deployed the new application version."
          + " To ensure all instances are running the same version, re-deploy the appropriate"
          + " application version.";

  private static final String REVERTED =
      "The environment was reverted to the previous configuration setting.";

  private final SandboxContext context;
  private final Timeline timeline;

  UpdateActions(SandboxContext context, Timeline timeline) {
    this.context = context;
    this.timeline = timeline;
  }

  QueryResult updateEnvironment(QueryParams p, EbRegion r, String requestId, long now) {
    EbEnvironment e = EnvironmentActions.target(p, r);
    String label = p.get("VersionLabel");
    List<Option> set = p.options("OptionSettings");
    List<Option> remove = p.optionKeys("OptionsToRemove");
    String[] platform =
        p.get("SolutionStackName") != null || p.get("PlatformArn") != null
            ? Platforms.platform(p, e.region)
            : null;
    if (p.get("TemplateName") != null) {
      Platforms.platform(p, e.region);
    }
    if (!"Ready".equals(e.status)) {
      throw EbErrors.invalid(
          "Environment named "
              + e.name
              + " is in an invalid state for this operation. Must be Ready.");
    }
    EbApplication app = r.applications.get(e.application);
    if (label != null && (app == null || !app.versions.containsKey(label))) {
      throw EbErrors.invalid("No Application Version named '" + label + "' found.");
    }
    if (p.get("Description") != null) {
      e.description = p.get("Description");
    }
    if (label == null && set.isEmpty() && remove.isEmpty() && platform == null) {
      // A description-only change is applied at once, without an update.
      e.updated = now;
      return QueryResult.changed(x -> EnvironmentActions.writeEnvironment(x, e));
    }
    boolean deploy = label != null;
    boolean hang = context.faults().take(Fault.Kind.HANG, f -> e.name.equals(f.environment()));
    boolean fail =
        !hang
            && context
                .faults()
                .take(Fault.Kind.INSTANCE_FAILURE, f -> e.name.equals(f.environment()));
    Operation op = e.begin(deploy ? "deploy" : "configure", requestId, now, "Updating");
    op.targetLabel = deploy ? label : e.versionLabel;
    op.previousOptions = OptionSettings.copy(e.options);
    op.previousSolutionStack = e.solutionStack;
    op.previousPlatformArn = e.platformArn;
    e.abortable = true;
    OptionSettings.apply(e.options, set, remove);
    if (platform != null) {
      e.solutionStack = platform[0];
      e.platformArn = platform[1];
    }
    if (deploy) {
      e.versionLabel = label;
    }
    double d = timeline.deploySeconds(e.name);
    if (!deploy) {
      d = d / 2;
    }
    if (deploy) {
      e.steps.add(new Step(now).event("INFO", "Environment update is starting."));
      e.steps.add(
          new Step(timeline.at(now, 0.1 * d))
              .event("INFO", "Deploying new version to instance(s)."));
    } else {
      e.steps.add(
          new Step(now)
              .event("INFO", "Updating environment " + e.name + "'s configuration settings."));
    }
    if (hang) {
      return QueryResult.changed(x -> EnvironmentActions.writeEnvironment(x, e));
    }
    if (fail) {
      String instance = "i-0" + Ids.random("0123456789abcdef", 16);
      if (deploy) {
        e.steps.add(
            new Step(timeline.at(now, 0.5 * d))
                .event("ERROR", "Instance deployment failed. For details, see 'eb-engine.log'."));
      }
      e.steps.add(
          new Step(timeline.at(now, 0.5 * d))
              .event(
                  "ERROR",
                  "[Instance: "
                      + instance
                      + "] Command failed on instance. Return code: 1 Output: Engine execution has"
                      + " encountered an error.."));
      e.steps.add(
          new Step(timeline.at(now, 0.55 * d))
              .event(
                  "INFO",
                  "Command execution completed on all instances. Summary: [Successful: 0, Failed: 1]."));
      e.steps.add(
          new Step(timeline.at(now, 0.6 * d))
              .event(
                  "ERROR",
                  "Unsuccessful command execution on instance id(s) '"
                      + instance
                      + "'. Aborting the operation."));
      e.steps.add(
          new Step(timeline.at(now, 0.6 * d))
              .event(
                  "ERROR",
                  deploy ? "Failed to deploy application." : "Failed to deploy configuration."));
      Step red = new Step(timeline.at(now, 0.7 * d)).health("Red", "Severe");
      red.severity = "WARN";
      red.message = "Command failed on all instances.";
      e.steps.add(red);
      if (!deploy) {
        e.steps.add(new Step(timeline.at(now, 0.75 * d)).event("INFO", REVERTED).restoreOptions());
      }
      e.steps.add(
          new Step(timeline.at(now, 0.8 * d))
              .event("ERROR", UPDATE_FAILED)
              .status("Ready")
              .abortable(false)
              .label(op.previousLabel)
              .restoreOptions()
              .end());
      e.steps.add(new Step(timeline.at(now, 0.8 * d + Timeline.HEALTH_RECOVERY_SECONDS)).settle());
      return QueryResult.changed(x -> EnvironmentActions.writeEnvironment(x, e));
    }
    if (deploy) {
      e.steps.add(
          new Step(timeline.at(now, 0.8 * d))
              .event("INFO", "Instance deployment completed successfully."));
      e.steps.add(
          new Step(timeline.at(now, d))
              .event("INFO", "New application version was deployed to running EC2 instances."));
    } else {
      e.steps.add(
          new Step(timeline.at(now, d))
              .event("INFO", "Successfully deployed new configuration to environment."));
    }
    e.steps.add(
        new Step(timeline.at(now, d))
            .event("INFO", "Environment update completed successfully.")
            .status("Ready")
            .abortable(false)
            .end());
    e.steps.add(new Step(timeline.at(now, d)).settle());
    return QueryResult.changed(x -> EnvironmentActions.writeEnvironment(x, e));
  }

  QueryResult abortEnvironmentUpdate(QueryParams p, EbRegion r, long now) {
    EbEnvironment e = EnvironmentActions.target(p, r);
    Operation op = e.operation;
    if (op == null
        || !e.abortable
        || !"Updating".equals(e.status)
        || !("deploy".equals(op.kind) || "configure".equals(op.kind))) {
      throw EbErrors.invalid(
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
      e.steps.add(
          new Step(timeline.at(now, 0.5 * Timeline.ABORT_SECONDS))
              .event("WARN", ABORTED_DEPLOYMENT_WARNING));
    }
    e.steps.add(
        new Step(timeline.at(now, Timeline.ABORT_SECONDS))
            .event("INFO", REVERTED)
            .status("Ready")
            .label(op.previousLabel)
            .restoreOptions()
            .end());
    e.steps.add(new Step(timeline.at(now, Timeline.ABORT_SECONDS)).settle());
    return QueryResult.changed(null);
  }
}
