/**
 * graphsync's PostgreSQL at start: the roles of its connections and the default-password check
 * ({@code graphsync.postgres.*}), the migrations, and the mapping validated against the live schema
 * ({@code graphsync.mapping-location}, {@code graphsync.migrate}, {@code graphsync.sample-schema}).
 */
package io.graphsync.app.postgres;
