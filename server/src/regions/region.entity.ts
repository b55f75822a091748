import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { GeoJsonGeometry, RegionLevel } from '@gridline/shared';

@Entity('regions')
export class Region {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'parent_id', type: 'integer', nullable: true })
  parentId!: number | null;

  @Column({ type: 'text' })
  level!: RegionLevel;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Ids from the root down to this region, itself included. */
  @Column({ type: 'integer', array: true })
  path!: number[];

  @Column({ type: 'jsonb', nullable: true })
  /** A Polygon, or a MultiPolygon for grids imported from GeoJSON in several parts. */
  polygon!: GeoJsonGeometry | null;

  /** Inactive regions keep their history; no new reports land in them or below them. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}
