/**
 * The byte ledger of a split-learning run: every message the protocol sends is recorded here once,
 * by kind, and the per-round totals go into the round-metrics event.
 *
 * Up and down are seen from the clients' links: bytesUp counts what a client sends (to the server
 * or, in a peer-to-peer hand-off, to another client), bytesDown what the server sends. For every
 * kind the federated trainers use this is the same split as theirs, and bytesUp + bytesDown is
 * always the sum over bytesByKind.
 */
import type { MessageKind, Party, RoundMetrics } from '../types';

export class CommLedger {
  private byKind: Partial<Record<MessageKind, number>> = {};
  private up = 0;
  private down = 0;
  /** Totals over the whole run (never reset). */
  readonly total: Partial<Record<MessageKind, number>> = {};

  record(kind: MessageKind, from: Party, _to: Party, bytes: number): void {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + bytes;
    this.total[kind] = (this.total[kind] ?? 0) + bytes;
    if (from === 'server') this.down += bytes;
    else this.up += bytes;
  }

  /** The round's counts, then starts a new round. */
  take(): Pick<RoundMetrics, 'bytesUp' | 'bytesDown' | 'bytesByKind'> {
    const out = { bytesUp: this.up, bytesDown: this.down, bytesByKind: this.byKind };
    this.byKind = {};
    this.up = 0;
    this.down = 0;
    return out;
  }
}
