-- The sample's back-flow cases: Concept nodes created or edited in the graph flow back into concepts, and RELATED_TO
-- relationships a graph algorithm computes between concepts (with their score) flow back into concept_relations.
CREATE TABLE concept_relations (
  concept_id          uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
  related_concept_id  uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  score               double precision,
  PRIMARY KEY (concept_id, related_concept_id)
);

CREATE INDEX ON concept_relations (related_concept_id);

SELECT graphsync.enable_join_sync('concept_relations');
SELECT graphsync.enable_backflow('concepts');
SELECT graphsync.enable_backflow('concept_relations');
