package io.ebdeploy.notify;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/** One Slack message: Block Kit blocks and the plain-text fallback (notifications, old clients). */
record Message(String text, List<LayoutBlock> blocks) {
  Message {
    blocks = List.copyOf(blocks);
  }
}
