// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OS servers (keys of {@link OsServers}) a test class or method needs. When one is absent from
 * the servers file or does not accept connections, the test is skipped, with a message on the
 * console naming what it needs and the command that starts the servers; with {@code
 * -Dmint.requireServers=true} it fails instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(OsServersCondition.class)
public @interface NeedsOsServers {
  /** The keys of the servers needed, such as {@link OsServers#NGINX_TLS}. */
  String[] value();
}
