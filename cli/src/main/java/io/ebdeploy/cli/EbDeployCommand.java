package io.ebdeploy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy}, the root command. Build it with {@link #commandLine()}, which wires exit codes
 * and error reporting for every subcommand; {@link Main} and the tests both use it.
 *
 * <p>To add a subcommand: one class implementing {@code Callable<Integer>}, annotated
 * {@code @Command(name = ...)}, with {@code @Mixin GlobalOptions global;} if it talks to AWS, and
 * {@code @Spec CommandSpec spec;} to print through {@code spec.commandLine().getOut()/getErr()};
 * list it in {@code subcommands} below. It returns {@link ExitCodes} or throws {@link
 * CliException}.
 */
@Command(
    name = "eb-deploy",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Deploys every AWS Elastic Beanstalk environment of a tagged group together: finds them by"
          + " tag, builds and bundles once, uploads once, deploys them together with migrations run"
          + " once, and rolls them back as a pair if any of them fails.",
      "",
      "Try it without AWS: eb-deploy demo",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = "Documentation: docs/cli.md in the eb-deploy repository.",
    subcommands = {
      DeployCommand.class,
      RollbackCommand.class,
      UnlockCommand.class,
      StatusCommand.class,
      PlanCommand.class,
      BundleCommand.class,
      AssetsCommand.class,
      LintCommand.class,
      InitCommand.class,
      NotifyTestCommand.class,
      DemoCommand.class,
      SandboxCommand.class,
      HelpCommand.class
    })
public final class EbDeployCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private VerbosityOption verbosity;

  private final CliContext context;

  private EbDeployCommand(CliContext context) {
    this.context = context;
  }

  /** What the commands read from the process around them. */
  CliContext context() {
    return context;
  }

  /**
   * The root command line with eb-deploy's exit codes, error messages and help conventions, for
   * this process ({@link CliContext#system()}). Tests may pass extra {@code @Command} objects to
   * run as subcommands under the same settings.
   */
  public static CommandLine commandLine(Object... extraSubcommands) {
    return commandLine(CliContext.system(), extraSubcommands);
  }

  /** {@link #commandLine(Object...)} in a given context: environment, terminal, polling. */
  public static CommandLine commandLine(CliContext context, Object... extraSubcommands) {
    CommandLine cl = new CommandLine(new EbDeployCommand(context));
    for (Object sub : extraSubcommands) {
      cl.addSubcommand(sub);
    }
    // After every subcommand is added: these setters apply to the subcommands present.
    ExitCodeMapper mapper = new ExitCodeMapper();
    ErrorHandler errors = new ErrorHandler(mapper);
    cl.setExitCodeExceptionMapper(mapper)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors)
        .setCaseInsensitiveEnumValuesAllowed(true);
    listExitCodes(cl);
    // Only the root's synopsis: customSynopsis in @Command would be inherited by every command.
    cl.getCommandSpec()
        .usageMessage()
        .customSynopsis(
            "eb-deploy [-hvV] COMMAND [OPTIONS]",
            "   or: eb-deploy GROUP [OPTIONS]   (the same as: eb-deploy deploy GROUP)",
            "");
    return cl;
  }

  private static void listExitCodes(CommandLine cl) {
    cl.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    cl.getSubcommands().values().forEach(EbDeployCommand::listExitCodes);
  }

  /** Without a command: the usage on stderr, exit {@link ExitCodes#USAGE}. */
  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    cl.getErr().println(cl.getColorScheme().errorText("eb-deploy: missing a command"));
    cl.usage(cl.getErr());
    return ExitCodes.USAGE;
  }
}
