import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DomainEventEnvelope, DomainEventType, DomainSignalDataMap, DomainSignalType } from '@gridline/shared';

/** A signal on the bus: like an event, but not durable and without an id (stats.applied). */
export interface SignalEnvelope<K extends DomainSignalType = DomainSignalType> {
  id: null;
  type: K;
  occurredAt: string;
  data: DomainSignalDataMap[K];
}

export type BusType = DomainEventType | DomainSignalType;

/** What a consumer of `K` receives. */
export type Delivered<K extends BusType> = K extends DomainEventType
  ? DomainEventEnvelope<K>
  : K extends DomainSignalType
    ? SignalEnvelope<K>
    : never;

export const CONSUMER_METADATA = 'gridline:domain-event-consumer';

export type ConsumerMode = 'every-instance' | 'once' | 'once-batch';

export interface ConsumerMetadata {
  types: readonly BusType[];
  mode: ConsumerMode;
}

/**
 * Runs on every instance for each committed event (and signal) of these types: live sockets are
 * spread over the instances, so each gets every event once. Not awaited by the relay; at least
 * once (a relay that dies before its commit delivers the batch again, with the same ids).
 */
export function OnDomainEvent<K extends BusType>(...types: K[]) {
  return <T extends (event: Delivered<K>) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => {
    SetMetadata<string, ConsumerMetadata>(CONSUMER_METADATA, { types, mode: 'every-instance' })(target, key, descriptor);
  };
}

/**
 * Runs once per event cluster-wide, on the relay leader, inside the transaction that marks the
 * batch delivered: rows written with `tx` commit together with that mark (exactly once); anything
 * else it does may happen again, with the same event id, if the relay dies before that commit.
 * It is awaited, and holds up the relay while it runs: write rows, never call the network.
 * A throw rolls the batch back; the relay retries it later.
 */
export function OnDomainEventOnce<K extends DomainEventType>(...types: K[]) {
  return <T extends (event: DomainEventEnvelope<K>, tx: EntityManager) => Promise<unknown>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ) => {
    SetMetadata<string, ConsumerMetadata>(CONSUMER_METADATA, { types, mode: 'once' })(target, key, descriptor);
  };
}

/**
 * Like OnDomainEventOnce, but called once per relayed batch with the batch's events of these
 * types (in id order; never with an empty list), after the per-event once-consumers: for a
 * consumer that writes one statement for many events instead of one round trip per event.
 */
export function OnDomainEventsOnce<K extends DomainEventType>(...types: K[]) {
  return <T extends (events: DomainEventEnvelope<K>[], tx: EntityManager) => Promise<unknown>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ) => {
    SetMetadata<string, ConsumerMetadata>(CONSUMER_METADATA, { types, mode: 'once-batch' })(target, key, descriptor);
  };
}
