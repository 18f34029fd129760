/** PostgreSQL schema migrations (Flyway): graphsync's own objects, and the sample ContextNexus schema. */
package io.graphsync.activities.schema;
