/**
 * Node bootstrap: loads {@code conf/} (HOCON, the single source of settings) and turns it into each
 * layer's typed options, so that no lower layer reads configuration itself; sits just below the entry
 * points and may import every layer below it plus Typesafe Config, and its entry classes are
 * {@link io.phantomdb.node.NodeConfig} and {@link io.phantomdb.node.StorageConfig}.
 */
package io.phantomdb.node;
