import { sql } from 'drizzle-orm';
import { customType, integer, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/**
 * A UTC instant with millisecond precision, read back as an ISO 8601 string.
 * Millisecond precision keeps cursors exact: a JavaScript cursor can name every stored value.
 */
export const instant = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp(3) with time zone',
  fromDriver: (value) => new Date(value).toISOString(),
  toDriver: (value) => value,
});

export const primaryId = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

export const tenantIdColumn = () => uuid('tenant_id').notNull();

export const timestamps = () => ({
  createdAt: instant('created_at').notNull().default(sql`now()`),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
});

export const versionColumn = () => integer('version').notNull().default(1);

export const newId = () => uuidv7();
