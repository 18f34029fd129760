-- The sample ContextNexus schema (the default mapping syncs it). Turn it off with
-- graphsync.sample-schema.enabled=false when syncing your own schema.
CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  plan        text NOT NULL DEFAULT 'free',
  settings    jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  email         text NOT NULL,
  display_name  text,
  roles         text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE threads (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  created_by  uuid REFERENCES users (id),
  title       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE messages (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  thread_id   uuid NOT NULL REFERENCES threads (id),
  author_id   uuid REFERENCES users (id),
  body        text NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE content_items (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  message_id    uuid REFERENCES messages (id),
  title         text NOT NULL,
  content_type  text NOT NULL DEFAULT 'text/plain',
  metadata      jsonb,
  body          text,
  score         numeric(10, 4),
  tags          text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE concepts (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  name         text NOT NULL,
  description  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE content_item_concepts (
  content_item_id  uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
  concept_id       uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  weight           numeric(5, 4) NOT NULL DEFAULT 1,
  PRIMARY KEY (content_item_id, concept_id)
);

CREATE INDEX ON users (tenant_id);
CREATE INDEX ON threads (tenant_id);
CREATE INDEX ON messages (thread_id);
CREATE INDEX ON content_items (tenant_id);
CREATE INDEX ON concepts (tenant_id);
CREATE INDEX ON content_item_concepts (concept_id);

SELECT graphsync.enable_sync('tenants');
SELECT graphsync.enable_sync('users');
SELECT graphsync.enable_sync('threads');
SELECT graphsync.enable_sync('messages');
SELECT graphsync.enable_sync('content_items');
SELECT graphsync.enable_sync('concepts');
SELECT graphsync.enable_join_sync('content_item_concepts');
