import { Injectable } from '@nestjs/common';
import { PRIORITIES } from '@gridline/shared';
import { CategoriesService } from '../categories/categories.service';
import type { Category } from '../categories/category.entity';
import { AppException } from '../common/app.exception';
import type { Open311Value } from './open311-format';

/** The optional attributes every service takes (`attribute[code]=…` on POST). */
export const SERVICE_ATTRIBUTES = {
  priority: {
    datatype: 'singlevaluelist',
    description: '优先级 Priority; normal when left out',
    values: PRIORITIES.map((p) => ({ key: p, name: { urgent: '紧急 urgent', high: '较急 high', normal: '一般 normal' }[p] })),
  },
  title: {
    datatype: 'string',
    description: '标题 A short title (1–200 characters); made from the service and the address when left out',
    values: [],
  },
} as const;
export type ServiceAttributeCode = keyof typeof SERVICE_ATTRIBUTES;

/** The services (GeoReport v2) are the 小类 in use: `service_code` = its code, `group` = its 大类. */
@Injectable()
export class Open311Services {
  constructor(private readonly categories: CategoriesService) {}

  /** The 小类 that take reports now, in the catalogue's order. */
  leaves(): Category[] {
    return this.categories.all().filter((c) => c.parentId !== null && this.categories.toView(c).active);
  }

  /** The 小类 of a service_code, or 404 SERVICE_NOT_FOUND. */
  require(code: string): Category {
    const found = this.leaves().find((c) => c.code === code);
    if (!found) throw new AppException('SERVICE_NOT_FOUND', `No service with service_code "${code.slice(0, 64)}"`);
    return found;
  }

  groupOf(c: Category): string {
    return c.parentId === null ? '' : (this.categories.get(c.parentId)?.name ?? '');
  }

  list(): Record<string, Open311Value>[] {
    return this.leaves().map((c) => {
      const group = this.groupOf(c);
      return {
        service_code: c.code,
        service_name: c.name,
        description: `${group} · ${c.name}${c.photoRequiredOnReport ? '（需附照片 media_url）' : ''}`,
        metadata: true,
        type: 'realtime',
        keywords: [group, c.name, c.code].join(', '),
        group,
      };
    });
  }

  definition(code: string): Record<string, Open311Value> {
    const c = this.require(code);
    return {
      service_code: c.code,
      attributes: Object.entries(SERVICE_ATTRIBUTES).map(([attr, a], i) => ({
        variable: true,
        code: attr,
        datatype: a.datatype,
        required: false,
        datatype_description: a.datatype === 'string' ? '1–200 characters' : 'One of the keys of values',
        order: i + 1,
        description: a.description,
        values: a.values.map((v) => ({ key: v.key, name: v.name })),
      })),
    };
  }
}
