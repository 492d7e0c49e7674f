package io.ebdeploy.notify;

/**
 * A notification Slack did not accept. The message is safe to log and report: it names the variable
 * the secret came from, never the secret. No cause is kept (a cause's message could quote the URL).
 */
final class SlackFailure extends Exception {
  SlackFailure(String message) {
    super(message, null, false, false);
  }
}
