/**
 * Twitter's HPACK library (RFC 7541), {@code com.twitter:hpack} 1.0.2, as the explicit module
 * {@code com.twitter.hpack}: its class files unchanged, with this descriptor added.
 *
 * <p>The original jar has no module descriptor and no {@code Automatic-Module-Name}, so on the
 * module path it is the automatic module {@code hpack}, a name taken from the jar file's name that
 * changes when the file is renamed and that jlink refuses. This module's name is the library's root
 * package and its OSGi {@code Bundle-SymbolicName}.
 *
 * <p>The module is open, as the automatic module was, so that code reflecting on the library's
 * classes works on the module path as it did before and as it does on the class path.
 */
open module com.twitter.hpack {
  exports com.twitter.hpack;
}
