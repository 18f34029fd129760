/** What operators see of graphsync's workflows in the Temporal Web UI and CLI: search-attribute keys. */
package io.graphsync.workflows.observability;
