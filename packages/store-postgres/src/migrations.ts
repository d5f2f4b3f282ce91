import { SchemaVersionError } from '@parley/interfaces'
import type { Pool } from 'pg'
import { transaction } from './util.ts'

/**
 * Ordered schema migrations: `MIGRATIONS[i]` takes a schema from version i to i + 1. `{schema}`
 * stands for the quoted schema name. Append new ones; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE {schema}.kv (key bytea PRIMARY KEY, value bytea NOT NULL);
  CREATE TABLE {schema}.messages (
    hash bytea PRIMARY KEY,
    timestamp bigint NOT NULL,
    topic text NOT NULL,
    pubsub_topic text NOT NULL DEFAULT '',
    -- the go-ethereum topic bloom of a 4-byte v1 topic; NULL for any other topic
    bloom bit(512),
    data bytea NOT NULL
  );
  CREATE INDEX messages_by_time ON {schema}.messages (timestamp, hash);
  CREATE INDEX messages_by_topic ON {schema}.messages (topic, timestamp, hash);
  `,
  // Every topic ever archived, so a bloom query can turn into the per-topic merge of its topics.
  `
  CREATE TABLE {schema}.topics (topic text PRIMARY KEY);
  INSERT INTO {schema}.topics (topic) SELECT DISTINCT topic FROM {schema}.messages;
  `,
]

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length

/** `"name"`, with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Brings `schema` up to `SCHEMA_VERSION` in one transaction. A transaction-scoped advisory lock
 * (keyed by the schema name) makes concurrent starts on one database take turns instead of racing.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  const quoted = quoteIdentifier(schema)
  await transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`parley-store:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    )
    const { rows } = await client.query(
      `SELECT COALESCE(MAX(version), 0) AS version FROM ${quoted}.schema_version`,
    )
    const current = Number(rows[0]?.version ?? 0)
    if (current > SCHEMA_VERSION) throw new SchemaVersionError(current, SCHEMA_VERSION)
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query((MIGRATIONS[version - 1] as string).replaceAll('{schema}', quoted))
      await client.query(`INSERT INTO ${quoted}.schema_version (version) VALUES ($1)`, [version])
    }
  })
}
