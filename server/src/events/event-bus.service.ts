import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AnyDomainEvent, DomainEventEnvelope, DomainEventType, DomainSignalDataMap, DomainSignalType } from '@gridline/shared';
import { CONSUMER_METADATA, type BusType, type ConsumerMetadata, type Delivered, type SignalEnvelope } from './on-domain-event.decorator';

type EveryHandler = (event: Delivered<BusType>) => unknown;
type OnceHandler = (event: AnyDomainEvent, tx: EntityManager) => Promise<unknown>;
type BatchHandler = (events: AnyDomainEvent[], tx: EntityManager) => Promise<unknown>;

/** What travels between the instances (see EventPeersGateway). */
export interface PeerMessage {
  events?: AnyDomainEvent[];
  signal?: SignalEnvelope;
}

/** How the bus reaches the other instances. */
export interface EventPeers {
  send(message: PeerMessage): void;
}

/**
 * The in-process side of domain events: who consumes what (from the @OnDomainEvent and
 * @OnDomainEventOnce methods of every provider, found at boot), and the hand-over to them and to
 * the other instances. The relay decides when; the bus decides to whom.
 */
@Injectable()
export class EventBus implements OnModuleInit {
  private readonly logger = new Logger('EventBus');
  private readonly every = new Map<BusType, EveryHandler[]>();
  private readonly once = new Map<DomainEventType, OnceHandler[]>();
  private readonly batches: { types: ReadonlySet<BusType>; handler: BatchHandler }[] = [];
  private peers: EventPeers | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<ConsumerMetadata | undefined>(CONSUMER_METADATA, method as () => unknown);
        if (!meta) continue;
        const bound = (method as (...args: unknown[]) => unknown).bind(instance);
        if (meta.mode === 'once-batch') {
          this.batches.push({ types: new Set(meta.types), handler: bound as BatchHandler });
          continue;
        }
        for (const type of meta.types) {
          if (meta.mode === 'once') this.addOnce(type as DomainEventType, bound as OnceHandler);
          else this.addEvery(type, bound as EveryHandler);
        }
      }
    }
  }

  /** A consumer added by hand (tests); returns its removal. */
  subscribe<K extends BusType>(type: K, handler: (event: Delivered<K>) => unknown): () => void {
    const h = handler as EveryHandler;
    this.addEvery(type, h);
    return () => {
      const list = this.every.get(type) ?? [];
      if (list.includes(h)) list.splice(list.indexOf(h), 1);
    };
  }

  /** A once-per-cluster consumer added by hand (tests); returns its removal. */
  subscribeOnce<K extends DomainEventType>(
    type: K,
    handler: (event: DomainEventEnvelope<K>, tx: EntityManager) => Promise<unknown>,
  ): () => void {
    const h = handler as unknown as OnceHandler;
    this.addOnce(type, h);
    return () => {
      const list = this.once.get(type) ?? [];
      if (list.includes(h)) list.splice(list.indexOf(h), 1);
    };
  }

  attachPeers(peers: EventPeers): void {
    this.peers = peers;
  }

  /** The once-consumers of one event, awaited in registration order (on the leader, in its transaction). */
  async runOnce(event: AnyDomainEvent, tx: EntityManager): Promise<void> {
    for (const handler of this.once.get(event.type) ?? []) await handler(event, tx);
  }

  /** A relayed batch to the once-consumers: each event to the per-event ones, then the batch to the batch ones. */
  async runOnceForBatch(events: readonly AnyDomainEvent[], tx: EntityManager): Promise<void> {
    for (const event of events) await this.runOnce(event, tx);
    for (const { types, handler } of this.batches) {
      const wanted = events.filter((e) => types.has(e.type));
      if (wanted.length) await handler(wanted, tx);
    }
  }

  /**
   * A relayed batch to the every-instance consumers, here and on the other instances. Events
   * nobody consumes are not handed over (webhooks and the catch-up API still see every row).
   */
  deliverEverywhere(events: readonly AnyDomainEvent[]): void {
    const wanted = events.filter((e) => this.every.get(e.type)?.length);
    if (!wanted.length) return;
    this.deliverHere(wanted);
    this.peers?.send({ events: wanted });
  }

  /** A signal (not durable): to its consumers here and on the other instances. */
  signal<K extends DomainSignalType>(type: K, data: DomainSignalDataMap[K], occurredAt = new Date()): void {
    if (!this.every.get(type)?.length) return;
    const envelope: SignalEnvelope<K> = { id: null, type, occurredAt: occurredAt.toISOString(), data };
    this.dispatch(envelope as Delivered<BusType>);
    this.peers?.send({ signal: envelope as SignalEnvelope });
  }

  /** What another instance relayed. */
  fromPeer(message: PeerMessage): void {
    if (message.events) this.deliverHere(message.events);
    if (message.signal) this.dispatch(message.signal as Delivered<BusType>);
  }

  consumes(type: BusType): { everyInstance: number; once: number } {
    const batches = this.batches.filter((b) => b.types.has(type)).length;
    return { everyInstance: this.every.get(type)?.length ?? 0, once: (this.once.get(type as DomainEventType)?.length ?? 0) + batches };
  }

  private deliverHere(events: readonly AnyDomainEvent[]): void {
    for (const e of events) this.dispatch(e as Delivered<BusType>);
  }

  /** One consumer's failure is logged and never reaches the relay or the other consumers. */
  private dispatch(event: Delivered<BusType>): void {
    for (const handler of this.every.get(event.type) ?? []) {
      try {
        const result = handler(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.failed(event, err));
      } catch (err) {
        this.failed(event, err);
      }
    }
  }

  private failed(event: Delivered<BusType>, err: unknown): void {
    this.logger.error({ msg: 'event consumer failed', type: event.type, id: event.id, err: String(err) });
  }

  private addEvery(type: BusType, handler: EveryHandler): void {
    const list = this.every.get(type) ?? [];
    list.push(handler);
    this.every.set(type, list);
  }

  private addOnce(type: DomainEventType, handler: OnceHandler): void {
    const list = this.once.get(type) ?? [];
    list.push(handler);
    this.once.set(type, list);
  }
}
