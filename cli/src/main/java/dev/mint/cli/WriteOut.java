// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code -w FORMAT}, as curl writes it: {@code %{name}} is replaced by the variable's value, {@code
 * %%} by {@code %}, and {@code \n}, {@code \r}, {@code \t}, {@code \\} by what they name. An
 * unknown variable prints nothing and a warning on stderr.
 *
 * <p>Variables: {@code http_code} (and {@code response_code}), {@code http_version}, {@code
 * num_redirects}, {@code url_effective}, {@code content_type}, {@code method}, {@code scheme},
 * {@code remote_ip}, {@code remote_port}, {@code size_download}, {@code size_upload}, {@code
 * speed_download}, {@code time_connect}, {@code time_starttransfer}, {@code time_total} (seconds,
 * six decimals), {@code exitcode}, {@code errormsg}.
 */
final class WriteOut {
  private WriteOut() {}

  /**
   * The format with its variables replaced.
   *
   * @param unknown receives the name of each variable the format names that {@code values} lacks
   */
  static String format(String format, Map<String, String> values, Consumer<String> unknown) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
        sb.append('%');
        i++;
      } else if (c == '%' && format.startsWith("%{", i) && format.indexOf('}', i) > 0) {
        int end = format.indexOf('}', i);
        String name = format.substring(i + 2, end);
        String value = values.get(name);
        if (value == null) {
          unknown.accept(name);
        } else {
          sb.append(value);
        }
        i = end;
      } else if (c == '\\' && i + 1 < format.length()) {
        char e = format.charAt(++i);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case '\\' -> sb.append('\\');
          default -> sb.append('\\').append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
