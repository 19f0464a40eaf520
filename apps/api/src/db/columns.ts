import { sql } from 'drizzle-orm';
import { customType, integer, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/**
 * `2026-11-24 10:05:00.12+00`: how PostgreSQL writes a timestamptz with DateStyle ISO in a UTC session, which
 * is how the app's pool connects (platform/db.ts). It drops trailing zeros of the fraction, and the fraction
 * itself when it is zero.
 */
const PG_UTC_INSTANT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?\+00$/;

/** PostgreSQL's text for a timestamp(3) with time zone as the ISO 8601 string `Date#toISOString` would give. */
export function pgInstantToIso(value: string): string {
  const match = PG_UTC_INSTANT.exec(value);
  // Pages read hundreds of these, and a Date per value was a visible share of a request's CPU.
  if (match) return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(3, '0')}Z`;
  // Another offset, DateStyle or a year past 9999: slower, but still right.
  return new Date(value).toISOString();
}

/**
 * A UTC instant with millisecond precision, read back as an ISO 8601 string.
 * Millisecond precision keeps cursors exact: a JavaScript cursor can name every stored value.
 */
export const instant = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp(3) with time zone',
  fromDriver: pgInstantToIso,
  toDriver: (value) => value,
});

export const primaryId = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

/**
 * The id of a tenant's row. Its primary key is (tenant_id, id), declared by the table: every key carries the
 * tenant, so the tables can be distributed by tenant_id (README, "Growing past one database").
 */
export const rowId = () =>
  uuid('id')
    .notNull()
    .$defaultFn(() => uuidv7());

export const tenantIdColumn = () => uuid('tenant_id').notNull();

export const timestamps = () => ({
  createdAt: instant('created_at').notNull().default(sql`now()`),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
});

export const versionColumn = () => integer('version').notNull().default(1);

export const newId = () => uuidv7();
