// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine, for the report: CPUs, CPU model, memory, JDK, kernel. */
final class Machine {
  private Machine() {}

  /** Markdown list items describing the machine. */
  static String describe() {
    return "- CPUs: "
        + Runtime.getRuntime().availableProcessors()
        + " ("
        + cpuModel()
        + ")\n"
        + "- Memory: "
        + memory()
        + "\n"
        + "- JDK: "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " (default GC and heap)\n"
        + "- Kernel: "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch")
        + "\n";
  }

  private static String cpuModel() {
    return firstValue(Path.of("/proc/cpuinfo"), "model name");
  }

  private static String memory() {
    String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    try {
      long kib = Long.parseLong(total.replace("kB", "").trim());
      return (kib >> 20) + " GiB";
    } catch (NumberFormatException e) {
      return total;
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          int colon = line.indexOf(':');
          return colon < 0 ? line : line.substring(colon + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
