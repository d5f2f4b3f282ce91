/**
 * Ordered schema migrations: `MIGRATIONS[i]` takes the schema from version i to i + 1. Append new
 * ones; never edit one that has shipped, since databases in the field already ran it.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE messages (
    hash BLOB PRIMARY KEY,
    timestamp INTEGER NOT NULL,
    topic TEXT NOT NULL,
    pubsub_topic TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL
  );
  CREATE INDEX messages_by_time ON messages (timestamp, hash);
  CREATE INDEX messages_by_topic ON messages (topic, timestamp, hash);
  `,
  // Every topic ever archived, so a bloom query can turn into the per-topic merge of its topics.
  `
  CREATE TABLE topics (topic TEXT PRIMARY KEY) WITHOUT ROWID;
  INSERT OR IGNORE INTO topics (topic) SELECT DISTINCT topic FROM messages;
  `,
]

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length
