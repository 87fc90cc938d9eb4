// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What {@link NeedsOsServers} does: skips the annotated class or method when a server it names is
 * unavailable, printing why on standard output (which the {@code it} module's surefire shows on the
 * console); when {@link OsServers#required()}, lets it run and fails it before its first test.
 */
final class OsServersCondition
    implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> problem = problem(context.getElement());
    if (problem.isEmpty()) {
      return ConditionEvaluationResult.enabled("the OS servers it needs are running");
    }
    if (OsServers.required()) {
      return ConditionEvaluationResult.enabled(OsServers.REQUIRE_PROPERTY + "=true: it will fail");
    }
    System.out.println("[mint] SKIPPED " + context.getDisplayName() + ": " + problem.get());
    return ConditionEvaluationResult.disabled(problem.get());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    failIfRequired(context.getElement());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    failIfRequired(context.getTestMethod().map(m -> (AnnotatedElement) m));
  }

  private static void failIfRequired(Optional<AnnotatedElement> element) {
    Optional<String> problem = problem(element);
    if (problem.isPresent() && OsServers.required()) {
      throw new AssertionError(
          problem.get() + " (failing, not skipping: " + OsServers.REQUIRE_PROPERTY + "=true)");
    }
  }

  /** Why the servers that {@code element} needs cannot be used, if they cannot. */
  private static Optional<String> problem(Optional<AnnotatedElement> element) {
    Optional<NeedsOsServers> needs =
        AnnotationSupport.findAnnotation(element, NeedsOsServers.class);
    if (needs.isEmpty()) {
      return Optional.empty();
    }
    OsServers servers = OsServers.current();
    List<String> unavailable = servers.unavailable(List.of(needs.get().value()));
    return unavailable.isEmpty() ? Optional.empty() : Optional.of(servers.describe(unavailable));
  }
}
