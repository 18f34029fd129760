/** Everything that starts or signals graphsync's workflows: the Temporal client side. */
package io.graphsync.starters;
