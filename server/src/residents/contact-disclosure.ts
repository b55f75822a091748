import { isTerminal, maskName, maskPhone, type IssueStatus, type Relation, type ResidentContactView } from '@gridline/shared';
import type { Actor } from '../auth/actor';

/**
 * Who sees a resident's phone number and name in full: the dispatcher handling the issue, that
 * is a dispatcher whose region scope covers it (own or as AB 岗 backup) while it is still open —
 * the one who may have to call back to accept, dispatch, urge or verify. Every other member of
 * staff sees them masked; a closed issue shows them masked to everyone (a later call about it is
 * a new contact). Residents are shown no contact at all: theirs they know, and a neighbour who
 * joined as "me too" must not learn the reporter's.
 */
export function contactDisclosure(actor: Actor, status: IssueStatus, relations: ReadonlySet<Relation>): 'full' | 'masked' | 'none' {
  switch (actor.role) {
    case 'dispatcher':
      return relations.has('region') && !isTerminal(status) ? 'full' : 'masked';
    case 'admin':
    case 'viewer':
    case 'grid_worker':
    case 'dept_lead':
    case 'dept_staff':
      return 'masked';
    case 'resident':
    case 'volunteer':
      return 'none';
  }
}

export interface ResidentContactRow {
  id: number;
  phone: string;
  name: string | null;
}

/** The contact as this caller may see it. The one place a phone number or name is masked for staff. */
export function contactView(row: ResidentContactRow, disclosure: 'full' | 'masked'): ResidentContactView {
  const full = disclosure === 'full';
  return {
    residentId: row.id,
    name: row.name === null ? null : full ? row.name : maskName(row.name),
    phone: full ? row.phone : maskPhone(row.phone),
    masked: !full,
  };
}
