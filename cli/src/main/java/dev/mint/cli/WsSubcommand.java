// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.cli.ws.WsCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code mint ws [options] URL}: hands its arguments, unparsed, to the WebSocket console {@link
 * WsCommand}, which reads its own options and prints its own usage ({@code mint ws --help}).
 */
@Command(
    name = "ws",
    description = "a WebSocket console: stdin lines out, messages in (mint ws --help)",
    helpCommand = false)
final class WsSubcommand implements Callable<Integer> {
  @ParentCommand private MintCommand parent;

  @Unmatched private List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    MintCommand.Context c = parent.context();
    return WsCommand.run(args.toArray(String[]::new), c.in(), c.out(), c.err());
  }
}
