import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Named prepared statements on TypeORM's own pg pool, for the few statements every request
 * runs (the caller lookup, the report insert). TypeORM sends every query unnamed, so PostgreSQL
 * parses and plans it each time; a named statement is planned once per connection.
 */
@Injectable()
export class PreparedStatements {
  private readonly pool: Pool;

  constructor(db: DataSource) {
    if (!(db.driver instanceof PostgresDriver)) throw new Error('PreparedStatements needs the postgres driver');
    this.pool = db.driver.master as Pool;
  }

  async query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.pool.query({ name, text, values });
    return result.rows as T[];
  }
}
