package io.ebdeploy.cli;

import io.ebdeploy.api.EbDeployException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Prints a failure as one line on stderr, {@code eb-deploy: MESSAGE}, and picks its exit code with
 * {@link ExitCodeMapper}. Stack traces show only with {@code -v}, or for internal errors (bugs).
 * Messages pass through {@link #redact(String)}: no secret reaches the terminal or a CI log.
 *
 * <p>It also makes {@code eb-deploy GROUP} mean {@code eb-deploy deploy GROUP}: when the root
 * command meets a word that is no command, it runs again with {@code deploy} in front of that word
 * — unless the word is a near miss of a command name ({@code sandbx}, {@code stauts}), which is
 * reported as a typo with picocli's suggestion.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** The longest message an AWS error gets: SDK messages can carry whole provider chains. */
  private static final int MAX_AWS_MESSAGE = 600;

  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]+@");
  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile("(?i)(hooks\\.slack\\.com/(?:services|workflows|triggers)/)\\S+");
  private static final Pattern SLACK_TOKEN = Pattern.compile("\\bxox[a-z]-[A-Za-z0-9-]+");
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)\\b((?:aws_)?secret_access_key|aws_session_token|password|passwd|token|secret)"
              + "(\\s*[=:]\\s*)[^\\s,;&\"']+");

  private final IExitCodeExceptionMapper mapper;

  ErrorHandler(IExitCodeExceptionMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    int group = deployShorthand(ex, args);
    if (group >= 0) {
      String[] rewritten = new String[args.length + 1];
      System.arraycopy(args, 0, rewritten, 0, group);
      rewritten[group] = "deploy";
      System.arraycopy(args, group, rewritten, group + 1, args.length - group);
      return cmd.execute(rewritten);
    }
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("eb-deploy: " + redact(ex.getMessage())));
    String word = firstWord(args);
    boolean rootWord =
        cmd.getCommandSpec().parent() == null
            && ex instanceof UnmatchedArgumentException
            && word != null
            && cmd.getSubcommands().containsKey("deploy");
    String nearest = rootWord ? nearest(word, cmd.getSubcommands().keySet()) : null;
    if (nearest != null) {
      err.printf("Did you mean: eb-deploy %s?%n", nearest);
    } else {
      UnmatchedArgumentException.printSuggestions(ex, err);
    }
    if (rootWord) {
      err.printf("To deploy a group named %s, run: eb-deploy deploy %s%n", word, word);
    }
    CommandSpec spec = cmd.getCommandSpec();
    err.printf("Try '%s --help' for more information.%n", spec.qualifiedName());
    err.flush();
    return spec.exitCodeOnInvalidInput();
  }

  /**
   * The index of the group in {@code eb-deploy GROUP ...}, or -1: the root command met a word that
   * is neither a command nor close to one, before any option it does not know.
   */
  static int deployShorthand(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    if (!(ex instanceof UnmatchedArgumentException unmatched)
        || cmd.getCommandSpec().parent() != null
        || !cmd.getSubcommands().containsKey("deploy")
        || unmatched.getUnmatched().isEmpty()) {
      return -1;
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("-")) {
        continue;
      }
      boolean first = arg.equals(unmatched.getUnmatched().get(0));
      return first && !nearCommand(arg, cmd.getSubcommands().keySet()) ? i : -1;
    }
    return -1;
  }

  private static String firstWord(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }

  /**
   * True when {@code word} is one or two edits from a command name (one for names of 5 letters or
   * fewer): {@code sandbx}, {@code stauts}, {@code Status}. A group named {@code dev} is not taken
   * for {@code demo}.
   */
  static boolean nearCommand(String word, Set<String> commands) {
    return nearest(word, commands) != null;
  }

  /** The command {@code word} is a near miss of, the closest one; null when none is near. */
  static String nearest(String word, Set<String> commands) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : new java.util.TreeSet<>(commands)) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d <= (c.length() <= 5 ? 1 : 2) && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    int code = mapper.getExitCode(ex);
    PrintWriter err = cmd.getErr();
    boolean verbose = isVerbose(parseResult);
    err.println(cmd.getColorScheme().errorText("eb-deploy: " + message(ex, code, verbose)));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The message printed after {@code eb-deploy: } for a failure that ends with {@code code}. */
  static String message(Throwable ex, int code, boolean verbose) {
    String message;
    EbDeployException core = find(ex, EbDeployException.class);
    if (ex instanceof CliException) {
      message = ex.getMessage();
    } else if (code == ExitCodes.INTERRUPTED
        && (core == null || core.kind() != EbDeployException.Kind.INTERRUPTED)) {
      message = "interrupted";
    } else if (core != null && core.kind() == EbDeployException.Kind.AWS_ERROR) {
      message = "AWS error: " + awsMessage(core.getMessage());
    } else if (core != null) {
      message = core.getMessage();
    } else if (code == ExitCodes.AWS_ERROR) {
      SdkException sdk = find(ex, SdkException.class);
      message = "AWS error: " + awsMessage(describe(sdk == null ? ex : sdk));
    } else {
      message =
          "internal error: "
              + describe(ex)
              + (verbose ? "" : " (run again with -v for the stack trace, and report it)");
    }
    return redact(message);
  }

  /**
   * An SDK message on one line, bounded, with the usual causes said plainly: no credentials, no
   * connection.
   */
  static String awsMessage(String message) {
    String m = message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    int credentials = m.indexOf("Unable to load credentials");
    if (credentials >= 0) {
      String call = m.substring(0, credentials).replaceAll("[\\s(:]+$", "");
      return (call.isEmpty() ? "" : call + ": ")
          + "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass"
          + " --profile NAME, or run 'aws configure' (any values work against a sandbox)";
    }
    if (m.length() > MAX_AWS_MESSAGE) {
      m = m.substring(0, MAX_AWS_MESSAGE) + "...";
    }
    return m;
  }

  /**
   * The message without secrets: credentials in URLs ({@code https://user:pass@host}), Slack
   * webhook paths and tokens, and {@code secret=...}-style assignments are replaced by {@code ***}.
   */
  static String redact(String message) {
    if (message == null) {
      return "";
    }
    String m = USER_INFO.matcher(message).replaceAll("$1***@");
    m = SLACK_WEBHOOK.matcher(m).replaceAll("$1***");
    m = SLACK_TOKEN.matcher(m).replaceAll("xox?-***");
    return SECRET_ASSIGNMENT.matcher(m).replaceAll("$1$2***");
  }

  private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getSimpleName()
        : t instanceof SdkException ? message : t.getClass().getSimpleName() + ": " + message;
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
